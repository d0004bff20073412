#!/bin/sh
# The "browser" of the desktop tests, installed as xdg-open on their PATH.
# A web page plays the person with the sandbox robot (the app binary's
# "sandbox approve") and records that it was asked to open something; a link
# of another scheme (x-cez://) goes to the handler registered in
# mimeapps.list and its .desktop file, as xdg-open does.
#   CEZANNE_E2E_BROWSER_LOG  file that records what was opened and the answers
#   CEZANNE_E2E_APP          the app binary under test
log="$CEZANNE_E2E_BROWSER_LOG"
case "$1" in
http*)
	echo "opened" >> "$log"
	exec "$CEZANNE_E2E_APP" sandbox approve --hand-off "$1" >> "$log" 2>&1 ;;
*)
	scheme="${1%%:*}"
	desktop=$(sed -n "s|^x-scheme-handler/$scheme=\([^;]*\).*|\1|p" "$XDG_CONFIG_HOME/mimeapps.list")
	[ -n "$desktop" ] || { echo "no handler for $scheme" >> "$log"; exit 4; }
	cmd=$(sed -n 's|^Exec=\(.*\) %u$|\1|p' "$XDG_DATA_HOME/applications/$desktop")
	echo "link handed to $cmd" >> "$log"
	exec $cmd "$1" >> "$log" 2>&1 ;;
esac
