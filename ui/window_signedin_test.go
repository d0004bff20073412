package ui

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

// Ctrl+T shows the flow trace while signed in, and does nothing after.
func TestSignedInShortcutsComeAndGo(t *testing.T) {
	h, _ := signedInDemo(t)
	c := h.app.win.Canvas()
	press := func() {
		c.(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyT, Modifier: fyne.KeyModifierShortcutDefault})
	}
	v := h.app.signedIn
	press()
	if v.tabs.SelectedIndex() != 1 {
		t.Fatal("Ctrl+T did not show the trace tab")
	}
	v.tabs.SelectIndex(0)
	h.app.ctl.signOut(false)
	press()
	if v.tabs.SelectedIndex() != 0 {
		t.Fatal("the shortcut outlived the signed-in view")
	}
}

// TestSignOutAskedComesWithItsDialog: sign-out-asked is logged once the
// confirmation is on the window, so that a click on its button, sent as
// soon as the line is read (the stall figure does), finds it there.
func TestSignOutAskedComesWithItsDialog(t *testing.T) {
	h := newUIHarness(t, hrRobot(), nil)
	p, secret := h.profile("Sandbox", sandbox.ClientDesktopOnDemand, nil)
	signInAndStore(t, h, p, secret)
	var a *App
	asked, shown := 0, false
	a = h.newApp(p, func(o *Options) {
		o.Logger = slog.New(stateHook{slog.NewTextHandler(io.Discard, nil), func(state string) {
			if state == "sign-out-asked" {
				asked++
				shown = a.signOutDialog != nil && a.win.Canvas().Overlays().Top() != nil
			}
		}})
	})
	a.Start()
	if a.signedIn == nil {
		t.Fatalf("not signed in from the store: %q", a.form().message.Text)
	}
	test.Tap(findButton(t, a, "Sign out"))
	if asked != 1 || !shown {
		t.Fatalf("sign-out-asked logged %d times, the dialog on the window then: %v", asked, shown)
	}
}

// stateHook is a log handler that also hands each record's state to f.
type stateHook struct {
	slog.Handler
	f func(state string)
}

func (h stateHook) Handle(ctx context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "state" {
			h.f(a.Value.String())
		}
		return true
	})
	return h.Handler.Handle(ctx, r)
}
