package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/data"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

// TestPresetProfileIsOfferedFirst: a profile IT installed is selected when
// nobody chose one, and a choice made later wins over it.
func TestPresetProfileIsOfferedFirst(t *testing.T) {
	h := newUIHarness(t, nil, nil)
	preset, _ := h.profile("Company tenant", sandbox.ClientDesktopOnDemand, nil)
	presetOnly := func(o *Options) { o.Preset, o.SessionOnly = preset, true }
	a := h.newApp(nil, presetOnly)
	a.Start()
	if a.form.picker.Selected != "Company tenant" || a.form.clientID.Text != preset.ClientID {
		t.Fatalf("picker %q, client %q", a.form.picker.Selected, a.form.clientID.Text)
	}
	a.ctl.profiles.setCurrent("") // what choosing the demo tenant does
	b := h.newApp(nil, presetOnly)
	b.Start()
	if b.form.picker.Selected != choiceDemo {
		t.Fatalf("the preset overrode the person's choice: %q", b.form.picker.Selected)
	}
}

func TestStartChecksTheKeyringFirst(t *testing.T) {
	tests := []struct {
		name        string
		sessionOnly bool
		probe       error
		want        []string
	}{
		{"keyring", false, nil, []string{"select: demo", "progress: Starting…", "form: "}},
		{"no keyring", false, errors.New("no Secret Service"), []string{"select: demo", "progress: Starting…", "keyring-problem", "form: "}},
		{"session only", true, errors.New("not asked"), []string{"select: demo", "form: "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newControllerHarness(t, func(o *Options) { o.SessionOnly = tt.sessionOnly })
			h.c.flows.probe = func(keyring.Store) error { return tt.probe }
			h.c.start()
			h.run()
			if got := h.since(0); !slices.Equal(got, tt.want) {
				t.Fatalf("screens %q, want %q", got, tt.want)
			}
			if (h.c.keyringErr != nil) != (tt.probe != nil && !tt.sessionOnly) {
				t.Fatalf("keyring error %v, store %v", h.c.keyringErr, h.c.store())
			}
		})
	}
}

func TestNoKeyringOffersSessionOnly(t *testing.T) {
	h := newUIHarness(t, hrRobot(), brokenStore{})
	p, secret := h.profile("Sandbox", sandbox.ClientDesktopOnDemand, nil)
	a := h.newApp(p)
	a.Start()
	f := a.form
	if !f.keyringNote.Visible() || !strings.Contains(f.keyringNote.Text, "system keyring") ||
		!strings.Contains(f.keyringNote.Text, "this session only") || f.signIn.Text != "Sign in for this session only" {
		t.Fatalf("keyring problem not explained: %q / %q", f.keyringNote.Text, f.signIn.Text)
	}
	test.Type(f.secret, secret)
	test.Tap(f.signIn)
	if a.signedIn == nil {
		t.Fatalf("session-only sign-in failed: %q", f.message.Text)
	}
	if a.signedIn.session.kept.Text != "For this session only (nothing saved)" || !strings.Contains(a.signedIn.banner.Text, "Signed in for this session only") ||
		strings.Contains(a.signedIn.banner.Text, "org.freedesktop") {
		t.Fatalf("kept %q, banner %q", a.signedIn.session.kept.Text, a.signedIn.banner.Text)
	}
}

func TestSignOutVariants(t *testing.T) {
	tests := []struct {
		name     string
		profile  *auth.Profile
		forget   bool
		failing  bool
		want     []string
		leftInMe []string // entries still stored afterwards
	}{
		{"not signed in", nil, false, false, []string{"form: "}, []string{keyring.EntryRefreshToken, keyring.EntryClientSecret}},
		{"keeps the secret", saved("Sandbox"), false, false, []string{"leave", "form (done): You are signed out."}, []string{keyring.EntryClientSecret}},
		{"everywhere", saved("Sandbox"), true, false,
			[]string{"leave", "clear-secret", "form (done): You are signed out, and the client secret was removed from this computer."}, nil},
		{"demo never forgets a secret", &auth.Profile{Name: "Sandbox", Demo: true}, true, false,
			[]string{"leave", "form (done): You are signed out."}, []string{keyring.EntryRefreshToken, keyring.EntryClientSecret}},
		{"keyring fails", saved("Sandbox"), false, true,
			[]string{"leave", "form (warning): Signed out, but the saved sign-in could not be removed from the keyring: The keyring is locked."},
			[]string{keyring.EntryRefreshToken, keyring.EntryClientSecret}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newControllerHarness(t)
			var store keyring.Store = h.store
			if tt.failing {
				store = lockedStore{h.store}
			}
			h.c.opts.Store = store
			_ = auth.Secrets(h.store, saved("Sandbox")).Set("Sandbox", keyring.EntryRefreshToken, "rt")
			_ = auth.Secrets(h.store, saved("Sandbox")).Set("Sandbox", keyring.EntryClientSecret, "s")
			if tt.profile != nil {
				h.c.profile = tt.profile
				h.c.showSignedIn(&loaded{session: &auth.Session{Profile: tt.profile}, info: &data.TokenInfo{}})
			}
			n := len(h.screens.calls)
			h.c.signOut(tt.forget)
			if got := h.since(n); !slices.Equal(got, tt.want) {
				t.Fatalf("screens %q, want %q", got, tt.want)
			}
			for _, e := range []string{keyring.EntryRefreshToken, keyring.EntryClientSecret} {
				if stored(h.store, "Sandbox", e) != slices.Contains(tt.leftInMe, e) {
					t.Fatalf("%s stored: %v", e, stored(h.store, "Sandbox", e))
				}
			}
		})
	}
}

// lockedStore reads but cannot delete.
type lockedStore struct{ *keyring.MemoryStore }

