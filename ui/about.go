package ui

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// aboutFacts are the lines of the About dialog: what a support ticket
// needs to know about this copy of the app.
func (a *App) aboutFacts() [][2]string {
	md := a.fyneApp.Metadata()
	return [][2]string{
		{"Version", fmt.Sprintf("%s (build %d)", md.Version, md.Build)},
		{"App ID", md.ID},
		{"Go", runtime.Version()},
		{"Fyne", moduleVersion("fyne.io/fyne/v2")},
		{"System", runtime.GOOS + "/" + runtime.GOARCH},
	}
}

// moduleVersion is the version of a module built into the binary.
func moduleVersion(path string) string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	return depVersion(info, path)
}

// depVersion is the version of the dependency path in a binary's build
// information. A folder standing in for it (make's Fyne, patched:
// third_party/fyne) has no version of its own, so it is the version it
// replaces, marked as patched; another module's replacement is that
// module's version.
func depVersion(info *debug.BuildInfo, path string) string {
	for _, d := range info.Deps {
		if d.Path != path {
			continue
		}
		switch {
		case d.Replace == nil:
			return d.Version
		case d.Replace.Version == "" || d.Replace.Version == "(devel)":
			return d.Version + " (patched)"
		default:
			return d.Replace.Version + " (replaced)"
		}
	}
	return "unknown"
}

// showAbout shows the app's name, icon and versions, copyable for support.
func (a *App) showAbout() {
	icon := canvas.NewImageFromResource(appIcon)
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSize(72, 72))
	name := widget.NewLabelWithStyle(a.fyneApp.Metadata().Name, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	form := widget.NewForm()
	text := ""
	for _, f := range a.aboutFacts() {
		v := widget.NewLabel(f[1])
		v.Selectable = true
		form.Append(f[0], v)
		text += f[0] + ": " + f[1] + "\n"
	}
	copyBtn := widget.NewButton("Copy", func() { a.fyneApp.Clipboard().SetContent(text) })
	body := container.NewVBox(container.NewCenter(icon), name,
		widget.NewLabelWithStyle("Sign in to Cezanne HR and browse its people.", fyne.TextAlignCenter, fyne.TextStyle{}),
		form, container.NewCenter(copyBtn))
	d := dialog.NewCustom("About Cezanne HR Desktop", "Close", body, a.win)
	a.ctl.state("about-shown")
	d.Show()
}
