#!/usr/bin/env bash
# install-system-deps.sh - install the Debian/Ubuntu packages Offscript needs at run time
# (PortAudio, the Qt xcb platform libraries, a font) plus the PulseAudio client tools the
# tests use.  Only missing packages are installed; `apt-get update` runs only when something
# is missing and the package lists are stale (or the install fails with the current lists).
#
# Usage: packaging/install-system-deps.sh [EXTRA_PACKAGE...]
#   Extra packages (e.g. "pulseaudio xvfb" from tests/headless/setup.sh) are ensured too.
# Uses sudo when not root.  On a system without dpkg/apt it prints a note and exits 0.
# Output goes to stderr; apt's own output goes to $OFFSCRIPT_APT_LOG (default /tmp/offscript-apt.log).
set -euo pipefail

log() { printf '[system-deps] %s\n' "$*" >&2; }

BASE_PACKAGES=(
  # audio: sounddevice needs the PortAudio shared library (the wheel does not bundle it)
  libportaudio2
  # pactl / paplay / parec: used by the audio tests and `offscript doctor` hints
  pulseaudio-utils
  # Qt 6 (PySide6 wheels) xcb platform plugin runtime libraries
  libgl1 libegl1 libopengl0 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3
  libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1 libxrender1 libxi6
  libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1
  libxcb-xfixes0 libxcb-xinerama0 libxcb-xinput0 libxcb-xkb1
  # without a font Qt draws no text at all
  fonts-dejavu-core
  # appstreamcli / desktop-file-validate: tests/test_packaging.py and make package-check
  appstream desktop-file-utils
)
# Not needed: espeak-ng-data (piper-tts bundles it), libsndfile (the soundfile wheel bundles it).

if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
  log "not a Debian/Ubuntu system: install PortAudio, the Qt 6 xcb libraries and a font"
  log "with your package manager (e.g. Fedora: portaudio libxkbcommon-x11 xcb-util-cursor)"
  exit 0
fi

want=("${BASE_PACKAGES[@]}" "$@")
missing=()
for p in "${want[@]}"; do
  [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null)" == ii* ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  log "all ${#want[@]} system packages already installed"
  exit 0
fi

SUDO=()
if [[ $(id -u) != 0 ]]; then
  command -v sudo >/dev/null || { log "ERROR: not root and no sudo; install: ${missing[*]}"; exit 1; }
  SUDO=(sudo)
  # Non-interactive callers (CI) cannot answer a password prompt.
  [[ -t 0 ]] || SUDO=(sudo -n)
fi

apt_log=${OFFSCRIPT_APT_LOG:-/tmp/offscript-apt.log}
export DEBIAN_FRONTEND=noninteractive
t0=$(date +%s)
install() {
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=120 "${missing[@]}" >>"$apt_log" 2>&1
}
update() {
  log "apt-get update"
  "${SUDO[@]}" apt-get update -qq >>"$apt_log" 2>&1 \
    || { tail -20 "$apt_log" >&2; log "ERROR: apt-get update failed (log: $apt_log)"; exit 1; }
  touch "$stamp" 2>/dev/null || true
}

log "installing ${#missing[@]} package(s): ${missing[*]}"
: >"$apt_log" 2>/dev/null || apt_log=/dev/null
# Lists refreshed in the last hour (e.g. by a previous call of this script) are good enough;
# if they turn out to be stale the install fails and we update and retry.
stamp=${TMPDIR:-/tmp}/offscript-apt-update.stamp
if [[ -n $(find "$stamp" -mmin -60 2>/dev/null) ]]; then
  install || { update; install; } || {
    tail -30 "$apt_log" >&2; log "ERROR: apt-get install failed (log: $apt_log)"; exit 1; }
else
  update
  install || { tail -30 "$apt_log" >&2; log "ERROR: apt-get install failed (log: $apt_log)"; exit 1; }
fi
log "installed in $(($(date +%s) - t0)) s"
