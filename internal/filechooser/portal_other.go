//go:build !linux

package filechooser

import "context"

// choose: the portal is a Linux desktop's; elsewhere the app shows Fyne's
// dialog.
func choose(context.Context, string, Request) (string, error) {
	return "", ErrUnavailable
}
