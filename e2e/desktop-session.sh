#!/usr/bin/env bash
# Runs a command inside a throwaway desktop session: a private D-Bus session
# bus with an unlocked gnome-keyring (a real Secret Service) and an Xvfb
# display of its own. Nothing here touches the user's own keyring or screen.
# The end-to-end tests run in it, and so does the app when make run finds no
# display.
#   e2e/desktop-session.sh [--display N] [--screen WxHxD] command [args...]
#     --display N  use display :N when it is free, another one when not
#     --screen     the virtual screen (default 1400x900x24)
# However the command ends (it exits, Ctrl+C, the terminal closes, SIGTERM
# to this script), the processes started here are stopped, and only those:
# the command itself, the keyring, the bus, what the bus started (the file
# dialog's portal) and the display.
set -euo pipefail

display=""
screen=1400x900x24
while [ $# -gt 0 ]; do
  case "$1" in
    --display) display=$2; shift 2 ;;
    --screen) screen=$2; shift 2 ;;
    --) shift; break ;;
    *) break ;;
  esac
done
if [ $# -eq 0 ]; then
  echo "usage: $0 [--display N] [--screen WxHxD] command [args...]" >&2
  exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/cezanne-session.XXXXXX")
pids=() # what this script started, stopped last to first
command_pid=""

# alive: is process $1 running (a zombie has finished)?
alive() {
  local stat
  read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
  stat=${stat##*) } # the state follows the command's name, which may hold ") "
  [ "${stat:0:1}" != Z ]
}

# waitgone: wait up to 5 seconds for process $1 to end.
waitgone() {
  for _ in $(seq 50); do
    alive "$1" || return 0
    sleep 0.1
  done
}

# stop: SIGTERM, then SIGKILL for what has not gone after 5 seconds.
stop() {
  kill -TERM "$1" 2>/dev/null || return 0
  waitgone "$1"
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

bus_address="" # ours, once our bus runs (the one inherited is the user's)

# bus_services: what the bus started for this session (D-Bus activation:
# the file dialog's portal, its GTK backend, the document portal), found
# by the bus address the bus gives each of them. Stopped before the display
# and the bus go, rather than left to die of losing them. One grep over
# every process's environment: a grep per process was 5,000 programs
# started in a make test, 20 s of its CPU.
bus_services() {
  [ -n "$bus_address" ] || return 0
  { grep -lzxF "DBUS_STARTER_ADDRESS=$bus_address" /proc/[0-9]*/environ 2>/dev/null || true; } |
    sed -e 's,^/proc/,,' -e 's,/environ$,,'
}

cleanup() {
  local i p
  trap '' INT TERM HUP # a second Ctrl+C must not cut the cleanup short
  # The command first, then what the bus started for it, then the rest,
  # last started first.
  if [ -n "$command_pid" ]; then stop "$command_pid"; fi
  for p in $(bus_services); do stop "$p"; done
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do stop "${pids[i]}"; done
  rm -rf "$work"
}
trap cleanup EXIT

# A signal to this script goes on to the command (a terminal's Ctrl+C
# reached it already, in the same process group); the EXIT trap then stops
# the rest. Bash runs these traps only between commands, so the command
# runs in the background and the script waits for it.
on_signal() {
  trap '' INT TERM HUP
  if [ -n "$command_pid" ]; then
    kill -"$1" "$command_pid" 2>/dev/null || true
    waitgone "$command_pid"
  fi
  exit $((128 + $2))
}
trap 'on_signal INT 2' INT
trap 'on_signal TERM 15' TERM
trap 'on_signal HUP 1' HUP

# waitfile: wait up to 10 s for file $1 to have content while process $2 runs.
waitfile() {
  for _ in $(seq 100); do
    [ -s "$1" ] && return 0
    alive "$2" || return 1
    sleep 0.1
  done
  [ -s "$1" ]
}

# A bus of our own rather than dbus-run-session, which leaves its daemon
# running when it is killed. The services run in sessions of their own: a
# terminal's Ctrl+C reaches the command alone, which then ends before its
# display and bus go (rather than dying of "XIO: fatal IO error" first).
setsid dbus-daemon --session --nofork --nopidfile --print-address=5 5>"$work/bus" >"$work/dbus.log" 2>&1 &
pids+=("$!")
waitfile "$work/bus" "$!" || { echo "dbus-daemon did not start:" >&2; cat "$work/dbus.log" >&2; exit 1; }
DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$work/bus")
export DBUS_SESSION_BUS_ADDRESS
bus_address=$DBUS_SESSION_BUS_ADDRESS

# gnome-keyring keeps its keyrings under XDG_DATA_HOME: a temporary one means
# a fresh "login" keyring unlocked with a throwaway password. In the
# foreground its process is ours to stop.
mkdir -p "$work/data" "$work/runtime"
chmod 700 "$work/runtime"
printf 'e2e-password' | XDG_DATA_HOME="$work/data" XDG_RUNTIME_DIR="$work/runtime" \
  setsid gnome-keyring-daemon --foreground --unlock --components=secrets >"$work/keyring.env" 2>"$work/keyring.log" &
pids+=("$!")
# Wait until the Secret Service answers on the bus.
for _ in $(seq 50); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
    break
  fi
  sleep 0.1
done
control=$(sed -n 's/^GNOME_KEYRING_CONTROL=//p' "$work/keyring.env")
if [ -n "$control" ]; then
  export GNOME_KEYRING_CONTROL=$control
fi

# start_xvfb: an Xvfb on display $1 (empty: the first free one); it writes
# the display's number to $work/display once it accepts clients.
start_xvfb() {
  : >"$work/display"
  # shellcheck disable=SC2086 # $1 is empty or one word
  setsid Xvfb $1 -displayfd 5 -screen 0 "$screen" -nolisten tcp 5>"$work/display" >"$work/xvfb.log" 2>&1 &
  local pid=$!
  if waitfile "$work/display" "$pid"; then
    pids+=("$pid")
    return 0
  fi
  stop "$pid"
  return 1
}
if ! { [ -n "$display" ] && start_xvfb ":$display"; } && ! start_xvfb ""; then
  echo "Xvfb did not start:" >&2
  cat "$work/xvfb.log" >&2
  exit 1
fi
DISPLAY=":$(head -n1 "$work/display")"
export DISPLAY
# Services the bus starts (the desktop's file dialog: xdg-desktop-portal
# and its GTK backend) draw on this display.
# NO_AT_BRIDGE: GTK would start an accessibility bus of its own as well.
if command -v dbus-update-activation-environment >/dev/null; then
  NO_AT_BRIDGE=1 dbus-update-activation-environment DISPLAY NO_AT_BRIDGE >/dev/null 2>&1 || true
fi

echo >&2
echo ">> A virtual desktop for this run: X display $DISPLAY (${screen%x*}), its own D-Bus session and a throwaway keyring." >&2
echo "   To see it: DISPLAY=$DISPLAY import -window root shot.png" >&2
echo "   All of it stops when the command ends." >&2

# Background commands of a script start with Ctrl+C ignored, and programs
# inherit that: the command gets the default back.
(
  trap - INT QUIT
  exec "$@"
) <&0 &
command_pid=$!
pids+=("$command_pid")
status=0
wait "$command_pid" || status=$?
exit "$status"
