// Package localeenv keeps Fyne quiet in the C locale. Fyne reads the
// locale through github.com/jeandeaual/go-locale, which understands "C" and
// "POSIX" but takes the "C" of "C.UTF-8" (Debian's default where no locales
// are installed: containers, SSH sessions, CI) for a language and logs
// three lines of "Error parsing user locale C" from its package
// initialisation, before main runs, then again whenever Fyne asks for the
// system locale.
//
// Importing this package, for its side effect only, sets LANGUAGE=en in
// such a locale: go-locale then reads English, which is what C's messages
// are. It must run before go-locale's own initialisation; Go initialises
// packages in import-path order among those whose imports are ready, and
// this package imports nothing go-locale does not, while
// "github.com/cezanne-hr-desktop/…" sorts before "github.com/jeandeaual/…".
// TestNoLocaleErrorsInCLocales (main_test.go) runs the built binary and
// fails if that ever stops being so.
package localeenv

import (
	"os"
	"strings"
)

func init() {
	if v, ok := language(os.LookupEnv); ok {
		_ = os.Setenv("LANGUAGE", v)
	}
}

// language returns the LANGUAGE value that spares go-locale a C locale it
// cannot parse, and false when the environment needs none. It reads the
// variables as go-locale and gettext do: the first of LC_ALL, LC_MESSAGES
// and LANG that is set decides, and LANGUAGE, when set, is left alone.
func language(lookup func(string) (string, bool)) (string, bool) {
	if v, ok := lookup("LANGUAGE"); ok && v != "" {
		return "", false
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v, _ := lookup(name)
		if v == "" {
			continue
		}
		if isCVariant(v) {
			return "en", true
		}
		return "", false
	}
	return "", false
}

// isCVariant reports whether a locale name is C or POSIX with an encoding or
// a modifier ("C.UTF-8", "C.utf8", "POSIX@euro"), which go-locale would read
// as a language called "C"; it handles the bare names itself.
func isCVariant(name string) bool {
	base, _, found := strings.Cut(name, ".")
	if !found {
		base, _, found = strings.Cut(name, "@")
	}
	return found && (base == "C" || base == "POSIX")
}
