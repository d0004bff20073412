package ui

import (
	"context"
	"fmt"
	"io"

	"fyne.io/fyne/v2"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/atomicfile"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/trace"
)

// This file is App's side of the consent check: the screen in the main
// window, wired to the check's controller (consent.go).

// startConsentCheck leaves the form for the consent check of p (the QA
// options' "Consent check…", or --consent-check).
func (a *App) startConsentCheck(p *auth.Profile, typedSecret string) {
	// As for signing in, an x-cez:// redirect needs the scheme to open
	// this app; the demo's robot hands its links over itself.
	if scheme := customScheme(p); scheme != "" && !p.Demo && a.opts.Schemes != nil {
		if ok, _ := a.opts.Schemes.Registered(scheme); !ok {
			a.askToRegister(scheme, func(ok bool) {
				a.ctl.registerScheme(scheme, ok, func() { a.startConsentCheck(p, typedSecret) })
			})
			return
		}
	}
	a.ctl.cancel()
	a.waiting = nil
	var check *consentCheck
	v := newConsentView(consentActions{
		proceed: func() { check.proceed() },
		skip:    func() { check.skip() },
		repeat:  func() { check.repeat() },
		stopRun: func() { check.stopRun() },
		reply:   func(shown bool) { check.reply(shown) },
		cancel:  func() { check.stop() },
		again: func(u string) {
			if u != "" && a.opts.OpenBrowser != nil {
				a.consentGo(func() { _ = a.opts.OpenBrowser(u) })
			}
		},
		copy: func(u string) { a.fyneApp.Clipboard().SetContent(u) },
		save: func(i int) { a.saveConsentReport(check, i) },
		back: func() {
			a.leaveConsentCheck()
			a.ctl.showForm("")
		},
	})
	check = newConsentCheck(a.consentDeps(), v)
	a.consent = check
	// With its indicator: leaving the screen must stop it, as a running
	// indicator keeps itself in Fyne's caches and redraws the window.
	a.setContent(v.content, v.spinner)
	// The screen answers keys only while it shows: the form and the
	// signed-in view have typing of their own.
	a.win.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if a.consent == check && a.win.Content() == v.content {
			v.typedKey(&check.st, k)
		}
	})
	check.start(p, typedSecret)
}

// leaveConsentCheck stops the check on screen, if any, and its keys.
func (a *App) leaveConsentCheck() {
	if a.consent != nil {
		a.consent.stop()
	}
	a.consent = nil
	a.win.Canvas().SetOnTypedKey(nil)
}

// consentDeps wire a check to the app: the form's secrets and the demo
// tenant, the browser, the Flow trace's runs and the log.
func (a *App) consentDeps() consentDeps {
	src := a.ctl.secrets()
	return consentDeps{
		do:    a.consentDo,
		goFn:  a.consentGo,
		state: a.ctl.state,
		credentials: func(ctx context.Context, p *auth.Profile, typed string) (*auth.Profile, string, error) {
			prof, _, secret, _, err := src.credentials(ctx, p, typed)
			return prof, secret, err
		},
		setUp:       consentSetUp,
		openBrowser: a.opts.OpenBrowser,
		schemeInbox: a.opts.SchemeInbox,
		onTrace:     func(t *trace.Trace) { a.traces.Add(t) },
		appVersion:  a.version(),
		noSecret: func(err error) {
			a.leaveConsentCheck()
			a.form().needSecret()
			a.ctl.showForm(errorText(err))
		},
	}
}

// version is the app's version as the trace and reports give it.
func (a *App) version() string {
	if md := a.fyneApp.Metadata(); md.Version != "" {
		return fmt.Sprintf("%s (build %d)", md.Version, md.Build)
	}
	return ""
}

// saveConsentReport asks where to save the report in format i.
func (a *App) saveConsentReport(check *consentCheck, i int) {
	if check.st.report == nil {
		return
	}
	ext := consentFormats[i].ext
	a.fileDialogs(a.win).saveAs("Save the consent report", check.reportName(ext), ext, func(path string) { a.writeConsentReport(check, i, path) }, func() {
		check.saved("", fmt.Errorf("reports can be saved to files on this computer only"))
	})
}

// writeConsentReport writes the report in format i to path off the UI
// goroutine, and says on the screen where it went.
func (a *App) writeConsentReport(check *consentCheck, i int, path string) {
	rep, f := check.st.report, consentFormats[i]
	a.consentGo(func() {
		err := atomicfile.Write(path, 0o600, func(w io.Writer) error { return f.write(rep, w) })
		a.consentDo(func() { check.saved(path, err) })
	})
}
