package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// startStyles are the text styles New itself measures on the main goroutine
// (the form's placeholders) as it builds the form: they need no warming.
var startStyles = []fyne.TextStyle{{}}

// warmStyles are the other text styles the app draws, in the order it first
// needs them: the form's bold labels in its first frame, then the sign-in
// waiting screen's monospace link and italic notes (and the flow trace's
// monospace). TestWarmStylesCoverTheApp keeps the lists in step with the code.
var warmStyles = []fyne.TextStyle{{Bold: true}, {Monospace: true}, {Italic: true}}

// warmFonts loads the faces of warmStyles off the UI goroutine; New runs it
// with Options.Go (a plain goroutine: the main goroutine may wait for Fyne's
// font lock it holds).
//
// Fyne loads a style's faces the first time text in that style is
// measured, on whichever goroutine measures it: besides its bundled font,
// a system face for the style, which go-text parses from disk. Left to the
// UI goroutine, the waiting screen's first frame loaded the monospace and
// italic faces and stalled the window 49 and 40 ms here.
//
// The empty string loads the faces and shapes only a space: go-text's faces
// cache glyph sizes unlocked, and the window shapes with the same faces
// (the bold ones, should its first frame come before the warming ends).
// Fyne forgets the faces when the theme's settings change (a desktop's
// portal may switch the colour scheme just after launch); go-text keeps
// the parsed font files, which are most of the cost.
func warmFonts() {
	for _, s := range warmStyles {
		fyne.MeasureText("", theme.TextSize(), s)
	}
}
