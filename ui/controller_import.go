package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
)

// importChoice is the person's answer when a profile file has the name of
// a saved profile for another tenant or client ID.
type importChoice int

const (
	importKeep    importChoice = iota // keep the saved profile; drop the file
	importAsNew                       // add the file under a free name, "Name (2)"
	importReplace                     // replace the saved profile and forget its secrets
)

// sameBinding reports whether a and b sign in to the same tenant origin
// with the same client ID: only then may one use what was saved for the
// other.
func sameBinding(a, b *auth.Profile) bool {
	return a.TenantOrigin() == b.TenantOrigin() && a.ClientID == b.ClientID
}

// where says in words which tenant and client a profile is for.
func where(p *auth.Profile) string {
	return "tenant " + p.Root() + ", client ID " + p.ClientID
}

// importProfile adds a profile read from a file (Import…). Profile files
// come from outside, so one whose name is a saved profile's, for another
// tenant or client ID, never replaces it silently: the person chooses.
func (c *controller) importProfile(p *auth.Profile) {
	old := c.profiles.get(p.Name)
	if old == nil || sameBinding(old, p) {
		c.profiles.adopt(p)
		c.profiles.save(p)
		c.imported(p, "Imported the profile "+p.Name+".", toneDone)
		return
	}
	c.state("profile-import-conflict", "profile", p.Name)
	c.screens.askImport(old, p, c.profiles.freeName(p).Name, func(choice importChoice) { c.resolveImport(old, p, choice) })
}

// resolveImport carries out the person's answer about a same-name import.
func (c *controller) resolveImport(old, p *auth.Profile, choice importChoice) {
	switch choice {
	case importKeep:
		c.state("profile-import-kept", "profile", old.Name)
		c.screens.selectProfile(old)
		c.tell(fmt.Sprintf("Kept your saved profile %s; the file (%s) was not imported.", old.Name, where(p)), toneInfo)
	case importAsNew:
		q := c.profiles.freeName(p)
		c.profiles.adopt(q)
		c.profiles.save(q)
		c.imported(q, fmt.Sprintf("Imported the file as %s. Your saved profile %s (%s) is unchanged.", q.Name, old.Name, where(old)), toneDone)
	case importReplace:
		// The secrets were saved for the old tenant or client: they go
		// with it, and the person enters the new client secret.
		c.profiles.save(p)
		c.forget(old, c.store(), true, "Replacing the profile "+p.Name+"…", func(err error) {
			msg, t := fmt.Sprintf("Replaced the profile %s with the file's (%s). Its saved sign-in and client secret were removed; enter the client secret for the new tenant.", p.Name, where(p)), toneDone
			if err != nil {
				msg, t = fmt.Sprintf("Replaced the profile %s with the file's (%s), but its saved sign-in and client secret could not be removed from the keyring (%s). They are never sent to the new tenant.", p.Name, where(p), errorText(err)), toneWarning
			}
			c.imported(p, msg, t)
		})
	}
}

func (c *controller) imported(p *auth.Profile, msg string, t tone) {
	c.state("profile-imported", "profile", p.Name)
	c.screens.selectProfile(p)
	c.tell(msg, t)
}

// launchProfile saves the --profile file's profile and returns it as
// saved. A saved profile of the same name for another tenant or client ID
// is left alone: the file's opens under a free name, and the form says so.
// Nobody is asked, as the app may be starting to sign in at once.
func (c *controller) launchProfile(p *auth.Profile) *auth.Profile {
	if old := c.profiles.get(p.Name); old != nil && !sameBinding(old, p) {
		q := c.profiles.freeName(p)
		c.notice = fmt.Sprintf("Your saved profile %s is for another tenant or client ID (%s), so the profile file was opened as %s (%s).",
			old.Name, where(old), q.Name, where(q))
		c.state("profile-renamed", "profile", p.Name, "as", q.Name)
		p = q
	}
	c.profiles.adopt(p)
	c.profiles.save(p)
	c.profiles.setCurrent(p.Name)
	return p
}

// askImport asks what to do with a profile file named like a saved profile
// for another tenant or client ID; newName is the free name it would get.
func askImport(w fyne.Window, saved, file *auth.Profile, newName string, answer func(importChoice)) {
	var d dialog.Dialog
	choose := func(c importChoice) func() {
		return func() {
			d.Hide()
			answer(c)
		}
	}
	text := widget.NewLabel(fmt.Sprintf("You already have a profile called %s, for %s.\nThe file's profile is for %s.\n\n"+
		"Replacing it removes the saved sign-in and client secret of %s: they are never used for another tenant or client.",
		saved.Name, where(saved), where(file), saved.Name))
	text.Wrapping = fyne.TextWrapWord
	keep := widget.NewButton("Keep my profile", choose(importKeep))
	asNew := widget.NewButton("Import as "+newName, choose(importAsNew))
	replace := widget.NewButton("Replace "+saved.Name, choose(importReplace))
	replace.Importance = widget.DangerImportance
	d = dialog.NewCustomWithoutButtons("Import "+file.Name+"?",
		container.NewBorder(nil, container.NewHBox(keep, asNew, replace), nil, nil, text), w)
	d.Resize(fyne.NewSize(560, 0))
	d.Show()
}
