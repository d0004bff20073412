package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// warmStyles are the text styles the app draws, in the order it first
// needs them: the form's regular and bold text as the window opens, then
// the sign-in waiting screen's monospace link and italic notes.
// TestWarmStylesCoverTheApp keeps the list in step with the code.
var warmStyles = []fyne.TextStyle{{}, {Bold: true}, {Monospace: true}, {Italic: true}}

// warmFonts measures a word in each of warmStyles, off the UI goroutine.
// Fyne loads a style's faces the first time text in that style is
// measured, on whichever goroutine measures it: besides its bundled font,
// a system face for the style (go-text parses that font file from disk).
// Left to the UI goroutine, the waiting screen's first frame loaded the
// monospace and italic faces and stalled the window 49 and 40 ms here.
// Fyne keeps faces until the theme changes, so once is enough.
func warmFonts() {
	for _, s := range warmStyles {
		fyne.MeasureText("Cezanne HR", theme.TextSize(), s)
	}
}
