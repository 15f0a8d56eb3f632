#!/usr/bin/env bash
# tests/headless/setup.sh - a microphone, a speaker and a display for Offscript's tests.
#
# Headless (CI, root, no sound card, no display): starts PulseAudio with
#   vspeaker  null sink, default sink        -> the app plays here; tests record vspeaker.monitor
#   micfeed   null sink                       -> tests play files here (paplay -d micfeed x.wav)
#   vmic      remap of micfeed.monitor, default source -> the app records this
# plus silent keep-alive streams and a warm-up wait, and Xvfb on the first free display.
# Real desktop (a sound server answers / a display is set): uses those, replaces nothing,
# and says so.  OFFSCRIPT_HEADLESS_VIRTUAL=1 additionally loads the three virtual devices
# into the desktop's server and points only the test processes at them (PULSE_SINK /
# PULSE_SOURCE), so the device tests run without touching your speakers or defaults.
#
# Usage:  env_sh=$(bash tests/headless/setup.sh) || exit 1; eval "$env_sh"
#         ... tests ...;  bash tests/headless/teardown.sh
# stdout: only `export` lines (also written to $OFFSCRIPT_HEADLESS_DIR/env.sh); on failure a
# single `false` command.  stderr: diagnostics.  Idempotent: a re-run reuses what runs.
# Must run before any Python process imports sounddevice (PortAudio reads the ALSA
# configuration, which routes "default" to PulseAudio only if a server answers, at import).
#
# Environment: OFFSCRIPT_HEADLESS_DIR (state, default /tmp/offscript-headless),
#   OFFSCRIPT_HEADLESS_DISPLAY (first display tried, 99), OFFSCRIPT_HEADLESS_SCREEN (1280x1024x24),
#   OFFSCRIPT_HEADLESS_SKIP_APT=1, OFFSCRIPT_HEADLESS_VIRTUAL=1 (see above),
#   OFFSCRIPT_HEADLESS_FORCE=1 (start our own server and Xvfb even on a desktop).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
STATE_DIR=${OFFSCRIPT_HEADLESS_DIR:-/tmp/offscript-headless}
DISPLAY_START=${OFFSCRIPT_HEADLESS_DISPLAY:-99}
SCREEN_GEOM=${OFFSCRIPT_HEADLESS_SCREEN:-1280x1024x24}
FORCE=${OFFSCRIPT_HEADLESS_FORCE:-0}
SPEAKER=vspeaker MIC_FEED=micfeed MIC=vmic
PULSE_DIR=$STATE_DIR/pulse
PIDS=$STATE_DIR/pids          # "name pid starttime" of processes we started (teardown reads it)
MODULES=$STATE_DIR/modules    # "server module-id" of modules loaded into a desktop server
ENV_FILE=$STATE_DIR/env.sh
T0=$(date +%s%N)

log() { printf '[headless] %s\n' "$*" >&2; }
ms() { echo $((($(date +%s%N) - $1) / 1000000)); }
fail() { log "ERROR: $*"; exit 1; }
SUCCESS=0
on_exit() {
  local rc=$?
  ((SUCCESS)) && return
  ((rc)) || rc=1
  log "setup FAILED (exit $rc): rolling back what this run started; logs in $STATE_DIR"
  OFFSCRIPT_HEADLESS_DIR=$STATE_DIR bash "$HERE/teardown.sh" 9>&- >&2 || true
  echo "echo 'tests/headless/setup.sh failed, see its stderr' >&2; false"
  exit "$rc"
}
trap on_exit EXIT

