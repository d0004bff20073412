// Command emptywindow is the baseline for the app's memory figures: a Fyne
// window of the app's size with one label, built with the same tags and
// drawn by the same OpenGL under the same Xvfb. Whatever it holds resident
// is what any Fyne app costs on this machine before doing anything.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("com.cezannehr.desktop.baseline")
	w := a.NewWindow("Baseline")
	w.SetContent(widget.NewLabel("Cezanne HR Desktop memory baseline"))
	w.Resize(fyne.NewSize(1320, 820))
	w.ShowAndRun()
}
