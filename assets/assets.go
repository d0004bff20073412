// Package assets holds the files the app embeds: its icon and the page the
// browser shows when the sign-in response reaches the app. icon.svg is the
// icon's source art; icon.png (512×512) is the picture installers use.
package assets

import (
	_ "embed"
	"html/template"
	"io"
)

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