# ------------------------------------------------------------------ helpers
proc_start() {  # pid -> start time (field 22 of /proc/PID/stat); fails for dead or zombie
  local s f
  s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  read -r -a f <<<"${s##*) }"
  [[ ${f[0]} != Z && ${f[0]} != X ]] || return 1
  echo "${f[19]}"
}
track() {  # name pid: remember a process we started, by pid and start time
  local st
  st=$(proc_start "$2") || fail "$1 (pid $2) died right after start; see $STATE_DIR/$1*.log"
  echo "$1 $2 $st" >>"$PIDS"
}
all_tracked_alive() {
  [[ -s $PIDS ]] || return 1
  local name pid st
  while read -r name pid st; do
    [[ "$(proc_start "$pid" 2>/dev/null)" == "$st" ]] || { log "$name (pid $pid) is gone"; return 1; }
  done <"$PIDS"
}
tracked() { [[ -s $PIDS ]] && grep -q "^$1 " "$PIDS"; }
# Never autospawn a server while probing (client.conf could say autospawn=yes).
NOSPAWN=$STATE_DIR/client-nospawn.conf
OURS_ENV=(PULSE_SERVER="unix:$PULSE_DIR/native" PULSE_COOKIE="$PULSE_DIR/cookie")
PA_ENV=()   # which server the pa* helpers talk to: () = the caller's, or OURS_ENV
pa() { env "${PA_ENV[@]}" PULSE_CLIENTCONFIG="$NOSPAWN" timeout 10 "$@"; }
probe() { PULSE_CLIENTCONFIG=$NOSPAWN timeout 5 "$@"; }
has_virtual_devices() {  # the three virtual devices exist on the PA_ENV server
  local sinks sources
  sinks=$(pa pactl list short sinks 2>/dev/null) || return 1
  sources=$(pa pactl list short sources 2>/dev/null) || return 1
  grep -qw "$SPEAKER" <<<"$sinks" && grep -qw "$MIC_FEED" <<<"$sinks" && grep -qw "$MIC" <<<"$sources"
}
desktop_sound() {  # a sound server (PulseAudio or PipeWire) answers in the caller's environment
  [[ $FORCE != 1 ]] || return 1
  [[ -n ${PULSE_SERVER:-} || -S ${XDG_RUNTIME_DIR:-/nonexistent}/pulse/native \
     || -S ${XDG_RUNTIME_DIR:-/nonexistent}/pipewire-0 || -S /run/user/$(id -u)/pulse/native ]] || return 1
  command -v pactl >/dev/null && probe pactl info >/dev/null 2>&1
}
desktop_display() {  # DISPLAY / WAYLAND_DISPLAY set by the caller and reachable
  [[ $FORCE != 1 ]] || return 1
  [[ -n ${WAYLAND_DISPLAY:-} ]] && return 0
  [[ -n ${DISPLAY:-} ]] || return 1
  if command -v xdpyinfo >/dev/null; then timeout 5 xdpyinfo >/dev/null 2>&1; return; fi
  [[ ${DISPLAY} != :* ]] || [[ -S /tmp/.X11-unix/X$(sed 's/^:\([0-9]*\).*/\1/' <<<"$DISPLAY") ]]
}
warm_up() {  # source: wait until a new recording from it delivers data
  local w0 n
  w0=$(date +%s%N)
  n=$( (pa parec -d "$1" --raw --latency-msec=20 9>&- 2>/dev/null | head -c 8192 | wc -c) || true)
  [[ ${n:-0} -ge 8192 ]] || fail "recording from $1 delivered no audio within 10 s"
  log "warm-up: $1 delivers audio after $(ms "$w0") ms"
}

# ------------------------------------------------------------------ 0. state dir, lock
mkdir -p "$STATE_DIR"
exec 9>"$STATE_DIR/.lock"
flock -w 300 9 || fail "another setup holds $STATE_DIR/.lock"
echo "autospawn = no" >"$NOSPAWN"

# ------------------------------------------------------------------ 1. decide, install packages
# A previous run of ours that is still healthy is reused as is.
reuse=0
if [[ -s $PIDS && -s $ENV_FILE ]] && all_tracked_alive; then
  tracked pulseaudio && PA_ENV=("${OURS_ENV[@]}")
  if ! tracked pulseaudio || has_virtual_devices; then reuse=1; fi
  PA_ENV=()
