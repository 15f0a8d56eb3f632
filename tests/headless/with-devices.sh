#!/usr/bin/env bash
# tests/headless/with-devices.sh CMD [ARG...] - run CMD with a microphone, a speaker and a
# display: setup.sh brings up whatever is missing (virtual devices on a headless machine,
# nothing on a desktop), CMD runs with its exports, then exactly what was started is torn
# down.  Exit status: CMD's (or setup's, if setup failed).
#
# Each call uses its own state directory (own PulseAudio socket, next free X display), so
# parallel runs do not share or stop each other's devices.  The directory is removed after a
# successful run and kept (with its logs) after a failure.
# When setup created the virtual devices, OFFSCRIPT_REQUIRE_AUDIO_DEVICES=1 makes the device
# tests fail instead of skipping if those devices are unusable.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { printf '[with-devices] %s\n' "$*" >&2; }
(($#)) || { log "usage: $0 CMD [ARG...]"; exit 2; }

own_dir=0
if [[ -z ${OFFSCRIPT_HEADLESS_DIR:-} ]]; then
  OFFSCRIPT_HEADLESS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/offscript-headless.XXXXXX") || exit 1
  own_dir=1
fi
export OFFSCRIPT_HEADLESS_DIR

rc=1
cleanup() {
  local t=$(date +%s%N) purge=()
  ((own_dir && rc == 0)) && purge=(--purge)
  bash "$HERE/teardown.sh" "${purge[@]}"
  log "teardown took $((($(date +%s%N) - t) / 1000000)) ms"
  ((rc == 0)) || log "state and logs kept in $OFFSCRIPT_HEADLESS_DIR"
}
trap cleanup EXIT
trap 'rc=130; exit 130' INT
trap 'rc=143; exit 143' TERM

t=$(date +%s%N)
# Command substitution loses setup's status inside eval: check it first.
env_sh=$(bash "$HERE/setup.sh") || { rc=$?; log "setup failed (exit $rc)"; exit "$rc"; }
eval "$env_sh"
log "setup took $((($(date +%s%N) - t) / 1000000)) ms"
if [[ ${OFFSCRIPT_HEADLESS_SOUND:-} == virtual && -z ${OFFSCRIPT_REQUIRE_AUDIO_DEVICES:-} ]]; then
  export OFFSCRIPT_REQUIRE_AUDIO_DEVICES=1
fi

t=$(date +%s%N)
"$@"
rc=$?
log "'$*' exited $rc after $((($(date +%s%N) - t) / 1000000)) ms"
exit "$rc"
