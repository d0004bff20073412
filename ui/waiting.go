package ui

import (
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
)

// waitingActions are what the waiting screen's buttons do.
type waitingActions struct {
	openBrowser func(url string) error
	copy        func(text string) // to the clipboard
	showTrace   func()
	cancel      func()
}

// waitingView is shown while the person signs in in the browser.
type waitingView struct {
	status  *widget.Label
	again   *widget.Button
	copy    *widget.Button
	cancel  *widget.Button
	note    *widget.Label
	spinner *widget.ProgressBarInfinite
	content fyne.CanvasObject
	url     string // the attempt's Authorize URL
}

func newWaitingView(p *auth.Profile, do waitingActions) *waitingView {
	v := &waitingView{}
	title := widget.NewLabelWithStyle("Finish signing in in your browser", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = "headingText"
	v.status = widget.NewLabelWithStyle("Opening your browser on "+p.Name+"…", fyne.TextAlignCenter, fyne.TextStyle{})
	v.status.Wrapping = fyne.TextWrapWord
	hint := widget.NewLabelWithStyle("Sign in and allow access there. This window continues by itself.", fyne.TextAlignCenter, fyne.TextStyle{})
	hint.Wrapping = fyne.TextWrapWord
	v.again = widget.NewButton("Open the browser again", func() {
		if v.url != "" {
			if err := do.openBrowser(v.url); err != nil {
				v.status.SetText("Could not open the browser: " + err.Error())
			}
		}
	})
	v.copy = widget.NewButton("Copy sign-in link", func() {
		if v.url != "" {
			do.copy(v.url)
			v.status.SetText("Link copied. Paste it into a browser (a private window works too).")
		}
	})
	v.again.Disable()
	v.copy.Disable()
	trace := widget.NewButton("Flow trace", do.showTrace)
	private := widget.NewLabelWithStyle("Testing with another account? Copy the link and open it in a private window "+
		"(Ctrl+Shift+N in Chrome and Edge, Ctrl+Shift+P in Firefox), so the browser's saved sign-in is not used.",
		fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	private.Wrapping = fyne.TextWrapWord
	v.cancel = widget.NewButton("Cancel", do.cancel)
	v.note = wrapped("", widget.WarningImportance)
	v.note.Alignment = fyne.TextAlignCenter
	v.note.Hide()
	v.spinner = widget.NewProgressBarInfinite()
	body := container.NewVBox(title, v.status, v.spinner, hint,
		container.NewCenter(container.NewHBox(v.again, v.copy, trace, v.cancel)), private, v.note)
	v.content = container.NewCenter(container.NewGridWrap(fyne.NewSize(600, 380), body))
	return v
}

// setAttempt shows where the browser was sent, once the URL is known.
func (v *waitingView) setAttempt(authURL string) {
	v.url = authURL
	host := authURL
	if u, err := url.Parse(authURL); err == nil {
		host = u.Host
	}
	v.status.SetText("Your browser is open on " + host + ".")
	v.again.Enable()
	v.copy.Enable()
}

func (v *waitingView) setStatus(s string) { v.status.SetText(s) }