fi
if ((reuse)); then
  log "reusing the running setup in $STATE_DIR"
  cat "$ENV_FILE"
  SUCCESS=1
  exit 0
fi
if [[ -s $PIDS || -s $MODULES ]]; then
  log "previous setup in $STATE_DIR is unhealthy: stopping it first"
  OFFSCRIPT_HEADLESS_DIR=$STATE_DIR bash "$HERE/teardown.sh" 9>&- >&2 || true
fi
rm -f "$PIDS" "$MODULES" "$ENV_FILE"

# Cheap pre-check (sockets) so apt runs at most once; confirmed with pactl below.
need_pulse=1 need_x=1
desktop_display && need_x=0
if [[ $FORCE != 1 ]] && [[ -n ${PULSE_SERVER:-} || -S ${XDG_RUNTIME_DIR:-/nonexistent}/pulse/native \
      || -S ${XDG_RUNTIME_DIR:-/nonexistent}/pipewire-0 || -S /run/user/$(id -u)/pulse/native ]]; then
  need_pulse=0
fi
extra=(poppler-utils)  # pdftoppm: the PDF report tests render pages to PNG
((need_pulse)) && extra+=(pulseaudio libasound2-plugins)
((need_x)) && extra+=(xvfb xauth)
if [[ ${OFFSCRIPT_HEADLESS_SKIP_APT:-0} != 1 ]]; then
  OFFSCRIPT_APT_LOG=$STATE_DIR/apt.log bash "$REPO/packaging/install-system-deps.sh" "${extra[@]}" 9>&-
fi
for tool in pactl pacat paplay parec; do
  command -v "$tool" >/dev/null || fail "$tool not found: install pulseaudio-utils"
done
# Installing pulseaudio-utils may have been what was missing to detect a desktop server.
if ((need_pulse == 0)) && ! desktop_sound; then
  log "a sound server socket exists but does not answer: starting our own"
  need_pulse=1
  [[ ${OFFSCRIPT_HEADLESS_SKIP_APT:-0} == 1 ]] \
    || OFFSCRIPT_APT_LOG=$STATE_DIR/apt.log bash "$REPO/packaging/install-system-deps.sh" \
         pulseaudio libasound2-plugins 9>&-
fi

exports=("export OFFSCRIPT_HEADLESS_DIR='$STATE_DIR'")
started=()

# ------------------------------------------------------------------ 2. sound
if ((need_pulse)); then
  command -v pulseaudio >/dev/null || fail "pulseaudio not found (install it or unset OFFSCRIPT_HEADLESS_SKIP_APT)"
  compgen -G "/usr/lib/*/alsa-lib/libasound_module_pcm_pulse.so" >/dev/null \
    || fail "ALSA pulse plugin missing: install libasound2-plugins"
  rm -rf "$PULSE_DIR"
  mkdir -p "$PULSE_DIR" "$STATE_DIR/xdg-config"
  chmod 700 "$PULSE_DIR"
  cat >"$STATE_DIR/offscript.pa" <<EOF
