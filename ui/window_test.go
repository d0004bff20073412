package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
)

// A busy screen's spinner stops when the screen is replaced: Fyne keeps a
// detached spinner animating, redrawing the window every frame.
func TestSpinnerStopsWithItsScreen(t *testing.T) {
	h := newUIHarness(t, hrRobot(), nil)
	h.app.Start()
	for name, show := range map[string]func(){
		"busy":    func() { h.app.showProgress("Signing in", "Checking the keyring…") },
		"waiting": func() { h.app.showWaiting(&auth.Profile{Name: "Demo tenant"}) },
	} {
		show()
		spinner := h.app.spinner
		if spinner != nil {
			test.WidgetRenderer(spinner) // on screen: it starts
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
