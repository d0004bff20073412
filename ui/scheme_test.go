package ui

import (
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
)

func TestCustomScheme(t *testing.T) {
	for uri, want := range map[string]string{
		defaultCustomRedirect:      "x-cez",
		"x-other://cb/":            "x-other",
		defaultRedirect:            "",
		"https://app.example.com/": "",
		"not a redirect":           "",
	} {
		if got := customScheme(&auth.Profile{RedirectURI: uri}); got != want {
			t.Errorf("%q: %q, want %q", uri, got, want)
		}
	}
}