.fail
load-module module-native-protocol-unix auth-anonymous=1 socket=$PULSE_DIR/native
load-module module-null-sink sink_name=$SPEAKER sink_properties=device.description=Virtual_Speaker
load-module module-null-sink sink_name=$MIC_FEED sink_properties=device.description=Virtual_Mic_Feed
load-module module-remap-source source_name=$MIC master=$MIC_FEED.monitor source_properties=device.description=Virtual_Microphone
set-default-sink $SPEAKER
set-default-source $MIC
EOF
  t=$(date +%s%N)
  : >"$STATE_DIR/pulseaudio.log"
  # -n -F: only our modules (no hardware detection, no stream-restore: deterministic volumes).
  PULSE_RUNTIME_PATH=$PULSE_DIR XDG_CONFIG_HOME=$STATE_DIR/xdg-config PULSE_COOKIE=$PULSE_DIR/cookie \
    HOME=$STATE_DIR pulseaudio --daemonize=yes --use-pid-file=yes --exit-idle-time=-1 \
    --system=no --disallow-exit=yes -n -F "$STATE_DIR/offscript.pa" \
    --log-target="file:$STATE_DIR/pulseaudio.log" --log-level=notice \
    </dev/null >>"$STATE_DIR/pulseaudio.log" 2>&1 9>&- \
    || { tail -20 "$STATE_DIR/pulseaudio.log" >&2; fail "pulseaudio failed to start"; }
  pa_pid=
  for _ in $(seq 100); do
    pa_pid=$(cat "$PULSE_DIR/pid" 2>/dev/null) && [[ -n $pa_pid ]] && break
    sleep 0.05
  done
  [[ -n $pa_pid ]] || fail "pulseaudio wrote no pid file in $PULSE_DIR"
  track pulseaudio "$pa_pid"
  PA_ENV=("${OURS_ENV[@]}")
  for _ in $(seq 100); do has_virtual_devices && break; sleep 0.05; done
  has_virtual_devices || fail "PulseAudio runs but $SPEAKER/$MIC_FEED/$MIC are missing"
  log "PulseAudio pid $pa_pid up in $(ms "$t") ms: default sink $SPEAKER, default source $MIC, feed $MIC_FEED"
  # Keep-alives: an idle null sink produces no data on its monitor, so recordings from vmic
  # or vspeaker.monitor would stall until something plays (and lose their start).
  for sink in "$SPEAKER" "$MIC_FEED"; do
    # env and setsid exec, so $! is pacat's own pid.
    env "${OURS_ENV[@]}" setsid pacat -p -d "$sink" --raw --latency-msec=20 --client-name="keepalive-$sink" \
      </dev/zero >>"$STATE_DIR/keepalive-$sink.log" 2>&1 9>&- &
    track "keepalive-$sink" $!
  done
  started+=(pulseaudio keepalives)
  # Warm-up: for ~1.7 s after the null sinks exist a new recording gets no data at all.
  t=$(date +%s%N)
  warm_up "$MIC"
  warm_up "$SPEAKER.monitor"
  log "warm-up took $(ms "$t") ms"
  exports+=("export PULSE_SERVER='unix:$PULSE_DIR/native'" "export PULSE_COOKIE='$PULSE_DIR/cookie'"
            "export PULSE_RUNTIME_PATH='$PULSE_DIR'" "export OFFSCRIPT_HEADLESS_SOUND=virtual")
  virtual=1
else
  server=$(probe pactl info 2>/dev/null | sed -n 's/^Server Name: //p')
  log "using the running sound server ($server); not starting PulseAudio"
  exports+=("export OFFSCRIPT_HEADLESS_SOUND=desktop")
  virtual=0
  if has_virtual_devices; then
    log "it already has $SPEAKER/$MIC_FEED/$MIC: the device tests will use them"
    virtual=1
  elif [[ ${OFFSCRIPT_HEADLESS_VIRTUAL:-0} == 1 ]]; then
    for args in "module-null-sink sink_name=$SPEAKER sink_properties=device.description=Offscript_Test_Speaker" \
                "module-null-sink sink_name=$MIC_FEED sink_properties=device.description=Offscript_Test_Mic_Feed" \
                "module-remap-source source_name=$MIC master=$MIC_FEED.monitor source_properties=device.description=Offscript_Test_Mic"; do
      # shellcheck disable=SC2086
      id=$(probe pactl load-module $args) || fail "pactl load-module ${args%% *} failed"
      echo "${PULSE_SERVER:-default} $id" >>"$MODULES"
    done
    log "loaded $SPEAKER/$MIC_FEED/$MIC into it (your default devices are unchanged)"
    for sink in "$SPEAKER" "$MIC_FEED"; do
      setsid pacat -p -d "$sink" --raw --latency-msec=20 --client-name="keepalive-$sink" \
        </dev/zero >>"$STATE_DIR/keepalive-$sink.log" 2>&1 9>&- &
      track "keepalive-$sink" $!
    done
    started+=(modules keepalives)
    warm_up "$MIC"
    warm_up "$SPEAKER.monitor"
    virtual=1
  else
    log "no $MIC_FEED sink there: the device tests will skip (OFFSCRIPT_HEADLESS_VIRTUAL=1 adds one)"
  fi
  # Only the test processes get pointed at the virtual devices.
  ((virtual)) && exports+=("export PULSE_SINK=$SPEAKER" "export PULSE_SOURCE=$MIC")
