package auth

import (
	"fmt"
	"regexp"
	"strings"
)

// SchemeRegistration tells the OS to open links of a custom scheme
// (x-cez://…) with this app, so the browser can hand back the sign-in.
type SchemeRegistration interface {
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
