#!/usr/bin/env bash
# tests/headless/teardown.sh - undo exactly what tests/headless/setup.sh started.
# Stops the processes listed in $OFFSCRIPT_HEADLESS_DIR/pids ("name pid starttime"), each only
# if its /proc start time still matches (a recycled pid is never hit; never kills by name), and
# unloads the modules it loaded into a desktop sound server ($OFFSCRIPT_HEADLESS_DIR/modules).
# Safe to run twice or with nothing running.  Output on stderr.
# --purge: also delete the state directory (logs included) once everything is stopped.
# Exit status 0, or 1 if something survived SIGKILL.
set -uo pipefail

STATE_DIR=${OFFSCRIPT_HEADLESS_DIR:-/tmp/offscript-headless}
PIDS=$STATE_DIR/pids
MODULES=$STATE_DIR/modules
log() { printf '[headless] %s\n' "$*" >&2; }

proc_start() {  # pid -> start time; fails for dead or zombie (PID 1 here reaps lazily)
  local s f
  s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  read -r -a f <<<"${s##*) }"
  [[ ${f[0]} != Z && ${f[0]} != X ]] || return 1
  echo "${f[19]}"
}
alive() { [[ "$(proc_start "$1" 2>/dev/null)" == "$2" ]]; }

rc=0
live=()
if [[ -s $PIDS ]]; then
  # Reverse start order: Xvfb, keep-alives, then PulseAudio.
  while read -r name pid st; do
    [[ -n ${st:-} ]] || continue
    if alive "$pid" "$st"; then
      log "stopping $name (pid $pid)"
      kill -TERM "$pid" 2>/dev/null
      live+=("$name $pid $st")
    else
      log "$name (pid $pid) already gone"
    fi
  done < <(tac "$PIDS")
fi
for e in "${live[@]}"; do
  read -r name pid st <<<"$e"
  for _ in $(seq 50); do alive "$pid" "$st" || break; sleep 0.1; done
  if alive "$pid" "$st"; then
    log "$name (pid $pid) ignored SIGTERM for 5 s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null
    sleep 0.2
    alive "$pid" "$st" && { log "ERROR: $name (pid $pid) is still alive"; rc=1; }
  fi
done

# Modules last: unloading a sink first would make its keep-alive exit on its own.
if [[ -s $MODULES ]]; then
  while read -r server id; do
    [[ -n ${id:-} ]] || continue
    if [[ $server == default ]]; then
      timeout 10 pactl unload-module "$id" 2>/dev/null
    else
      PULSE_SERVER=$server timeout 10 pactl unload-module "$id" 2>/dev/null
    fi && log "unloaded module $id" || log "module $id already gone"
  done < <(tac "$MODULES")
  rm -f "$MODULES"
fi

# A SIGKILLed Xvfb leaves its lock and socket behind; remove them only if the lock names our pid.
if [[ -s $PIDS ]]; then
  for lock in /tmp/.X*-lock; do
    [[ -e $lock ]] || continue
    lpid=$(tr -dc '0-9' <"$lock" 2>/dev/null)
    if [[ -n $lpid ]] && grep -q "^xvfb $lpid " "$PIDS" && [[ ! -d /proc/$lpid ]]; then
      n=${lock#/tmp/.X}; n=${n%-lock}
      rm -f "$lock" "/tmp/.X11-unix/X$n"
    fi
  done
fi

if ((rc == 0)); then
  rm -f "$PIDS" "$STATE_DIR/env.sh" "$STATE_DIR/xvfb.ready"
  rm -rf "$STATE_DIR/pulse"
  if [[ ${1:-} == --purge ]]; then
    rm -rf "$STATE_DIR"
    log "teardown done; removed $STATE_DIR"
  else
    log "teardown done (logs kept in $STATE_DIR)"
  fi
fi
exit "$rc"
