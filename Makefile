# Offscript developer entry points.  `make test` works on a fresh clone, also as root on a
# headless machine without a sound card or display (tests/headless/ brings up virtual ones).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PACKAGE_STAMP := $(VENV)/.package-stamp
PYTEST_ARGS ?=

.PHONY: help venv system-deps run test lint bench package package-check

help:
	@echo "make run          install what is missing, then start Offscript"
	@echo "make test         run the tests (virtual mic/speaker/display when needed)"
	@echo "make lint         ruff check"
	@echo "make venv         create/refresh $(VENV) (only when pyproject.toml changed)"
	@echo "make system-deps  install the Debian packages Offscript needs"
	@echo "make package      PyInstaller one-folder build in dist/offscript/ (about 3-4 min)"
	@echo "make package-check  build, then check it headless (selftest, analyse, window, metadata)"

# Re-installs only when pyproject.toml is newer than the stamp.
venv: $(STAMP)
$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV) \
	  || { echo "python3 -m venv failed: install python3-venv (Debian/Ubuntu)" >&2; exit 1; }
	@$(PY) -m pip install -q --upgrade pip || echo "warning: could not upgrade pip" >&2
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

system-deps:
	@bash packaging/install-system-deps.sh

run: system-deps venv
	$(VENV)/bin/offscript

# with-devices.sh: setup (only what is missing), pytest, teardown of what it started;
# the exit status is pytest's.
test: system-deps venv
	@bash tests/headless/with-devices.sh $(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check desktop tests

# Figures for the README (about 15 minutes): analyse RTF on a 60 s answer and window-shown time,
# question speech start, live captions and stop-to-feedback on a 120 s answer fed in real time
# (fast and accurate, with peak memory; in the library and in the real app), non-ASR analysis
# time, history with 10,000 takes.
bench: venv
	@$(PY) -m pip install -q -e '.[dev,align]'
	@bash tests/headless/with-devices.sh bash -c '\
	  $(PY) benchmarks/foundation.py && $(PY) benchmarks/speech_start.py && \
	  $(PY) benchmarks/live_feedback.py --model fast && \
	  $(PY) benchmarks/app_feedback.py --model fast && \
	  $(PY) benchmarks/live_feedback.py --model accurate && \
	  $(PY) benchmarks/app_feedback.py --model accurate && \
	  $(PY) benchmarks/analysis_speed.py && $(PY) benchmarks/history_10k.py && \
	  $(PY) benchmarks/aligner_agreement.py'

# PyInstaller (the `package` extra) on top of the dev install; objdump (binutils) is needed by
# PyInstaller on Linux.
$(PACKAGE_STAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[dev,package]'
	@touch $@

# One-folder build: dist/offscript/offscript is the app and the CLI, with the fast model, the
# default voice, the desktop entry, metainfo and icons (packaging/offscript.spec).
package: system-deps $(PACKAGE_STAMP)
	@bash packaging/install-system-deps.sh binutils
	$(PY) -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
	  packaging/offscript.spec

# CI: build, then prove the build works headless (packaging/check-package.sh).
package-check: package
	@bash tests/headless/with-devices.sh bash packaging/check-package.sh dist/offscript
