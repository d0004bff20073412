package ui

import (
	"slices"
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
)

func TestCustomScheme(t *testing.T) {
	for uri, want := range map[string]string{
		defaultCustomRedirect:      "x-cez",
		"com.example.hr://cb/":     "com.example.hr",
		"x-other://cb/":            "", // not private-use: refused as a redirect
		defaultRedirect:            "",
		"https://app.example.com/": "",
		"not a redirect":           "",
	} {
		if got := customScheme(&auth.Profile{RedirectURI: uri}); got != want {
			t.Errorf("%q: %q, want %q", uri, got, want)
		}
	}
}

// TestTakingOverASchemeAsks: a scheme another program opens is taken over
// only after the person agrees to that, in a question of its own.
func TestTakingOverASchemeAsks(t *testing.T) {
	const refused = "form: x-cez:// links still open other.desktop. Use a loopback redirect URI (http://127.0.0.1:PORT/…), or register x-cez:// to sign in with it."
	tests := []struct {
		name     string
		takeOver bool
		want     []string
	}{
		{"declined", false, []string{"ask-register: x-cez", "ask-take-over: x-cez from other.desktop", refused}},
		{"agreed", true, []string{"ask-register: x-cez", "ask-take-over: x-cez from other.desktop", "scheme-registered: x-cez",
			"waiting: Sandbox", "status: Signed in. Loading your details…", "signed-in: hrprof session-only=false"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := &fakeRegistration{owners: map[string]string{"x-cez": "other.desktop"}}
			h := newControllerHarness(t, func(o *Options) { o.Schemes = reg })
			h.screens.register, h.screens.takeOver = true, tt.takeOver
			p := saved("Sandbox")
			p.RedirectURI = defaultCustomRedirect
			h.c.signIn(p, "s")
			h.run()
			if got := h.since(0); !slices.Equal(got, tt.want) {
				t.Fatalf("screens %q, want %q", got, tt.want)
			}
			if registered := slices.Contains(reg.schemes, "x-cez"); registered != tt.takeOver {
				t.Fatalf("registered %v, want %v", registered, tt.takeOver)
			}
		})
	}
}
