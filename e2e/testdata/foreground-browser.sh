#!/bin/sh
# A browser that stays in the foreground, as one does when xdg-open starts
# it with no browser running: registered as the x-scheme-handler/http
# handler in the test's private XDG_DATA_HOME, so the real xdg-open runs it
# and returns only when it exits. It plays the person with the sandbox
# robot (unless CEZANNE_E2E_BROWSER_IDLE is set: a person who has not
# signed in yet), then stays open for 5 minutes.
#   CEZANNE_E2E_BROWSER_LOG  file that records what happened
#   CEZANNE_E2E_APP          the app binary under test
log="$CEZANNE_E2E_BROWSER_LOG"
echo "opened pid=$$" >> "$log"
if [ -z "$CEZANNE_E2E_BROWSER_IDLE" ]; then
	"$CEZANNE_E2E_APP" sandbox approve --hand-off "$1" >> "$log" 2>&1
	echo "delivered" >> "$log"
fi
sleep 300
echo "closed" >> "$log"
