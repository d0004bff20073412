package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

func TestRevokedGrantPromptsOnce(t *testing.T) {
	h := newUIHarness(t, hrRobot(), nil)
	p, secret := h.profile("Sandbox", sandbox.ClientDesktopOnDemand, nil)
	a := h.newApp(p)
	signInWith(t, a, secret)
	h.srv.RevokeGrants("")
	test.Tap(findButton(t, a, "Reload"))
	if a.signedIn != nil {
		t.Fatal("still in the signed-in view after the grant was revoked")
	}
	if msg := a.form.message.Text; msg != "Your sign-in to Sandbox has expired or was revoked. Please sign in again." {
		t.Fatalf("prompt %q", msg)
	}
	if h.browserOpens() != 1 {
		t.Fatal("the browser was opened without the person asking")
	}
	if stored(h.mem, "Sandbox", keyring.EntryRefreshToken) {
		t.Fatal("revoked sign-in kept")
	}
}
