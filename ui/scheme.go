package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
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

// askToRegister asks before making scheme:// links open this app, then
// continues with then. Registering touches the user's desktop settings
// (or registry), so it is never done silently.
func (a *App) askToRegister(scheme string, then func()) {
	dialog.ShowConfirm("Open "+scheme+":// links with Cezanne HR Desktop?",
		"Your tenant sends the sign-in back to "+scheme+"://oauth-callback/.\n"+
			"For the browser to hand it to this app, "+scheme+":// links must open Cezanne HR Desktop.\n"+
			"This changes a setting for your user account only.",
		func(ok bool) {
			if !ok {
				a.showForm("Signing in with " + scheme + ":// needs links of that kind to open this app. Register it, or use a loopback redirect URI (http://127.0.0.1:PORT/…).")
				return
			}
			if err := a.opts.Schemes.Register(scheme); err != nil {
				a.state("scheme-register-failed", "scheme", scheme, "err", err)
				a.showForm("Could not register " + scheme + ":// links: " + errorText(err))
				return
			}
			a.state("scheme-registered", "scheme", scheme)
			a.form.updateScheme()
			then()
		}, a.win)
}

// ReceiveLink takes a custom-scheme link the OS handed to the app (from a
// second process, or an Apple Event on macOS). Safe from any goroutine.
// Its error, if any, says why the link was refused.
func (a *App) ReceiveLink(raw string) error {
	var err error
	if a.opts.SchemeInbox == nil {
		err = errors.New("this app does not receive sign-in links")
	} else {
		err = a.opts.SchemeInbox.Deliver(raw)
	}
	fyne.Do(func() {
		a.ShowWindow()
		switch {
		case errors.Is(err, auth.ErrNoSignInWaiting):
			a.state("stray-callback")
			if a.signedIn != nil {
				a.signedIn.setBanner("A sign-in response arrived from the browser, but no sign-in was waiting for it; it was ignored.")
			} else if a.waiting == nil {
				a.notice = "A sign-in response arrived from the browser, but no sign-in was waiting for it. Start signing in from this window."
				if a.win.Content() == a.form.content {
					a.showForm("")
				}
			}
		case err != nil:
			a.state("callback-refused", "err", err)
		default:
			a.state("callback-link-received")
		}
	})
	return err
}

// ShowWindow brings the main window forward (a second launch of the app,
// or a link it received). Call on the UI goroutine.
func (a *App) ShowWindow() {
	a.win.Show()
	a.win.RequestFocus()
}
