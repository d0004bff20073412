#!/bin/sh
# The "browser" of the Windows test under Wine, installed as xdg-open on the
# test's PATH. The app opens the sign-in page with ShellExecute; Wine's
# winebrowser passes the URL to xdg-open on the Linux side, which is this
# script. A web page plays the person with the sandbox robot (the Linux app
# binary's "sandbox approve") and records that it was asked to open
# something. A link of another scheme (x-cez://, where the sandbox sends the
# browser back) goes to Windows, as a browser hands it to the shell: Wine
# bridge, for the test only: Wine 8's start and ShellExecute do not read
# per-user classes (HKCU\Software\Classes), where the installer registers
# x-cez, so winshell.exe reads the registered command and runs it, as
# Windows' shell does.
#   CEZANNE_E2E_BROWSER_LOG  file that records what was opened and the answers
#   CEZANNE_E2E_APP          the Linux app binary (its sandbox robot)
#   CEZANNE_E2E_WINE         wine64; WINEPREFIX is the test's prefix
#   CEZANNE_E2E_WINSHELL     winshell.exe (e2e/wine/winshell), as a Windows path
log="$CEZANNE_E2E_BROWSER_LOG"
case "$1" in
http*)
	echo "opened" >> "$log"
	exec "$CEZANNE_E2E_APP" sandbox approve --hand-off "$1" >> "$log" 2>&1 ;;
*)
	echo "link handed to Windows: ${1%%:*}" >> "$log"
	exec "$CEZANNE_E2E_WINE" "$CEZANNE_E2E_WINSHELL" open "$1" >> "$log" 2>&1 ;;
esac
