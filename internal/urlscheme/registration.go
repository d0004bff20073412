// Package urlscheme registers a custom URL scheme (x-cez://) with the
// operating system, so that the browser hands a sign-in response to this
// app: a .desktop file and mimeapps.list on Linux and other freedesktop
// systems, the user's registry hive on Windows, the app bundle's Info.plist
// on macOS. NewRegistration picks the one for the OS the app was built for.
package urlscheme

import (
	"fmt"
	"regexp"
	"strings"
)

// Registration tells the OS to open links of a custom scheme
// (x-cez://…) with this app, so the browser can hand back the sign-in.
type Registration interface {
	// Registered reports whether the scheme opens this executable.
	Registered(scheme string) (bool, error)
	// Register makes the scheme open this executable, for this user only.
	Register(scheme string) error
}

// validScheme is RFC 3986's scheme syntax; anything else must never reach
// a registry key or a file name.
var validScheme = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*$`)

func checkScheme(scheme string) (string, error) {
	if !validScheme.MatchString(scheme) {
		return "", fmt.Errorf("%q is not a URL scheme", scheme)
	}
	switch s := strings.ToLower(scheme); s {
	case "http", "https", "file", "mailto", "ftp", "javascript", "data":
		return "", fmt.Errorf("%s: links belong to other apps; only a scheme of your own (such as x-cez) can be registered", s)
	default:
		return s, nil
	}
}
