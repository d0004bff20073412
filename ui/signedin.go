package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/data"
)

// Below signedInNarrowWidth the session moves into a tab; the signed-in
// name keeps whoMinWidth before the actions go into a menu.
const (
	signedInNarrowWidth = 1100
	whoMinWidth         = 160
)

// signedInActions are what the signed-in view's controls do.
type signedInActions struct {
	profiles      []string // to switch to
	switchProfile func(name string)
	signOut       func(everywhere bool) // asks first
	signInAgain   func()
	sessionEnded  func(error)
	about         func()
	state         func(name string, args ...any)
}

// signedInView shows who is signed in, the session, and their people.
type signedInView struct {
	do     signedInActions
	st     signedInState
	people *peopleView
	trace  *traceView
	tabs   *container.AppTabs
	banner *widget.Label
	// dataNote names the data service when it is not at the tenant's
	// address: it receives the sign-in too.
	dataNote *widget.Label
	session  *sessionCard
	switcher *widget.Select
	top      fyne.CanvasObject
	actions  *actionBar
	// body is the session beside the tabs, or a tab of its own when the
	// window is narrow; sessionTab is that tab while it is one.
	body       *adaptive
	sessionTab *container.TabItem
	content    fyne.CanvasObject
	stop       context.CancelFunc
	// keyringBanner is the keyring warning the banner shows, if it does,
	// so the banner can go once the keyring takes the sign-in again.
	keyringBanner string
	// side holds the TokenInfo and session cards, each in a box of its
	// own, and traceTab the flow trace; the boxes and the tab are filled a
	// few frames after the view is first shown (revealSoon).
	side, traceTab       *fyne.Container
	tokenBox, sessionBox *fyne.Container
	deferred             []deferredPart
	stopReveal           func()
	rowsDrawn            bool // the table held nothing back at the last look
}

// deferredPart is a part of the view put into its holder after the first
// frames, by fill. A part nothing else needs before is made there and
// then: made with the view, the TokenInfo card alone measured its 26
// strings inside the frame that shows the view. (The session card and the
// trace are made with the view: it updates them from the start.)
type deferredPart struct {
	holder *fyne.Container
	fill   func()
}

// filledWith is a deferredPart.fill that puts what made makes in holder.
func filledWith(holder *fyne.Container, made func() fyne.CanvasObject) deferredPart {
	return deferredPart{holder, func() {
		holder.Objects = []fyne.CanvasObject{made()}
		holder.Refresh()
	}}
}

// revealDelay is how often revealSoon looks whether the next deferred part
// may come: once the People table's text budget has held nothing back at
// two looks in a row (textbudget.go). Fyne measures, shapes and rasterises
// every string of a new screen in its first frame: all of this view's, some
// 80 (the cards' wrapped values, the toolbar, the rows), took 60-75 ms with
// software OpenGL. The rows come first, as they are what the person came
// for; then the Details pane's hint (a wrapped line); then the TokenInfo
// card (some 26 strings); then the session card; then the trace tab's
// contents, which Fyne measures though they are hidden. A look every 20
// ms, about a frame, puts each part in a frame of its own as a rule, not
// by any guarantee of Fyne's.
const revealDelay = 20 * time.Millisecond

