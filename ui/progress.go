package ui

import (
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
)

// waitingView is shown while the person signs in in the browser.
type waitingView struct {
	app    *App
	status *widget.Label
	again  *widget.Button
	copy   *widget.Button
	cancel *widget.Button
	note   *widget.Label
	url    string // the attempt's Authorize URL; set on the UI goroutine
}

func (a *App) showWaiting(p *auth.Profile) *waitingView {
	v := &waitingView{app: a}
	a.waiting = v
	title := widget.NewLabelWithStyle("Finish signing in in your browser", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = "headingText"
	v.status = widget.NewLabelWithStyle("Opening your browser on "+p.Name+"…", fyne.TextAlignCenter, fyne.TextStyle{})
	v.status.Wrapping = fyne.TextWrapWord
	hint := widget.NewLabelWithStyle("Sign in and allow access there. This window continues by itself.", fyne.TextAlignCenter, fyne.TextStyle{})
	hint.Wrapping = fyne.TextWrapWord
	v.again = widget.NewButton("Open the browser again", func() {
		if v.url != "" {
			if err := a.opts.OpenBrowser(v.url); err != nil {
				v.status.SetText("Could not open the browser: " + err.Error())
			}
		}
	})
	v.copy = widget.NewButton("Copy sign-in link", func() {
		if v.url != "" {
			a.fyneApp.Clipboard().SetContent(v.url)
			v.status.SetText("Link copied. Paste it into a browser (a private window works too).")
		}
	})
	v.again.Disable()
	v.copy.Disable()
	trace := widget.NewButton("Flow trace", a.showTraceWindow)
	private := widget.NewLabelWithStyle("Testing with another account? Copy the link and open it in a private window "+
		"(Ctrl+Shift+N in Chrome and Edge, Ctrl+Shift+P in Firefox), so the browser's saved sign-in is not used.",
		fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	private.Wrapping = fyne.TextWrapWord
	v.cancel = widget.NewButton("Cancel", func() {
		a.cancel()
		a.state("cancelled")
		a.showForm("Signing in was cancelled.")
	})
	v.note = wrapped("", widget.WarningImportance)
	v.note.Alignment = fyne.TextAlignCenter
	v.note.Hide()
	spinner := widget.NewProgressBarInfinite()
	body := container.NewVBox(title, v.status, spinner, hint,
		container.NewCenter(container.NewHBox(v.again, v.copy, trace, v.cancel)), private, v.note)
	a.setContent(container.NewCenter(container.NewGridWrap(fyne.NewSize(600, 380), body)), spinner)
	return v
}

// setAttempt is called from the sign-in goroutine once the URL is known.
func (v *waitingView) setAttempt(authURL string) {
	fyne.Do(func() {
		v.url = authURL
		host := authURL
		if u, err := url.Parse(authURL); err == nil {
			host = u.Host
		}
		v.status.SetText("Your browser is open on " + host + ".")
		v.again.Enable()
		v.copy.Enable()
	})
}

func (v *waitingView) setStatus(s string) { fyne.Do(func() { v.status.SetText(s) }) }

// setKeyringNote shows (or clears) that we are waiting for the keyring.
func (v *waitingView) setKeyringNote(msg string) { setNote(v.note, msg) }

func setNote(l *widget.Label, msg string) {
	l.SetText(msg)
	if msg == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// showProgress is a simple busy screen with Cancel.
func (a *App) showProgress(title, detail string) {
	t := widget.NewLabelWithStyle(title, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	d := widget.NewLabelWithStyle(detail, fyne.TextAlignCenter, fyne.TextStyle{})
	cancel := widget.NewButton("Cancel", func() {
		a.cancel()
		a.showForm("")
	})
	a.progressNote = wrapped("", widget.WarningImportance)
	a.progressNote.Alignment = fyne.TextAlignCenter
	a.progressNote.Hide()
	spinner := widget.NewProgressBarInfinite()
	body := container.NewVBox(t, d, spinner, container.NewCenter(cancel), a.progressNote)
	a.setContent(container.NewCenter(container.NewGridWrap(fyne.NewSize(520, 240), body)), spinner)
}

// showForm returns to the profile form with an optional message.
func (a *App) showForm(msg string) {
	if msg == "" && a.notice != "" {
		// Something that happened while starting up (a stray link).
		msg, a.notice = a.notice, ""
	}
	a.waiting = nil
	a.form.setMessage(msg)
	a.setContent(a.form.content, nil)
	a.state("form", "message", msg)
}
