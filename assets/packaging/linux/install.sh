#!/bin/sh
# Installs Cezanne HR Desktop for the current user under ~/.local (no root):
# the binary, its icon, the menu entry, and x-cez:// links opening the app.
#   ./install.sh              install (or update)
#   ./install.sh --uninstall  remove it again (sign-ins stay in the keyring)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix="${PREFIX:-$HOME/.local}"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
bin="$prefix/bin/cezanne-desktop"
desktop="$data/applications/com.cezannehr.desktop.desktop"
icon="$data/icons/hicolor/512x512/apps/com.cezannehr.desktop.png"

if [ "${1:-}" = "--uninstall" ]; then
	rm -f "$bin" "$desktop" "$icon" "$data/applications/com.cezannehr.desktop-x-cez.desktop"
	command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$data/applications" || true
	echo "Cezanne HR Desktop removed."
	exit 0
fi

mkdir -p "$(dirname "$bin")" "$(dirname "$desktop")" "$(dirname "$icon")"
install -m 0755 "$here/cezanne-desktop" "$bin"
install -m 0644 "$here/com.cezannehr.desktop.png" "$icon"
# The menu entry runs the installed binary by its full path: ~/.local/bin
# is not on every desktop session's PATH.
sed "s|^Exec=cezanne-desktop |Exec=$bin |" "$here/com.cezannehr.desktop.desktop" > "$desktop"
chmod 0644 "$desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$data/applications" || true
if command -v xdg-mime >/dev/null 2>&1; then
	xdg-mime default com.cezannehr.desktop.desktop x-scheme-handler/x-cez
else
	"$bin" --register-scheme x-cez >/dev/null
fi
echo "Cezanne HR Desktop installed: $bin (menu: Office › Cezanne HR Desktop)."
