//go:build darwin

package auth

import (
	"errors"
	"strings"
)

// NewSchemeRegistration on macOS: schemes are declared by the app bundle's
// Info.plist (CFBundleURLTypes, added by make package-macos) and Launch
// Services registers them when the app is installed; links then arrive as
// Apple Events (see urlevent_darwin.go in the main package).
func NewSchemeRegistration(exe string) SchemeRegistration { return bundleRegistration{exe: exe} }

type bundleRegistration struct{ exe string }

func (b bundleRegistration) Registered(scheme string) (bool, error) {
	if _, err := checkScheme(scheme); err != nil {
		return false, err
	}
	return strings.Contains(b.exe, ".app/Contents/MacOS/"), nil
}

func (b bundleRegistration) Register(string) error {
	return errors.New("on macOS the link type is registered by installing Cezanne HR Desktop.app from its .dmg (into Applications) and opening it once")
}
