package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
)

// This file is App's side of the screens interface: what the controller
// asks the window to show.

// redrawMark is refreshed to have Fyne draw the window again as it is: it is
// in no window, so refreshing it frees no texture, yet marks the canvas for
// a frame, and Fyne draws the whole window in every frame.
var redrawMark = canvas.NewRectangle(color.Transparent)

// Redraw has Fyne draw every window of the app again, unchanged (the main
// one and any flow trace window); call it on the UI goroutine. The app's
// text cache (internal/tuning) calls it so that the textures of the strings
// on screen do not expire while a person reads, and when it lengthens
// Fyne's cache duration, which a window not drawn then would not get.
func (a *App) Redraw() {
	for _, w := range a.fyneApp.Driver().AllWindows() {
		w.Canvas().Refresh(redrawMark)
	}
}

// setContent shows a screen in the main window, with its spinner if it has
// one, and stops the last screen's.
func (a *App) setContent(c fyne.CanvasObject, spinner *busyIndicator) {
	if a.spinner != nil {
		a.spinner.Stop()
	}
	a.spinner = spinner
	a.win.SetContent(c)
}

// showForm shows the profile form with an optional error message.
func (a *App) showForm(msg string) { a.showFormMessage(msg, toneError) }

// showFormMessage shows the profile form with a message of tone t.
func (a *App) showFormMessage(msg string, t tone) {
	a.waiting = nil
	f := a.form()
	f.say(msg, t)
	a.setContent(f.content, nil)
}

func (a *App) onForm() bool { return a.madeForm != nil && a.win.Content() == a.madeForm.content }

// form is the profile form, made the first time it is needed and showing
// the profile chosen until then.
func (a *App) form() *profileForm {
	if a.madeForm == nil {
		a.madeForm = newProfileForm(a.formActions())
		if a.chose {
			a.madeForm.show(a.chosen)
		}
	}
	return a.madeForm
}

// selectProfile shows p on the form (nil: the demo tenant), or keeps it
// for the form to show once it is made.
func (a *App) selectProfile(p *auth.Profile) {
	if a.madeForm == nil {
		a.chosen, a.chose = p, true
		return
	}
	a.madeForm.show(p)
}

// showProgress is a simple busy screen with Cancel.
func (a *App) showProgress(title, detail string) {
	a.waiting = nil
	t := widget.NewLabelWithStyle(title, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	d := widget.NewLabelWithStyle(detail, fyne.TextAlignCenter, fyne.TextStyle{})
	cancel := widget.NewButton("Cancel", a.ctl.cancelProgress)
	a.progressNote = wrapped("", widget.WarningImportance)
	a.progressNote.Alignment = fyne.TextAlignCenter
	a.progressNote.Hide()
	spinner := newBusyIndicator()
	body := container.NewVBox(t, d, spinner, container.NewCenter(cancel), a.progressNote)
	a.setContent(container.NewCenter(container.NewGridWrap(fyne.NewSize(520, 240), body)), spinner)
}

// showWaiting is the screen shown while the person signs in in the browser.
func (a *App) showWaiting(p *auth.Profile) waitScreen {
	v := newWaitingView(p, waitingActions{
		again:     a.ctl.openBrowserAgain,
		copy:      a.fyneApp.Clipboard().SetContent,
		showTrace: a.showTraceWindow,
		cancel:    a.ctl.cancelSignIn,
	})
	a.waiting = v
	a.setContent(v.content, v.spinner)
	return v
}

func (a *App) setKeyringNote(msg string) {
	if a.waiting != nil {
		setNote(a.waiting.note, msg)
	}
	if a.progressNote != nil {
		setNote(a.progressNote, msg)
	}
}

func (a *App) submitForm()                              { a.form().submit() }
func (a *App) clearSecret()                             { a.form().clearSecret() }
func (a *App) needSecret()                              { a.form().needSecret() }
func (a *App) qaOptions() ([]string, string)            { return a.form().model.qaOptions() }
func (a *App) setKeyringProblem(err error)              { a.form().setKeyringProblem(err) }
func (a *App) schemeRegistered(scheme string)           { a.form().schemeRegistered(scheme) }
func (a *App) askToRegister(s string, ok func(bool))    { askToRegister(a.win, s, ok) }
func (a *App) confirmDelete(p *auth.Profile, ok func()) { confirmDelete(a.win, p, ok) }
func (a *App) askImport(saved, file *auth.Profile, newName string, answer func(importChoice)) {
	askImport(a.win, saved, file, newName, answer)
}

func (a *App) setBanner(msg string) {
	if a.signedIn != nil {
		a.signedIn.setBanner(msg)
	}
}

// askToRegister asks before making scheme:// links open this app.
// Registering touches the user's desktop settings (or registry), so it is
// never done silently.
func askToRegister(w fyne.Window, scheme string, answer func(ok bool)) {
	dialog.ShowConfirm("Open "+scheme+":// links with Cezanne HR Desktop?",
		"Your tenant sends the sign-in back to "+scheme+"://oauth-callback/.\n"+
			"For the browser to hand it to this app, "+scheme+":// links must open Cezanne HR Desktop.\n"+
			"This changes a setting for your user account only.",
		answer, w)
}

// confirmDelete asks before deleting a profile and its keyring entries.
func confirmDelete(w fyne.Window, p *auth.Profile, then func()) {
	dialog.ShowConfirm("Delete "+p.Name+"?",
		"The profile and its saved sign-in and client secret will be removed from this computer.",
		func(ok bool) {
			if ok {
				then()
			}
		}, w)
}

func wrapped(text string, importance widget.Importance) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.Importance = importance
	return l
}

func setNote(l *widget.Label, msg string) {
	l.SetText(msg)
	if msg == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// formActions connect the form to the controller.
func (a *App) formActions() formActions {
	return formActions{
		profiles:      a.ctl.profiles,
		launch:        a.opts.Profile,
		signIn:        a.ctl.signIn,
		confirmDelete: a.confirmDelete,
		remove:        a.ctl.removeProfile,
		importProfile: a.ctl.importProfile,
		register: func(scheme string, done func()) {
			a.askToRegister(scheme, func(ok bool) { a.ctl.registerScheme(scheme, ok, done) })
		},
		about:   a.showAbout,
		state:   a.ctl.state,
		win:     a.win,
		files:   a.fileDialogs(a.win),
		schemes: a.opts.Schemes,
		goFn:    a.opts.Go,
		do:      fyne.Do,

		consentCheck: a.startConsentCheck,
	}
}
