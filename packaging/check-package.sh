#!/usr/bin/env bash
# check-package.sh [DIST_DIR] - prove a one-folder build works (make package-check; CI).
# Run under tests/headless/with-devices.sh so there is a display, a microphone and a speaker.
#   1. the desktop entry and AppStream metainfo in the build validate
#   2. `offscript selftest` passes (model, voice, speech round trip, database)
#   3. `offscript analyse` works on a real answer from ../shared/speech (when it is there)
#   4. the window opens (prints window_shown_s=, the start time) and the app quits cleanly
# Prints the build's size and each step's time.  Exit status 0 only if every step passed.
# All user data goes to a temporary OFFSCRIPT_HOME, removed afterwards.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIST=${1:-$REPO/dist/offscript}
APP=$DIST/offscript
APP_ID=io.github.offscript.Offscript
SPEECH=${OFFSCRIPT_SPEECH_DIR:-$REPO/../shared/speech}
log() { printf '[package-check] %s\n' "$*" >&2; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

[[ -x $APP ]] || { log "no build at $DIST: run make package first"; exit 2; }
home=$(mktemp -d "${TMPDIR:-/tmp}/offscript-package-check.XXXXXX")
trap 'rm -rf "$home"' EXIT
export OFFSCRIPT_HOME=$home/home OFFSCRIPT_NO_FIRST_RUN=1
failed=0
step() {  # step NAME CMD...: run CMD, report PASS/FAIL and its time
  local name=$1 t rc
  shift
  t=$(now_ms)
  "$@"
  rc=$?
  if ((rc == 0)); then log "PASS $name ($(($(now_ms) - t)) ms)"; else
    log "FAIL $name (exit $rc)"; failed=1; fi
}

log "size: $(du -sh "$DIST" | cut -f1) ($(du -sb "$DIST" | cut -f1) bytes) in $DIST"

step "desktop entry" desktop-file-validate "$DIST/share/applications/$APP_ID.desktop"
step "metainfo" appstreamcli validate --no-net --no-color \
  "$DIST/share/metainfo/$APP_ID.metainfo.xml"
step "selftest" "$APP" selftest

analyse() {
  local clip out
  clip=$(find "$SPEECH/audio" -name '*.wav' 2>/dev/null | sort | head -1)
  if [[ -z $clip ]]; then log "no speech set at $SPEECH: analyse skipped"; return 0; fi
  out=$("$APP" analyse --json "$clip") || return 1
  # one JSON object with words in it
  grep -q '"words": \[{' <<<"$out" || { log "analyse printed no words: ${out:0:300}"; return 1; }
}
step "analyse" analyse

window() {
  local line pid rc=0
  [[ -n ${DISPLAY:-}${WAYLAND_DISPLAY:-} ]] || { log "no display: window check skipped"; return 0; }
  coproc APPWIN { OFFSCRIPT_REPORT_STARTUP=1 exec "$APP" 2>"$home/window.err"; }
  pid=$APPWIN_PID
  if IFS= read -r -t 60 line <&"${APPWIN[0]}" && [[ $line == window_shown_s=* ]]; then
    log "window shown: ${line#window_shown_s=} s after the process started"
  else
    log "the window did not open within 60 s: ${line:-no output}"; tail -20 "$home/window.err" >&2
    rc=1
  fi
  kill -TERM "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return "$rc"
}
step "window" window

if ((failed)); then log "package check FAILED"; exit 1; fi
log "package check passed"