fi
if ((virtual)); then
  exports+=("export OFFSCRIPT_TEST_MIC_FEED=$MIC_FEED" "export OFFSCRIPT_TEST_MIC=$MIC"
            "export OFFSCRIPT_TEST_SPEAKER_MONITOR=$SPEAKER.monitor")
fi

# ------------------------------------------------------------------ 3. display
if ((need_x)); then
  disp=
  for n in $(seq "$DISPLAY_START" $((DISPLAY_START + 50))); do
    [[ -e /tmp/.X$n-lock || -e /tmp/.X11-unix/X$n ]] && continue
    ready=$STATE_DIR/xvfb.ready xlog=$STATE_DIR/xvfb.log
    : >"$ready"; : >"$xlog"
    t=$(date +%s%N)
    # -displayfd 3: Xvfb writes the display number to fd 3 once it accepts clients.
    setsid Xvfb ":$n" -screen 0 "$SCREEN_GEOM" -nolisten tcp -noreset -ac -displayfd 3 \
      3>"$ready" </dev/null >>"$xlog" 2>&1 9>&- &
    xpid=$!
    for _ in $(seq 200); do
      [[ -s $ready ]] && break
      proc_start "$xpid" >/dev/null || break
      sleep 0.05
    done
    if [[ -s $ready ]] && proc_start "$xpid" >/dev/null; then
      track xvfb "$xpid"; disp=$n; break
    fi
    kill -KILL "$xpid" 2>/dev/null || true
    wait "$xpid" 2>/dev/null || true
    grep -qiE 'already active|lock file|listening sockets|in use' "$xlog" \
      || { tail -5 "$xlog" >&2; fail "Xvfb :$n failed to start (log: $xlog)"; }
    log "display :$n is in use; trying the next one"
  done
  [[ -n $disp ]] || fail "no free X display between :$DISPLAY_START and :$((DISPLAY_START + 50))"
  log "Xvfb pid $xpid on DISPLAY=:$disp ($SCREEN_GEOM) up in $(ms "$t") ms"
  exports+=("export DISPLAY=':$disp'" "export OFFSCRIPT_HEADLESS_DISPLAY_KIND=xvfb")
  started+=(xvfb)
else
  log "using the existing display ${WAYLAND_DISPLAY:+WAYLAND_DISPLAY=$WAYLAND_DISPLAY }${DISPLAY:+DISPLAY=$DISPLAY}"
  exports+=("export OFFSCRIPT_HEADLESS_DISPLAY_KIND=desktop")
fi
if [[ -z ${XDG_RUNTIME_DIR:-} || $XDG_RUNTIME_DIR == "$STATE_DIR/xdg-runtime" ]]; then
  mkdir -p "$STATE_DIR/xdg-runtime" && chmod 700 "$STATE_DIR/xdg-runtime"
  exports+=("export XDG_RUNTIME_DIR='$STATE_DIR/xdg-runtime'")  # silences Qt's warning
fi
exports+=("export OFFSCRIPT_HEADLESS_STARTED='${started[*]}'")

printf '%s\n' "${exports[@]}" >"$ENV_FILE.tmp"
mv "$ENV_FILE.tmp" "$ENV_FILE"
cat "$ENV_FILE"
SUCCESS=1
log "ready in $(ms "$T0") ms (started: ${started[*]:-nothing}); env in $ENV_FILE"
