#!/bin/sh
# Builds dist/CezanneHRDesktop-<version>.dmg on a Mac (make package-macos).
# Needs Go, Xcode command line tools, and fyne.io/tools (installed here).
# Signing and notarisation run when their environment variables are set:
#   MACOS_SIGN_IDENTITY   "Developer ID Application: Name (TEAMID)" (codesign)
#   APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD   (notarytool; an app-specific password)
set -eu
cd "$(dirname "$0")/../../.."
version=$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
app="Cezanne HR Desktop.app"
mkdir -p dist

go install fyne.io/tools/cmd/fyne@v1.7.4
# Fyne with its run loop patched (third_party/fyne/README.md), as make builds it.
third_party/fyne/workspace.sh bin
GOWORK="$(pwd)/bin/go.work"
export GOWORK
"$(go env GOPATH)/bin/fyne" package -os darwin -tags migrated_fynedo,no_emoji,no_animations -release
rm -rf "dist/$app" && mv "$app" dist/

# fyne package has no field for URL types: declare x-cez:// in Info.plist
# (before signing, which seals the plist).
plist="dist/$app/Contents/Info.plist"
/usr/libexec/PlistBuddy -c "Delete :CFBundleURLTypes" "$plist" 2>/dev/null || true
/usr/libexec/PlistBuddy \
	-c "Add :CFBundleURLTypes array" \
	-c "Add :CFBundleURLTypes:0 dict" \
	-c "Add :CFBundleURLTypes:0:CFBundleURLName string com.cezannehr.desktop.signin" \
	-c "Add :CFBundleURLTypes:0:CFBundleTypeRole string Viewer" \
	-c "Add :CFBundleURLTypes:0:CFBundleURLSchemes array" \
	-c "Add :CFBundleURLTypes:0:CFBundleURLSchemes:0 string x-cez" \
	"$plist"
plutil -lint "$plist"

if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
	codesign --force --deep --options runtime --timestamp --sign "$MACOS_SIGN_IDENTITY" "dist/$app"
	codesign --verify --strict --verbose=2 "dist/$app"
else
	echo ">> MACOS_SIGN_IDENTITY not set: the app is not signed (Gatekeeper will warn on other Macs)"
fi

dmg="dist/CezanneHRDesktop-$version.dmg"
rm -f "$dmg"
staging=$(mktemp -d)
cp -R "dist/$app" "$staging/"
ln -s /Applications "$staging/Applications"
hdiutil create -volname "Cezanne HR Desktop" -srcfolder "$staging" -ov -format UDZO "$dmg"
rm -rf "$staging"

if [ -n "${MACOS_SIGN_IDENTITY:-}" ] && [ -n "${APPLE_ID:-}" ] && [ -n "${APPLE_TEAM_ID:-}" ] && [ -n "${APPLE_APP_PASSWORD:-}" ]; then
	codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$dmg"
	xcrun notarytool submit "$dmg" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" --password "$APPLE_APP_PASSWORD" --wait
	xcrun stapler staple "$dmg"
else
	echo ">> APPLE_ID, APPLE_TEAM_ID or APPLE_APP_PASSWORD not set: not notarised"
fi
echo ">> $dmg"
