package ui

import (
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
)

// A busy screen's spinner stops when the screen is replaced: Fyne keeps a
// detached spinner animating, redrawing the window every frame.
func TestSpinnerStopsWithItsScreen(t *testing.T) {
	h := newUIHarness(t, hrRobot(), nil)
	h.app.Start()
	consentApp(t, h.app) // its runner waits, on a goroutine of its own
	for name, show := range map[string]func(){
		"busy":    func() { h.app.showProgress("Signing in", "Checking the keyring…") },
		"waiting": func() { h.app.showWaiting(&auth.Profile{Name: "Demo tenant"}) },
		"consent": func() {
			h.app.form().pick(choiceDemo)
			test.Tap(findButton(t, h.app, "Consent check…"))
		},
	} {
		show()
		spinner := h.app.spinner
		if spinner != nil {
			test.WidgetRenderer(spinner) // on screen
			spinner.Start()              // as while a run waits for the browser
		}
		if spinner == nil || !spinner.Running() {
			t.Fatalf("%s screen: no running spinner", name)
		}
		h.app.showForm("")
		if spinner.Running() {
			t.Fatalf("%s screen replaced, its spinner still runs", name)
		}
	}
}

func TestKeyringWaitIsExplained(t *testing.T) {
	h := newUIHarness(t, nil, nil)
	a := h.app
	a.showProgress("Signing you in…", "Using the sign-in saved in your system keyring.")
	a.ctl.keyringWaiting("read the sign-in (refresh token)", true)
	if !a.progressNote.Visible() || !strings.Contains(a.progressNote.Text, "it may be asking for your password") {
		t.Fatalf("waiting note: %q", a.progressNote.Text)
	}
	a.ctl.keyringWaiting("read the sign-in (refresh token)", false)
	if a.progressNote.Visible() {
		t.Fatal("note stays after the keyring answered")
	}
}

// TestWordsForPeople: HR staff read plain words (the protocol's names wait
// under the QA options), good news is not shown in error red, and a missing
// keyring is explained in a sentence with the technical cause one click
// away, and not at all for the demo, which saves nothing anyway.
func TestWordsForPeople(t *testing.T) {
	tests := []struct {
		name  string
		store keyring.Store
		steps func(t *testing.T, h *uiHarness)
		check func(t *testing.T, h *uiHarness)
	}{
		{"the new-profile form", nil, newProfile, nil},
		{"the signed-in view", nil, signInDemo, nil},
		{"signed out is good news", nil, func(t *testing.T, h *uiHarness) {
			signInDemo(t, h)
			h.app.ctl.signOut(false)
		}, formSays("You are signed out.", widget.SuccessImportance)},
		{"a deleted profile is good news", nil, func(_ *testing.T, h *uiHarness) {
			p := saved("Old")
			h.app.ctl.profiles.save(p)
			h.app.ctl.removeProfile(p)
		}, formSays("Deleted the profile Old and its saved sign-in.", widget.SuccessImportance)},
		{"a failure is red", nil, func(_ *testing.T, h *uiHarness) { h.app.ctl.failed(errors.New("the tenant is down")) },
			formSays("The tenant is down.", widget.DangerImportance)},
		{"a failure's cause waits under Details", nil, func(_ *testing.T, h *uiHarness) {
			h.app.ctl.failed(&auth.TokenError{Op: "get a token", Err: errors.New(`Post "https://w3.cezanneondemand.com/x": dial tcp: no such host`)})
		}, func(t *testing.T, h *uiHarness) {
			formSays("Could not get a token: could not reach the tenant.", widget.DangerImportance)(t, h)
			if showing(h.app, "dial tcp") || !h.app.form().messageDetails.Visible() {
				t.Fatal("the cause shows before Details is opened, or there is no Details")
			}
			h.app.form().messageDetails.Open(0)
			if !showing(h.app, "dial tcp: no such host") {
				t.Fatal("Details does not give the cause")
			}
		}},
		{"no keyring, the demo", brokenStore{}, func(*testing.T, *uiHarness) {}, func(t *testing.T, h *uiHarness) {
			if f := h.app.form(); f.keyringBox.Visible() || f.signIn.Text != "Sign in" {
				t.Fatalf("the demo warns %q, button %q", f.keyringNote.Text, f.signIn.Text)
			}
		}},
		{"no keyring, a profile", brokenStore{}, newProfile, keyringExplained},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newUIHarness(t, hrRobot(), tt.store)
			h.app.Start()
			h.app.win.Resize(fyne.NewSize(1280, 800))
			tt.steps(t, h)
			if tt.check != nil {
				tt.check(t, h)
			}
			noJargon(t, h.app)
		})
	}
}

func newProfile(_ *testing.T, h *uiHarness) { h.app.form().picker.SetSelected(choiceNew) }

func signInDemo(t *testing.T, h *uiHarness) {
	test.Tap(h.app.form().signIn)
	if h.app.signedIn == nil {
		t.Fatalf("not signed in: %q", h.app.form().message.Text)
	}
}

// formSays checks the form's message and its colour.
func formSays(text string, importance widget.Importance) func(t *testing.T, h *uiHarness) {
	return func(t *testing.T, h *uiHarness) {
		if m := h.app.form().message; m.Text != text || m.Importance != importance {
			t.Fatalf("message %q in %v, want %q in %v", m.Text, m.Importance, text, importance)
		}
	}
}

// keyringExplained: the warning is a sentence; D-Bus's words wait under
// Details.
func keyringExplained(t *testing.T, h *uiHarness) {
	f := h.app.form()
	if !f.keyringNote.Visible() || strings.Contains(f.keyringNote.Text, "(") || strings.Contains(f.keyringNote.Text, "..") ||
		f.signIn.Text != "Sign in for this session only" {
		t.Fatalf("warns %q, button %q", f.keyringNote.Text, f.signIn.Text)
	}
	if showing(h.app, "not provided by any .service files") {
		t.Fatal("the D-Bus message shows before Details is opened")
	}
	f.keyringDetails.Open(0)
	if !showing(h.app, "The name org.freedesktop.secrets was not provided by any .service files") {
		t.Fatalf("Details does not give the cause: %q", visibleTexts(h.app.win.Content()))
	}
	f.keyringDetails.Close(0)
}

// noJargon fails when the window shows the protocol's words outside the
// QA options.
func noJargon(t *testing.T, a *App) {
	t.Helper()
	for _, s := range visibleTexts(a.win.Content()) {
		for _, j := range []string{"auto_approve", "PKCE", "Scopes", "TokenInfo", "org.freedesktop"} {
			if strings.Contains(s, j) {
				t.Errorf("%q shows %q", s, j)
			}
		}
	}
}
