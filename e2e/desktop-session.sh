#!/usr/bin/env bash
# Runs a command inside a throwaway desktop session for the end-to-end tests:
# a private D-Bus session bus with an unlocked gnome-keyring (a real Secret
# Service) and an Xvfb display of its own. Nothing here touches the user's
# own keyring or screen.
#   e2e/desktop-session.sh go test ./e2e/
set -euo pipefail

if [ -z "${CEZANNE_IN_DBUS:-}" ]; then
  exec env CEZANNE_IN_DBUS=1 dbus-run-session -- "$0" "$@"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/cezanne-session.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# gnome-keyring keeps its keyrings under XDG_DATA_HOME: a temporary one means
# a fresh "login" keyring unlocked with a throwaway password.
mkdir -p "$work/data" "$work/runtime"
chmod 700 "$work/runtime"
eval "$(printf 'e2e-password' | XDG_DATA_HOME="$work/data" XDG_RUNTIME_DIR="$work/runtime" \
  gnome-keyring-daemon --unlock --components=secrets --daemonize 2>"$work/keyring.log")"
export GNOME_KEYRING_CONTROL
# Wait until the Secret Service answers on the bus.
for _ in $(seq 50); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
       org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
    break
  fi
  sleep 0.1
done

exec 5>"$work/display"
Xvfb -displayfd 5 -screen 0 1400x900x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=("$!")
exec 5>&-
for _ in $(seq 100); do
  [ -s "$work/display" ] && break
  sleep 0.1
done
[ -s "$work/display" ] || { echo "Xvfb did not start:" >&2; cat "$work/xvfb.log" >&2; exit 1; }
export DISPLAY=":$(head -n1 "$work/display")"

echo >&2
echo "desktop session: D-Bus $DBUS_SESSION_BUS_ADDRESS, display $DISPLAY, keyring unlocked" >&2
"$@"
