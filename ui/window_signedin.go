package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// showSignedIn builds the signed-in view of a loaded session and shows it.
func (a *App) showSignedIn(l *loaded, st signedInState) {
	c := a.ctl
	v := newSignedInView(l, st, signedInActions{
		profiles:      c.profiles.names(),
		switchProfile: c.switchProfile,
		signOut:       a.confirmSignOut,
		signInAgain:   c.signInAgain,
		sessionEnded:  c.sessionEnded,
		about:         a.showAbout,
		state:         c.state,
	})
	v.people = newPeopleView(l, a.peopleActions(v))
	a.Trace() // the tab shows a run even when none was recorded
	v.trace = newTraceView(&a.traces, nil, a.traceActions(a.win))
	v.session = newSessionCard(l.session, st.sessionOnly, sessionActions{
		background:        c.background,
		signOutEverywhere: func() { a.confirmSignOut(true) },
		failed: func(err error) {
			if !v.handleError(err) {
				v.setBanner("Could not refresh: " + errorText(err))
			}
		},
		state: c.state,
	})
	v.layout(l)
	a.signedIn = v
	a.setContent(v.content, nil)
	v.revealSoon(a.opts.Later)

	ctx, stop := context.WithCancel(context.Background())
	v.stop = stop
	l.session.OnChange(func() {
		fyne.Do(func() {
			if a.signedIn == v {
				v.session.update()
				v.showWarning()
			}
		})
	})
	a.opts.Every(ctx, time.Second, v.session.tick)
	v.session.update()
	v.showWarning()
	removeShortcuts(a.win.Canvas())
	v.people.addShortcuts(a.win.Canvas())
	a.win.Canvas().AddShortcut(traceShortcut, func(fyne.Shortcut) { v.tabs.SelectIndex(1) })
	if l.peopleErr != nil {
		v.people.failed(l.peopleErr)
	} else {
		c.state("people-loaded", "rows", v.people.rows(), "total", v.people.total)
	}
}

// peopleActions connect a People view to the controller and its signed-in view.
func (a *App) peopleActions(v *signedInView) peopleActions {
	return peopleActions{
		background:      a.ctl.background,
		later:           a.opts.Later,
		newTextPerFrame: a.opts.NewTextPerFrame,
		cellFont:        a.cellFont,
		fetch:           a.opts.Fetch,
		heavy:           a.opts.Heavy,
		state:           a.ctl.state,
		onError:         v.handleError,
		onOnline:        v.online,
		prefs:           a.prefs,
		win:             a.win,
		files:           a.fileDialogs(a.win),
	}
}

// traceActions connect a trace view in window w to the app.
func (a *App) traceActions(w fyne.Window) traceActions {
	return traceActions{
		every:     a.opts.Every,
		goFn:      a.opts.Go,
		state:     a.ctl.state,
		copy:      a.fyneApp.Clipboard().SetContent,
		openURL:   a.opts.OpenBrowser,
		newWindow: a.showRunWindow,
		win:       w,
		files:     a.fileDialogs(w),
	}
}

// leaveSignedIn stops what the signed-in view runs, and its shortcuts.
func (a *App) leaveSignedIn() {
	if v := a.signedIn; v != nil {
		v.close()
		removeShortcuts(a.win.Canvas())
	}
	a.signedIn = nil
}

// confirmSignOut asks before forgetting the sign-in, and whether to forget
// the saved client secret as well (a shared computer, a leaving employee);
// everywhere pre-ticks that.
func (a *App) confirmSignOut(everywhere bool) {
	p := a.ctl.profile
	if p == nil || p.Demo {
		a.ctl.signOut(true)
		return
	}
	forget := widget.NewCheck("Also forget the client secret: sign out everywhere for this profile", nil)
	forget.SetChecked(everywhere)
	text := widget.NewLabel("The saved sign-in for " + p.Name + " will be removed from the system keyring.\nNext time you will sign in in the browser again.")
	d := dialog.NewCustomConfirm("Sign out?", "Sign out", "Cancel", container.NewVBox(text, forget), func(ok bool) {
		if ok {
			a.ctl.signOut(forget.Checked)
		}
	}, a.win)
	a.signOutDialog = d
	d.Show()
	a.ctl.state("sign-out-asked")
}

// traceShortcut (Ctrl+T) shows the flow trace tab.
var traceShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyT, Modifier: fyne.KeyModifierShortcutDefault}

func removeShortcuts(c fyne.Canvas) {
	c.RemoveShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault})
	c.RemoveShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault})
	c.RemoveShortcut(traceShortcut)
}
