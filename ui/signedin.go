package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/data"
)

// signedInView shows who is signed in, the session, and their people.
type signedInView struct {
	app      *App
	people   *peopleView
	trace    *traceView
	tabs     *container.AppTabs
	banner   *widget.Label
	session  *sessionCard
	switcher *widget.Select
	stop     context.CancelFunc
}

func (a *App) showSignedIn(l *loaded) {
	a.leaveSignedIn()
	a.session, a.client = l.session, l.client
	v := &signedInView{app: a}
	a.signedIn = v
	if !a.profile.Demo {
		a.profiles.setCurrent(a.profile.Name)
	}

	who := widget.NewLabelWithStyle(fmt.Sprintf("%s · %s", l.info.DisplayName(), a.session.Profile.Name), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	who.SizeName = "subHeadingText"
	signOut := widget.NewButton("Sign out", func() { a.confirmSignOut(false) })
	reload := widget.NewButton("Reload", func() { v.people.reopen() })
	// A fresh authorisation, ignoring the stored refresh token: QA staff
	// repeat the consent flow with it, and anyone can switch accounts.
	again := widget.NewButton("Sign in again", func() { a.signInAgain() })
	v.switcher = widget.NewSelect(a.profiles.names(), nil)
	v.switcher.PlaceHolder = "Switch profile"
	v.switcher.OnChanged = func(name string) { a.switchProfile(name) }
	if len(v.switcher.Options) == 0 {
		v.switcher.Hide()
	}
	top := container.NewBorder(nil, nil, nil, container.NewHBox(v.switcher, reload, again, signOut, widget.NewButton("About", a.showAbout)), who)

	v.banner = wrapped("", widget.WarningImportance)
	v.banner.Hide()

	v.people = newPeopleView(a, l)
	v.trace = newTraceView(a, a.Trace())
	v.tabs = container.NewAppTabs(
		container.NewTabItem("People", v.people.content),
		container.NewTabItem("Flow trace", v.trace.content),
	)
	peoplePane := v.tabs

	v.session = newSessionCard(a, l.session, a.store() != a.opts.Store && !a.profile.Demo)
	left := container.NewVSplit(tokenInfoCard(l.info), v.session.card)
	left.Offset = 0.58
	split := container.NewHSplit(left, peoplePane)
	split.Offset = 0.24
	a.setContent(container.NewBorder(container.NewVBox(top, v.banner, widget.NewSeparator()), nil, nil, nil, split), nil)

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
		a.state("people-loaded", "rows", v.people.rows(), "total", v.people.total)
	}
	a.state("signed-in", "user", l.info.Username, "profile", a.profile.Name)
}

// showWarning shows a keyring problem, if there is one.
func (v *signedInView) showWarning() {
	if err := v.app.keyringErr; err != nil && !v.app.profile.Demo {
		v.setBanner("Signed in for this session only: " + errorText(err) + " You will sign in again next time.")
		return
	}
	if w := v.app.session.Warning(); w != nil {
		v.setBanner(errorText(w))
		v.app.state("keyring-warning", "err", w)
	}
}

func (v *signedInView) setBanner(msg string) { setNote(v.banner, msg) }

// confirmSignOut asks before forgetting the sign-in, and whether to forget
// the saved client secret as well (a shared computer, a leaving employee);
// everywhere pre-ticks that.
func (a *App) confirmSignOut(everywhere bool) {
	if a.profile == nil || a.profile.Demo {
		a.signOut(true)
		return
	}
	forget := widget.NewCheck("Also forget the client secret: sign out everywhere for this profile", nil)
	forget.SetChecked(everywhere)
	text := widget.NewLabel("The saved sign-in for " + a.profile.Name + " will be removed from the system keyring.\nNext time you will sign in in the browser again.")
	d := dialog.NewCustomConfirm("Sign out?", "Sign out", "Cancel", container.NewVBox(text, forget), func(ok bool) {
		if ok {
			a.signOut(forget.Checked)
		}
	}, a.win)
	a.signOutDialog = d
	d.Show()
}

// tokenInfoCard lists the TokenInfo fields in the order Cezanne documents them.
func tokenInfoCard(ti *data.TokenInfo) fyne.CanvasObject {
	rows := [][2]string{
		{"Name", ti.DisplayName()},
		{"First name", ti.FirstName},
		{"Last name", ti.LastName},
		{"User name", ti.Username},
		{"Email", ti.EmailAddress},
		{"Country", fmt.Sprintf("%s (%d)", ti.CountryName, ti.CountryID)},
		{"Locale", fmt.Sprintf("%s (%d)", ti.LocaleName, ti.LocaleID)},
		{"Time zone", ti.TimeZone},
		{"User GUID", ti.UserGUID},
		{"Person GUID", ti.PersonGUID},
		{"Role GUID", ti.RoleGUID},
		{"Role hierarchy", strings.Join(ti.RoleHierarchy, "\n")},
		{"Tenant GUID", ti.TenantGUID},
	}
	form := widget.NewForm()
	for _, r := range rows {
		value := widget.NewLabel(r[1])
		value.Wrapping = fyne.TextWrapBreak
		value.Selectable = true
		form.Append(r[0], value)
	}
	return widget.NewCard("Signed in as", "TokenInfo", container.NewVScroll(form))
}

// handleError shows a data error where it belongs: a refused sign-in sends
// the person back to sign in (once), being offline keeps the session.
func (v *signedInView) handleError(err error) bool {
	switch {
	case errors.Is(err, auth.ErrSignInAgain):
		v.app.sessionEnded()
		return true
	case errors.Is(err, auth.ErrOffline):
		v.setBanner("Offline: " + errorText(err))
		v.app.state("offline", "err", err)
	}
	return false
}

// online clears the offline banner once data arrives again.
func (v *signedInView) online() {
	if strings.HasPrefix(v.banner.Text, "Offline") {
		v.setBanner("")
	}
}

// leaveSignedIn stops what the signed-in view runs: the countdown, page
// fetches and its shortcuts.
func (a *App) leaveSignedIn() {
	if v := a.signedIn; v != nil {
		if v.stop != nil {
			v.stop()
		}
		if v.people.browser != nil {
			v.people.browser.Close()
		}
		v.trace.close()
		removeShortcuts(a.win.Canvas())
	}
	a.session, a.client, a.signedIn = nil, nil, nil
}

// traceShortcut (Ctrl+T) shows the flow trace tab.
var traceShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyT, Modifier: fyne.KeyModifierShortcutDefault}

// signInAgain leaves the session (its stored sign-in stays until the new
// one replaces it) and authorises afresh in the browser.
func (a *App) signInAgain() {
	p := a.profile
	if p == nil {
		return
	}
	a.cancel()
	a.leaveSignedIn()
	a.state("sign-in-again-requested", "profile", p.Name)
	a.signIn(p, "")
}