func (lockedStore) Delete(string, string) error { return errors.New("the keyring is locked") }

func TestSwitchProfile(t *testing.T) {
	h := newControllerHarness(t)
	h.c.profiles.save(saved("Production"))
	h.c.profiles.save(saved("Test"))
	_ = auth.Secrets(h.store, saved("Test")).Set("Test", keyring.EntryClientSecret, "s")
	h.c.profile = saved("Production")
	h.c.showSignedIn(&loaded{session: &auth.Session{}, info: &data.TokenInfo{}})
	n := len(h.screens.calls)
	for _, name := range []string{"Production", "Nonexistent"} {
		h.c.switchProfile(name)
		if got := h.since(n); len(got) != 0 {
			t.Fatalf("switching to %s: %q", name, got)
		}
	}
	h.c.switchProfile("Test")
	h.run()
	want := []string{"leave", "select: Test", "progress: Signing you in to Test…", "signed-in: hrprof session-only=false"}
	if got := h.since(n); !slices.Equal(got, want) {
		t.Fatalf("screens %q, want %q", got, want)
	}
	if h.c.profiles.current() != "Test" || h.c.profile.Name != "Test" {
		t.Fatalf("current %q, profile %q", h.c.profiles.current(), h.c.profile.Name)
	}
}

func TestStrayLinkIsExplainedWhereThePersonLooks(t *testing.T) {
	stray := fmt.Errorf("link: %w", auth.ErrNoSignInWaiting)
	tests := []struct {
		name  string
		setUp func(h *controllerHarness)
		err   error
		want  []string
	}{
		{"signed in", func(h *controllerHarness) {
			h.c.profile = saved("Sandbox")
			h.c.showSignedIn(&loaded{session: &auth.Session{}, info: &data.TokenInfo{}})
		}, stray, []string{"banner: A sign-in response arrived from the browser, but no sign-in was waiting for it; it was ignored."}},
		{"on the form", func(h *controllerHarness) { h.c.showForm("") }, stray,
			[]string{"form (warning): A sign-in response arrived from the browser, but no sign-in was waiting for it. Start signing in from this window."}},
		{"starting up: shown with the form", func(h *controllerHarness) { h.c.showProgress("Starting…", "") }, stray, nil},
		{"waiting for another sign-in", func(h *controllerHarness) { h.c.showWaiting(saved("Sandbox")) }, stray, nil},
		{"delivered", func(h *controllerHarness) { h.c.showWaiting(saved("Sandbox")) }, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newControllerHarness(t)
			tt.setUp(h)
			n := len(h.screens.calls)
			h.c.linkReceived(tt.err)
			if got := h.since(n); !slices.Equal(got, tt.want) {
				t.Fatalf("screens %q, want %q", got, tt.want)
			}
		})
	}
	h := newControllerHarness(t)
	h.c.showProgress("Starting…", "")
	h.c.linkReceived(stray)
	h.c.showForm("")
	if got := h.screens.calls[len(h.screens.calls)-1]; !strings.Contains(got, "no sign-in was waiting") {
		t.Fatalf("the notice was not shown with the form: %q", got)
	}
}

func TestKeyringWaitNote(t *testing.T) {
	h := newControllerHarness(t)
	h.c.keyringWaiting("read the sign-in", true)
	h.c.keyringWaiting("read the sign-in", false)
	want := []string{"keyring-note: Waiting for the system keyring to read the sign-in: it may be asking for your password.", "keyring-note: "}
	if got := h.since(0); !slices.Equal(got, want) {
		t.Fatalf("notes %q", got)
	}
}

func TestCancelDropsTheSignInsResult(t *testing.T) {
	h := newControllerHarness(t)
	h.c.signIn(saved("Sandbox"), "typed")
	h.c.cancelSignIn()
	h.run()
	want := []string{"waiting: Sandbox", "form (info): Signing in was cancelled."}
	if got := h.since(0); !slices.Equal(got, want) {
		t.Fatalf("screens %q, want %q", got, want)
	}
	if h.c.session != nil {
		t.Fatal("signed in after cancelling")
	}
}

// The technical cause of a message goes under Details; the rest is the
// message.
func TestSplitDetails(t *testing.T) {
	dns := `Post "https://w3.cezanneondemand.com/CezanneOnDemand/OAuth/Token": dial tcp: lookup w3.cezanneondemand.com: no such host`
	tests := []struct {
		name  string
		err   error
		plain string
	}{
		{"plain", errors.New("the tenant is down"), "The tenant is down."},
		{"a short aside stays", errors.New("the tenant refused the request (access_denied)"), "The tenant refused the request (access_denied)."},
		{"unreachable", &auth.TokenError{Op: "get a token", Err: errors.New(dns)}, "Could not get a token: could not reach the tenant."},
		{"the server's words", &auth.TokenError{Op: "get a token", Code: "invalid_client", Message: "Client authentication failed because of an unknown client"},
			"Could not get a token: the tenant did not accept the client ID or client secret; check them with whoever registered the application."},
		{"an aside, then a cause", errors.New("sign-in failed (access_denied) after the tenant answered (" + strings.Repeat("x", 50) + ")"),
			"Sign-in failed (access_denied) after the tenant answered."},
		{"a long cause in brackets", &auth.OfflineError{Err: errors.New(dns)},
			"Cannot reach the Cezanne tenant right now; you are still signed in and the app will try again."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := errorText(tt.err)
			plain, details := splitDetails(msg)
			if plain != tt.plain {
				t.Fatalf("plain %q, want %q", plain, tt.plain)
			}
			if want := map[bool]string{true: "", false: msg}[plain == msg]; details != want {
				t.Fatalf("details %q, want %q", details, want)
			}
		})
	}
}
