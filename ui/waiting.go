package ui

import (
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
)

// waitingActions are what the waiting screen's buttons do.
type waitingActions struct {
	// again opens the browser on url in the background; the outcome
	// comes back through browserOpened.
	again     func(url string)
	copy      func(text string) // to the clipboard
	showTrace func()
	cancel    func()
}

// waitingView is shown while the person signs in in the browser.
type waitingView struct {
	status  *widget.Label
	again   *widget.Button
	copy    *widget.Button
	cancel  *widget.Button
	note    *widget.Label
	spinner *busyIndicator
	// noBrowser shows the link and why the browser could not be opened,
	// only when it could not.
	noBrowser *fyne.Container
	cause     *widget.Label
	link      *widget.Label
	content   fyne.CanvasObject
	url       string // the attempt's Authorize URL
	host      string // where it leads, for the person
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
		if v.url == "" {
			return
		}
		// Until the opener answers: a second tap would open a second tab.
		v.again.Disable()
		v.status.SetText("Opening your browser again…")
		do.again(v.url)
	})
	v.copy = widget.NewButton("Copy sign-in link", func() {
		if v.url != "" {
			do.copy(v.url)
			v.status.SetText("Link copied. Paste it into a browser's address bar (a private window works too).")
		}
	})
	v.again.Disable()
	v.copy.Disable()
	trace := widget.NewButton("Flow trace", do.showTrace)
	// Every text here is in a style the form has drawn: Fyne loads a new
	// style's faces on the UI goroutine when it first measures one (an
	// italic or monospace face took 50-80 ms), which would land in this
	// screen's first frame, right after Sign in. An aside is set smaller
	// rather than in italics.
	private := widget.NewLabelWithStyle("Testing with another account? Copy the link and open it in a private window "+
		"(Ctrl+Shift+N in Chrome and Edge, Ctrl+Shift+P in Firefox), so the browser's saved sign-in is not used.",
		fyne.TextAlignCenter, fyne.TextStyle{})
	private.SizeName = theme.SizeNameCaptionText
	private.Wrapping = fyne.TextWrapWord
	v.cancel = widget.NewButton("Cancel", do.cancel)
	v.note = wrapped("", widget.WarningImportance)
	v.note.Alignment = fyne.TextAlignCenter
	v.note.Hide()
	v.spinner = newBusyIndicator()
	v.noBrowser = v.newNoBrowser()
	body := container.NewVBox(title, v.status, v.noBrowser, v.spinner, hint,
		container.NewCenter(container.NewHBox(v.again, v.copy, trace, v.cancel)), private, v.note)
	// The link can be long: the screen scrolls rather than clip Cancel.
	v.content = container.NewCenter(container.NewGridWrap(fyne.NewSize(620, 520), stillScroll(body)))
	return v
}

// newNoBrowser is what the person needs when no browser opened: the link
// itself, selectable, next to the reason.
func (v *waitingView) newNoBrowser() *fyne.Container {
	what := widget.NewLabelWithStyle("Copy the sign-in link below (Copy sign-in link) and paste it into your browser's address bar. "+
		"This window is still waiting, and continues by itself once you have signed in.", fyne.TextAlignCenter, fyne.TextStyle{})
	what.Wrapping = fyne.TextWrapWord
	v.link = widget.NewLabel("")
	v.link.Wrapping = fyne.TextWrapBreak
	v.link.Selectable = true
	v.cause = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{})
	v.cause.SizeName = theme.SizeNameCaptionText
	v.cause.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(what, v.link, v.cause)
	box.Hide()
	return box
}

// setAttempt shows where the browser is being sent, once the URL is known.
func (v *waitingView) setAttempt(authURL string) {
	v.url = authURL
	v.host = authURL
	if u, err := url.Parse(authURL); err == nil {
		v.host = u.Host
	}
	v.status.SetText("Opening your browser on " + v.host + "…")
	v.link.SetText(authURL)
	v.again.Enable()
	v.copy.Enable()
}

// browserOpened shows whether the browser opened on the attempt; when it
// did not, the link and its Copy button take over.
func (v *waitingView) browserOpened(err error) {
	if v.url != "" {
		v.again.Enable()
	}
	if err == nil {
		v.status.SetText("Your browser is open on " + v.host + ".")
		v.noBrowser.Hide()
		v.copy.Importance = widget.MediumImportance
		v.copy.Refresh()
		return
	}
	v.status.SetText("Your browser could not be opened.")
	v.cause.SetText("What the system said: " + err.Error())
	v.noBrowser.Show()
	v.copy.Importance = widget.HighImportance
	v.copy.Refresh()
}

func (v *waitingView) setStatus(s string) { v.status.SetText(s) }
