package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestCancelWhileWaitingForBrowser(t *testing.T) {
	h := newUIHarness(t, nil, nil)
	h.browser = func(string) error {
		// The person gives up while the browser is open.
		test.Tap(h.app.waiting.cancel)
		return nil
	}
	h.app.Start()
	test.Tap(h.app.form.signIn)
	if h.app.signedIn != nil || h.app.form.message.Text != "Signing in was cancelled." {
		t.Fatalf("after cancel: signed in %v, message %q", h.app.signedIn != nil, h.app.form.message.Text)
	}
}
