package ui

import (
	"slices"
	"strings"
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
)

// elsewhere is saved("Production") pointing at another tenant.
func elsewhere(name string) *auth.Profile {
	p := saved(name)
	p.Subdomain, p.BaseURL = "", "https://evil.example.com/CezanneOnDemand"
	return p
}

// TestLaunchProfileNeverReplacesAnotherTenant: --profile with the name of
// a saved profile for another tenant or client ID does not take over that
// profile (nor its stored sign-in): it opens under a free name and the
// form says so.
func TestLaunchProfileNeverReplacesAnotherTenant(t *testing.T) {
	otherClient := saved("Production")
	otherClient.ClientID = "attacker"
	tests := []struct {
		name     string
		launch   *auth.Profile
		also     []*auth.Profile // saved besides Production
		wantName string
		notice   bool
	}{
		{"same tenant and client", saved("Production"), nil, "Production", false},
		{"another tenant", elsewhere("Production"), nil, "Production (2)", true},
		{"another client ID", otherClient, nil, "Production (2)", true},
		{"the renamed copy from last time", elsewhere("Production"), []*auth.Profile{elsewhere("Production (2)")}, "Production (2)", true},
		{"a third tenant took (2)", elsewhere("Production"), []*auth.Profile{withClient(saved("Production (2)"), "third")}, "Production (3)", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newControllerHarness(t, func(o *Options) { o.Profile = tt.launch })
			original := saved("Production")
			h.c.profiles.save(original)
			for _, p := range tt.also {
				h.c.profiles.save(p)
			}
			_ = auth.Secrets(h.store, original).Set("Production", keyring.EntryRefreshToken, "rt")
			h.c.start()
			h.run()
			if h.c.profile == nil || h.c.profile.Name != tt.wantName {
				t.Fatalf("opened %v, want %q", h.c.profile, tt.wantName)
			}
			if got := h.c.profiles.get("Production"); got == nil || got.Root() != original.Root() || got.ClientID != original.ClientID {
				t.Fatalf("the saved Production was replaced: %+v", got)
			}
			if !stored(h.store, "Production", keyring.EntryRefreshToken) {
				t.Fatal("the saved Production lost its stored sign-in")
			}
			if got := h.c.profiles.get(tt.wantName); got == nil || got.Root() != tt.launch.Root() || h.c.profiles.current() != tt.wantName {
				t.Fatalf("%s not saved and current: %+v, current %q", tt.wantName, got, h.c.profiles.current())
			}
			form := h.screens.calls[len(h.screens.calls)-1]
			if said := strings.Contains(form, "opened as "+tt.wantName); said != tt.notice {
				t.Fatalf("form %q; want a notice: %v", form, tt.notice)
			}
		})
	}
}

func withClient(p *auth.Profile, clientID string) *auth.Profile {
	p.ClientID = clientID
	return p
}

// TestImportSameName: importing a file whose profile has the name of a
// saved one for another tenant or client ID asks; replacing forgets the
// saved secrets, never carrying them over.
func TestImportSameName(t *testing.T) {
	otherClient := withClient(saved("Production"), "attacker")
	tests := []struct {
		name       string
		file       *auth.Profile
		answer     importChoice
		asked      bool
		production string // Root of the saved Production afterwards
		keptSecret bool   // Production's keyring entries are still there
		also       string // another profile the import added
		form       string // what the form says, after its tone
	}{
		{"same tenant and client", saved("Production"), importKeep, false, saved("x").Root(), true, "", "(done): Imported the profile Production."},
		{"another tenant, keep", elsewhere("Production"), importKeep, true, saved("x").Root(), true, "", "(info): Kept your saved profile Production"},
		{"another tenant, as new", elsewhere("Production"), importAsNew, true, saved("x").Root(), true, "Production (2)", "(done): Imported the file as Production (2)"},
		{"another tenant, replace", elsewhere("Production"), importReplace, true, elsewhere("x").Root(), false, "", "(done): Replaced the profile Production"},
		{"another client, replace", otherClient, importReplace, true, saved("x").Root(), false, "", "(done): Replaced the profile Production"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newControllerHarness(t)
			h.screens.importAnswer = tt.answer
			original := saved("Production")
			h.c.profiles.save(original)
			for _, e := range []string{keyring.EntryRefreshToken, keyring.EntryClientSecret} {
				_ = auth.Secrets(h.store, original).Set("Production", e, "v")
			}
			h.c.importProfile(tt.file)
			h.run() // the keyring's part runs off the UI goroutine
			if asked := slices.Contains(h.screens.calls, "ask-import: Production"); asked != tt.asked {
				t.Fatalf("asked %v, want %v: %q", asked, tt.asked, h.screens.calls)
			}
			if got := h.c.profiles.get("Production"); got == nil || got.Root() != tt.production {
				t.Fatalf("Production is %+v, want root %s", got, tt.production)
			}
			for _, e := range []string{keyring.EntryRefreshToken, keyring.EntryClientSecret} {
				if stored(h.store, "Production", e) != tt.keptSecret {
					t.Fatalf("%s kept: %v, want %v", e, !tt.keptSecret, tt.keptSecret)
				}
			}
			if tt.also != "" && h.c.profiles.get(tt.also) == nil {
				t.Fatalf("%s not added: %q", tt.also, h.c.profiles.names())
			}
			if tt.also == "" && len(h.c.profiles.names()) != 1 {
				t.Fatalf("profiles %q", h.c.profiles.names())
			}
			if form := h.screens.calls[len(h.screens.calls)-1]; !strings.HasPrefix(form, "form "+tt.form) {
				t.Fatalf("form %q, want %q", form, tt.form)
			}
		})
	}
}

// TestImportReplaceSaysWhenSecretsStay: when the keyring cannot forget the
// old entries, the form says so (they are still never sent: they are
// bound to the old tenant).
func TestImportReplaceSaysWhenSecretsStay(t *testing.T) {
	h := newControllerHarness(t)
	h.c.opts.Store = lockedStore{h.store}
	h.screens.importAnswer = importReplace
	h.c.profiles.save(saved("Production"))
	h.c.importProfile(elsewhere("Production"))
	h.run()
	form := h.screens.calls[len(h.screens.calls)-1]
	if !strings.Contains(form, "could not be removed") || !strings.Contains(form, "never sent") {
		t.Fatalf("form %q", form)
	}
}