// newSignedInView lays out a signed-in session; people and trace are its
// tabs, made by the caller.
func newSignedInView(l *loaded, st signedInState, do signedInActions) *signedInView {
	v := &signedInView{do: do, st: st}
	who := widget.NewLabelWithStyle(fmt.Sprintf("%s · %s", l.info.DisplayName(), l.session.Profile.Name), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	who.SizeName = "subHeadingText"
	signOut := widget.NewButton("Sign out", func() { do.signOut(false) })
	reload := widget.NewButton("Reload", func() { v.people.reopen() })
	// A fresh authorisation, ignoring the stored refresh token: QA staff
	// repeat the consent flow with it, and anyone can switch accounts.
	again := widget.NewButton("Sign in again", do.signInAgain)
	v.switcher = widget.NewSelect(do.profiles, nil)
	v.switcher.PlaceHolder = "Switch profile"
	v.switcher.OnChanged = do.switchProfile
	who.Truncation = fyne.TextTruncateEllipsis
	v.actions = newActionBar(v.switcherItem(), buttonItem(reload), buttonItem(again), buttonItem(signOut),
		buttonItem(widget.NewButton("About", do.about)))
	v.top = newToolbar(nil, who, v.actions, whoMinWidth)
	v.banner = wrapped("", widget.WarningImportance)
	v.banner.Hide()
	v.dataNote = wrapped("", widget.MediumImportance)
	if p := l.session.Profile; p.CrossOriginDataService() {
		v.dataNote.SetText("People come from " + auth.DisplayOrigin(p.DataServiceOrigin()) + ", not from your tenant's address (" +
			auth.DisplayOrigin(p.TenantOrigin()) + "); you confirmed it in the profile's advanced options.")
	} else {
		v.dataNote.Hide()
	}
	return v
}

// layout puts the view together once its parts exist.
func (v *signedInView) layout(l *loaded) {
	v.traceTab = container.NewStack()
	v.tabs = container.NewAppTabs(
		container.NewTabItem("People", v.people.content),
		container.NewTabItem("Flow trace", v.traceTab),
	)
	v.tokenBox, v.sessionBox = container.NewStack(), container.NewStack()
	left := container.NewVSplit(v.tokenBox, v.sessionBox)
	left.Offset = 0.58
	v.side = container.NewStack(left)
	v.deferred = []deferredPart{
		// The hint in place of a person, unless one came first: a
		// wrapped line, measured at each width the first layouts try.
		{v.people.detailBox, v.people.hintUnlessShown},
		filledWith(v.tokenBox, func() fyne.CanvasObject { return tokenInfoCard(l.info) }),
		filledWith(v.sessionBox, func() fyne.CanvasObject { return v.session.card }),
		filledWith(v.traceTab, func() fyne.CanvasObject { return v.trace.content }),
	}
	v.trace.shown = func() bool { return v.traceTab.Visible() && len(v.traceTab.Objects) > 0 }
	// A tab chosen before its contents came (Ctrl+T, a click, the Session
	// tab of a narrow window) gets them at once rather than a blank pane.
	v.tabs.OnSelected = func(it *container.TabItem) {
		if it.Content == v.side {
			v.revealNow(v.tokenBox)
			v.revealNow(v.sessionBox)
			return
		}
		v.revealNow(it.Content)
	}
	v.body = newAdaptive(signedInNarrowWidth, func(narrow bool) fyne.CanvasObject {
		return v.arrange(v.side, narrow)
	})
	v.content = container.NewBorder(container.NewVBox(v.top, v.dataNote, v.banner, widget.NewSeparator()), nil, nil, nil, v.body)
}

// arrange puts the session beside the tabs, or, in a narrow window, in a
// tab of its own so that People keep the whole width.
func (v *signedInView) arrange(left fyne.CanvasObject, narrow bool) fyne.CanvasObject {
	if narrow {
		v.sessionTab = container.NewTabItem("Session", left)
		v.tabs.Append(v.sessionTab)
		return v.tabs
	}
	if v.sessionTab != nil {
		reading := v.tabs.Selected() == v.sessionTab
		v.tabs.Remove(v.sessionTab)
		v.sessionTab = nil
		left.Show() // the tabs hid it when another tab was chosen
		if reading {
			v.tabs.SelectIndex(0)
		}
	}
	split := container.NewHSplit(left, v.tabs)
	split.Offset = 0.24
	return split
}

// revealSoon fills the deferred parts, one every revealDelay once the
// People table has drawn its rows (later is Options.Later).
func (v *signedInView) revealSoon(later func(time.Duration, func()) func()) {
	if len(v.deferred) == 0 {
		return
	}
	v.stopReveal = later(revealDelay, func() {
		v.stopReveal = nil
		// Not in the frame that draws the table's last rows: the
		// table must have been done at the call before as well.
		filling := v.people.budget.filling()
		// A tab chosen meanwhile may have taken the last parts.
		if !filling && v.rowsDrawn && len(v.deferred) > 0 {
			v.revealNow(v.deferred[0].holder)
		}
		v.rowsDrawn = !filling
		v.revealSoon(later)
	})
}

// revealNow fills holder, if it is a deferred part not shown yet.
func (v *signedInView) revealNow(holder fyne.CanvasObject) {
	for i, p := range v.deferred {
		if p.holder == holder {
			v.deferred = slices.Delete(v.deferred, i, i+1)
			p.fill()
			if len(v.deferred) == 0 {
				// Each part can raise the window's minimum size, and Fyne
				// then sets the window's size again: a test that sizes the
				// window waits for this.
				v.do.state("signed-in-shown")
			}
			return
		}
	}
}

// switcherItem is the profile switcher, or its profiles as a submenu.
func (v *signedInView) switcherItem() barItem {
	return barItem{obj: v.switcher, off: len(v.switcher.Options) == 0, menu: func() *fyne.MenuItem {
		it := fyne.NewMenuItem("Switch profile", nil)
		var items []*fyne.MenuItem
		for _, name := range v.switcher.Options {
			items = append(items, fyne.NewMenuItem(name, func() { v.do.switchProfile(name) }))
		}
		it.ChildMenu = fyne.NewMenu("", items...)
		return it
	}}
}

// showWarning shows a keyring problem, if there is one.
func (v *signedInView) showWarning() {
	if err := v.st.keyringErr; err != nil && !v.st.profile.Demo {
		// The keyring's own message is on the form, under Details.
		v.setBanner("Signed in for this session only, as no system keyring is available on this computer: you will sign in again next time.")
		return
	}
	if w := v.session.session.Warning(); w != nil {
		v.keyringBanner = keyringWarningText(w)
		v.setBanner(v.keyringBanner)
		v.do.state("keyring-warning", "err", w)
		return
	}
	// The keyring saved the sign-in again (restarted, or unlocked): the
	// warning no longer holds, and left up it would contradict the session
	// card's "In the system keyring". A banner shown since stays.
	if v.keyringBanner != "" {
		if v.banner.Text == v.keyringBanner {
			v.setBanner("")
		}
		v.keyringBanner = ""
		v.do.state("keyring-recovered")
	}
}

func (v *signedInView) setBanner(msg string) { setNote(v.banner, msg) }

// keyringWarningText is the banner for a sign-in the keyring could not
// save: what it means for the person first, then the keyring's own words,
// in two lines of the window. The error's whole text says each part at
// length and took three or four, which Fyne measures again for the wrap in
// the frame the warning comes in (README, "Then why frames come in runs");
// the log keeps it.
func keyringWarningText(err error) string {
	var so *auth.SessionOnlyError
	if !errors.As(err, &so) {
		return errorText(err)
	}
	msg := "Signed in for this session only: a restart will ask you to sign in again. " + errorText(so.Err)
	if so.StaleKept != nil {
		msg += " The previous sign-in could not be removed from the keyring either, and the tenant will refuse it."
	}
	return msg
}

// tokenInfoCard lists the TokenInfo fields in the order Cezanne documents them.
func tokenInfoCard(ti *data.TokenInfo) fyne.CanvasObject {
	rows := [][2]string{
		{"Name", ti.DisplayName()},
		{"First name", ti.FirstName},
		{"Last name", ti.LastName},
		{"User name", ti.Username},
		{"Email", ti.EmailAddress},
		{"Country", ti.Country()},
		{"Locale", ti.Locale()},
		{"Time zone", ti.TimeZone},
		{"User GUID", ti.UserGUID},
		{"Person GUID", ti.PersonGUID},
		{"Role GUID", ti.RoleGUID},
		{"Role hierarchy", strings.Join(ti.RoleHierarchy, "\n")},
		{"Tenant GUID", ti.TenantGUID},
	}
	form := widget.NewForm()
	// Labels above values, as in Details: beside them, in a pane a quarter
	// of a laptop screen wide, emails and locales broke mid-word.
	form.Orientation = widget.Vertical
	for _, r := range rows {
		value := widget.NewLabel(r[1])
		value.Wrapping = fyne.TextWrapWord
		value.Selectable = true
		form.Append(r[0], value)
	}
	// A Form is a widget already: its Move does nothing when nothing
	// moves (stillScroll).
	return newPanel("Signed in as", container.NewVScroll(form))
}

// handleError shows a data error where it belongs: a refused sign-in sends
// the person back to sign in (once), being offline keeps the session. It
// says whether the error ended the session.
func (v *signedInView) handleError(err error) bool {
	switch {
	case errors.Is(err, auth.ErrSignInAgain):
		v.do.sessionEnded(err)
		return true
	case errors.Is(err, auth.ErrOffline):
		v.setBanner("Offline: " + errorText(err))
		v.do.state("offline", "err", err)
	}
	return false
}

// online clears the offline banner once data arrives again.
func (v *signedInView) online() {
	if strings.HasPrefix(v.banner.Text, "Offline") {
		v.setBanner("")
	}
}

// close stops what the view runs: the countdown, page fetches and the
// trace's ticker.
func (v *signedInView) close() {
	if v.stop != nil {
		v.stop()
	}
	cancelLater(&v.stopReveal)
	if v.people.pager != nil {
		v.people.pager.Close()
	}
	v.trace.close()
	v.people.close()
}
