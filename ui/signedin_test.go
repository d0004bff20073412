package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/data"
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

// TestDataServiceElsewhere: a data service at another origin than the
// tenant (here localhost against 127.0.0.1) is used only once the person
// has confirmed it, and the signed-in view then names it.
func TestDataServiceElsewhere(t *testing.T) {
	tests := []struct {
		name      string
		host      string // of the data service ("" means the default)
		confirmed bool
		signedIn  bool
		note      string // "" means no note
	}{
		{"the tenant's own", "", false, true, ""},
		{"elsewhere, confirmed", "localhost", true, true, "People come from http://localhost:"},
		{"elsewhere, not confirmed", "localhost", false, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newUIHarness(t, hrRobot(), nil)
			p, secret := h.profile("Sandbox", sandbox.ClientDesktopOnDemand, func(p *auth.Profile) {
				if tt.host != "" {
					p.DataServiceURL = strings.Replace(p.BaseURL, "127.0.0.1", tt.host, 1) + "/DataService.svc"
				}
			})
			p.DataServiceConfirmed = tt.confirmed
			a := h.newApp(p)
			a.Start()
			test.Type(a.form.secret, secret)
			test.Tap(a.form.signIn)
			if (a.signedIn != nil) != tt.signedIn {
				t.Fatalf("signed in %v, want %v: %q", a.signedIn != nil, tt.signedIn, a.form.message.Text)
			}
			if !tt.signedIn {
				if msg := a.form.message.Text; !strings.Contains(msg, "not your tenant's address") || !strings.Contains(msg, "localhost") {
					t.Fatalf("form says %q", msg)
				}
				if h.browserOpens() != 0 {
					t.Fatal("the browser opened for an unconfirmed data service")
				}
				return
			}
			if got := a.signedIn.dataNote.Text; !strings.HasPrefix(got, tt.note) || (tt.note == "") != !a.signedIn.dataNote.Visible() {
				t.Fatalf("note %q (shown %v), want %q", got, a.signedIn.dataNote.Visible(), tt.note)
			}
		})
	}
}

func TestTokenInfoCardNamesCountryAndLocale(t *testing.T) {
	test.NewTempApp(t)
	card := tokenInfoCard(&data.TokenInfo{CountryID: 1, CountryName: "United Kingdom", LocaleID: 2057, LocaleName: "en-GB"}).(*widget.Card)
	form := card.Content.(*container.Scroll).Content.(*widget.Form)
	got := map[string]string{}
	for _, it := range form.Items {
		got[it.Text] = it.Widget.(*widget.Label).Text
	}
	for _, tc := range []struct{ label, want string }{
		{"Country", "United Kingdom"},
		{"Locale", "English (United Kingdom)"},
	} {
		if got[tc.label] != tc.want {
			t.Errorf("%s shows %q, want %q", tc.label, got[tc.label], tc.want)
		}
	}
}
