// Package assets holds the files the app embeds: its icon and the page the
// browser shows when the sign-in response reaches the app. icon.svg is the
// icon's source art; icon.png (512×512) is the picture installers use.
package assets

import (
	_ "embed"
	"html/template"
	"io"
)

//go:embed icon-256.png
var windowIconPNG []byte

// WindowIconSize is the side of the picture Fyne gives a window as its
// icon: an SVG is drawn at this size, a PNG is decoded as it is.
const WindowIconSize = 256

// WindowIconPNG is the app's icon (icon.png, the installers' 512×512) at
// WindowIconSize; icon_test.go keeps the two the same. Windows and the About
// box take it rather than icon.svg: Fyne drew the SVG on the main thread as
// each window was created (135 ms of the app's launch here, and of every
// Flow trace window's opening; decoding the PNG takes about 2), and its SVG
// rasteriser draws this one wrong (the stroke too wide, square corners).
func WindowIconPNG() []byte { return windowIconPNG }

//go:embed callback.html
var callbackHTML string

var callbackPage = template.Must(template.New("callback").Parse(callbackHTML))

// CallbackPage writes the page the browser shows after the redirect reaches
// the app: a success message, or what went wrong in words a person can act on.
func CallbackPage(w io.Writer, ok bool, title, detail string) error {
	return callbackPage.Execute(w, struct {
		OK            bool
		Title, Detail string
	}{ok, title, detail})
}
