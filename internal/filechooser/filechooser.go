// Package filechooser asks the person's desktop where to save a file, or
// which file to open, through xdg-desktop-portal's FileChooser: the dialog
// of their own desktop (GNOME's, KDE's, the GTK one), with its bookmarks and
// recent folders, drawn by a process of its own so that the app's window
// keeps drawing while it is open. Fyne's own file dialog builds and draws
// itself on the window's UI goroutine (and runs xdg-user-dir five times
// there), which stalled the window for 90–180 ms at every export.
//
// Where no portal answers (Windows, macOS, a bare X session, a portal
// without a file chooser) Save and Open return ErrUnavailable, at once or
// after the bus has said so, and the app shows Fyne's dialog instead.
package filechooser

import (
	"context"
	"errors"
)

// Request describes the dialog.
type Request struct {
	// Parent is the window the dialog belongs to, as the portal names
	// windows: "x11:<hex XID>", or "" when the app cannot say.
	Parent string
	// Title is the dialog's title, which tests also find it by.
	Title string
	// AcceptLabel is the accept button's label ("" is the desktop's).
	AcceptLabel string
	// Folder is the folder the dialog starts in ("" is the desktop's
	// choice). The portal's backend runs with the desktop's environment,
	// not the app's, so the app says where it would start.
	Folder string
	// Name is the file name offered for a save.
	Name string
	// Filters are the file types offered; the first is chosen at first.
	Filters []Filter
	// Shown, when set, is called (on the calling goroutine) once the
	// desktop has taken the request: its dialog is on its way.
	Shown func()
}

// Filter is a file type the dialog offers, by glob patterns ("*.csv").
type Filter struct {
	Name     string
	Patterns []string
}

// ErrUnavailable says that no desktop file chooser answered: the caller
// shows a dialog of its own.
var ErrUnavailable = errors.New("the desktop has no file chooser portal")

// ErrNotLocal says that the person chose a file the app cannot reach by a
// path (a network location the desktop did not mount).
var ErrNotLocal = errors.New("the chosen file is not on this computer")

// Chooser shows file dialogs. Desktop is the real one; tests use others.
type Chooser interface {
	// Save returns the path the person chose to save to, or "" when they
	// cancelled. The file is neither created nor truncated.
	Save(ctx context.Context, r Request) (string, error)
	// Open returns the path of the file the person chose, or "".
	Open(ctx context.Context, r Request) (string, error)
}

// Desktop is the desktop's file chooser, through xdg-desktop-portal on the
// session bus. The zero value is ready.
type Desktop struct{}

// Save shows the desktop's Save dialog and waits for the person. Ending
// ctx closes the dialog.
func (Desktop) Save(ctx context.Context, r Request) (string, error) {
	return choose(ctx, "SaveFile", r)
}

// Open shows the desktop's Open dialog for one file and waits for the
// person. Ending ctx closes the dialog.
func (Desktop) Open(ctx context.Context, r Request) (string, error) {
	return choose(ctx, "OpenFile", r)
}
