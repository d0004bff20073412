package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/urlscheme"
)

// defaultCustomRedirect is the redirect Cezanne's guidance names for
// desktop apps.
const defaultCustomRedirect = "x-cez://oauth-callback/"

// customScheme is the profile's redirect scheme when it is a custom one
// (x-cez), or "".
func customScheme(p *auth.Profile) string {
	r, err := auth.ParseRedirectURI(p.RedirectURI)
	if err != nil || r.Kind != auth.RedirectCustomScheme {
		return ""
	}
	return r.URL.Scheme
}

// registerScheme acts on the person's answer to registering scheme, and
// calls then when signing in can go on. A scheme another program opens is
// taken over only after a second, explicit question: the person may rely
// on that program's links.
func (c *controller) registerScheme(scheme string, ok bool, then func()) {
	if !ok {
		c.showForm("Signing in with " + scheme + ":// needs links of that kind to open this app. Register it, or use a loopback redirect URI (http://127.0.0.1:PORT/…).")
		return
	}
	err := c.opts.Schemes.Register(scheme)
	var owned *urlscheme.OwnedError
	if errors.As(err, &owned) {
		c.state("scheme-owned", "scheme", scheme, "owner", owned.Owner)
		c.screens.askToTakeOver(scheme, owned.Owner, func(ok bool) {
			if !ok {
				c.showForm(scheme + ":// links still open " + owned.Owner + ". Use a loopback redirect URI (http://127.0.0.1:PORT/…), or register " + scheme + ":// to sign in with it.")
				return
			}
			c.registered(scheme, urlscheme.TakeOver(c.opts.Schemes, scheme), then)
		})
		return
	}
	c.registered(scheme, err, then)
}

// registered reports how registering scheme went.
func (c *controller) registered(scheme string, err error, then func()) {
	if err != nil {
		c.state("scheme-register-failed", "scheme", scheme, "err", err)
		c.showForm("Could not register " + scheme + ":// links: " + errorText(err))
		return
	}
	c.state("scheme-registered", "scheme", scheme)
	c.screens.schemeRegistered(scheme)
	then()
}

func (a *App) askToTakeOver(s, owner string, ok func(bool)) { askToTakeOver(a.win, s, owner, ok) }

// askToTakeOver asks before taking scheme:// links away from the program
// that opens them now.
func askToTakeOver(w fyne.Window, scheme, owner string, answer func(ok bool)) {
	dialog.ShowConfirm("Take "+scheme+":// links over from another program?",
		scheme+":// links open "+owner+" on this computer now.\n"+
			"If Cezanne HR Desktop takes them over, that program will no longer get them.\n"+
			"This changes a setting for your user account only.",
		answer, w)
}
