package urlscheme

import (
	"errors"
	"strings"
)

// bundleRegistration is macOS's: schemes are declared by the app bundle's
// Info.plist (CFBundleURLTypes, added by make package-macos) and Launch
// Services registers them when the app is installed; links then arrive as
// Apple Events (see urlevent_darwin.go in the main package). It builds on
// every OS so its tests run everywhere.
type bundleRegistration struct{ exe string }

// Registered: the app runs from inside an app bundle, whose Info.plist
// declares the scheme.
func (b bundleRegistration) Registered(scheme string) (bool, error) {
	if _, err := checkScheme(scheme); err != nil {
		return false, err
	}
	return strings.Contains(b.exe, ".app/Contents/MacOS/"), nil
}

// Register cannot be done by the app itself: installing the bundle does it.
func (b bundleRegistration) Register(string) error {
	return errors.New("on macOS the link type is registered by installing Cezanne HR Desktop.app from its .dmg (into Applications) and opening it once")
}
