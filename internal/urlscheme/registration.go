// Package urlscheme registers a custom URL scheme (x-cez://) with the
// operating system, so that the browser hands a sign-in response to this
// app: a .desktop file and mimeapps.list on Linux and other freedesktop
// systems, the user's registry hive on Windows, the app bundle's Info.plist
// on macOS. NewRegistration picks the one for the OS the app was built for.
package urlscheme

import (
	"errors"
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
	// When another program opens the scheme's links it changes nothing and
	// returns an *OwnedError (see TakeOver).
	Register(scheme string) error
}

// validScheme is RFC 3986's scheme syntax; anything else must never reach
// a registry key or a file name.
var validScheme = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*$`)

// reverseDNS is a private-use scheme as RFC 8252 section 7.1 asks for: a
// domain name the app's owner controls, reversed (com.example.app), so
// that it cannot be another program's. Each label starts with a letter or
// digit; at least two labels.
var reverseDNS = regexp.MustCompile(`^[a-z0-9][a-z0-9+-]*(\.[a-z0-9][a-z0-9+-]*)+$`)

// OwnScheme is the scheme Cezanne suggests for desktop apps; it is ours by
// convention, not by a domain name.
const OwnScheme = "x-cez"

// CheckPrivateUse returns the scheme in lower case when this app may
// register it: x-cez, or a reverse-DNS private-use scheme. Anything else
// (exefile, ms-settings, ssh, mailto…) names links other programs open, and
// registering it would send them to this app; a profile file must not be
// able to ask for that.
func CheckPrivateUse(scheme string) (string, error) {
	if !validScheme.MatchString(scheme) {
		return "", fmt.Errorf("%q is not a URL scheme", scheme)
	}
	s := strings.ToLower(scheme)
	if s == OwnScheme || reverseDNS.MatchString(s) {
		return s, nil
	}
	return "", fmt.Errorf("%s:// links may belong to other programs, so Cezanne HR Desktop will not register them; "+
		"use %s, or a scheme made from a domain name your organisation owns, reversed (such as com.example.hr)", s, OwnScheme)
}

func checkScheme(scheme string) (string, error) { return CheckPrivateUse(scheme) }

// ErrOwnedByOther means another program opens the scheme's links now:
// registering would take them over, which is done only when asked to.
var ErrOwnedByOther = errors.New("another program opens these links")

// OwnedError names the program that opens a scheme's links now.
type OwnedError struct {
	Scheme string
	Owner  string // a .desktop file name, or a Windows open command
}

func (e *OwnedError) Error() string {
	return e.Scheme + ":// links open " + e.Owner + " on this computer; registering would make them open Cezanne HR Desktop instead"
}

// Is makes errors.Is(err, ErrOwnedByOther) true.
func (e *OwnedError) Is(target error) bool { return target == ErrOwnedByOther }

// taker is a Registration that can take over a scheme another program
// owns. Register refuses with an *OwnedError in that case.
type taker interface {
	TakeOver(scheme string) error
}

// TakeOver registers scheme even when another program opens its links.
// Call it only after the person (or --take-over) said so.
func TakeOver(r Registration, scheme string) error {
	if t, ok := r.(taker); ok {
		return t.TakeOver(scheme)
	}
	return r.Register(scheme)
}

// register is every platform's Register and TakeOver: only a private-use
// scheme, and another program's registration is replaced only when the
// person asked for that (takeOver).
func register(scheme string, takeOver bool, owner func(string) string, write func(string) error) error {
	scheme, err := checkScheme(scheme)
	if err != nil {
		return err
	}
	if !takeOver {
		if o := owner(scheme); o != "" {
			return &OwnedError{Scheme: scheme, Owner: o}
		}
	}
	return write(scheme)
}
