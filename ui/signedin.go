package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/data"
)

// signedInView shows who is signed in and their people.
type signedInView struct {
	app     *App
	people  *peopleTable
	status  *widget.Label
	more    *widget.Button
	warning *widget.Label
	next    *data.Page // the last page loaded, for its next link
}

func (a *App) showSignedIn(l *loaded) {
	a.session, a.client = l.session, l.client
	v := &signedInView{app: a}
	a.signedIn = v

	who := widget.NewLabelWithStyle(fmt.Sprintf("%s · %s", l.info.DisplayName(), a.session.Profile.Name), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	who.SizeName = "subHeadingText"
	signOut := widget.NewButton("Sign out", a.confirmSignOut)
	reload := widget.NewButton("Reload", func() { v.reload() })
	top := container.NewBorder(nil, nil, nil, container.NewHBox(reload, signOut), who)

	v.warning = widget.NewLabel("")
	v.warning.Importance = widget.WarningImportance
	v.warning.Wrapping = fyne.TextWrapWord
	v.warning.Hide()
	if w := l.session.Warning(); w != nil {
		v.warning.SetText(errorText(w))
		v.warning.Show()
	}

	v.people = newPeopleTable()
	v.status = widget.NewLabel("")
	v.more = widget.NewButton("Load more", func() { v.loadMore() })
	v.more.Hide()
	peopleHeader := widget.NewLabelWithStyle("People", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	peoplePane := container.NewBorder(
		container.NewBorder(nil, nil, peopleHeader, v.more, v.status), nil, nil, nil,
		v.people.table)

	split := container.NewHSplit(tokenInfoCard(l.info), peoplePane)
	split.Offset = 0.28
	a.win.SetContent(container.NewBorder(container.NewVBox(top, v.warning, widget.NewSeparator()), nil, nil, nil, split))
	v.showPage(l.people, l.peopleErr, false)
	a.state("signed-in", "user", l.info.Username)
}

// confirmSignOut asks before forgetting the sign-in, and whether to forget
// the saved client secret as well (a shared computer, a leaving employee).
func (a *App) confirmSignOut() {
	if a.profile == nil || a.profile.Demo {
		a.signOut(true)
		return
	}
	forget := widget.NewCheck("Also forget the client secret saved on this computer", nil)
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
		{"User GUID", ti.UserGuid},
		{"Person GUID", ti.PersonGuid},
		{"Role GUID", ti.RoleGuid},
		{"Role hierarchy", strings.Join(ti.RoleHierarchy, "\n")},
		{"Tenant GUID", ti.TenantGuid},
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

// showPage puts a page into the table (appending when more is true).
func (v *signedInView) showPage(p *data.Page, err error, more bool) {
	if err != nil {
		v.status.SetText("Could not load people: " + errorText(err))
		v.status.Importance = widget.DangerImportance
		v.status.Refresh()
		v.more.SetText("Retry")
		v.more.Show()
		v.app.state("people-error", "err", err)
		return
	}
	v.status.Importance = widget.MediumImportance
	if more {
		v.people.append(p.Rows)
	} else {
		v.people.set(p.Rows)
	}
	if p.Count >= 0 {
		v.people.total = p.Count
	}
	v.next = p
	shown := v.people.len()
	switch {
	case v.people.total >= 0:
		v.status.SetText(fmt.Sprintf("Showing %d of %d people", shown, v.people.total))
	default:
		v.status.SetText(fmt.Sprintf("Showing %d people", shown))
	}
	v.more.SetText("Load more")
	if p.Next != "" {
		v.more.Show()
	} else {
		v.more.Hide()
	}
	v.app.state("people-loaded", "rows", shown, "total", v.people.total)
}

func (v *signedInView) loadMore() {
	a, c, last := v.app, v.app.client, v.next
	if last == nil || last.Next == "" {
		v.reload()
		return
	}
	v.more.Disable()
	v.status.SetText(fmt.Sprintf("Loading more… (%d loaded)", v.people.len()))
	a.background(func(ctx context.Context) func() {
		p, err := c.NextPage(ctx, last)
		return func() {
			v.more.Enable()
			v.showPage(p, err, true)
		}
	})
}

func (v *signedInView) reload() {
	a, c := v.app, v.app.client
	v.status.SetText("Loading people…")
	a.background(func(ctx context.Context) func() {
		p, err := c.People(ctx, firstPage)
		return func() { v.showPage(p, err, false) }
	})
}
