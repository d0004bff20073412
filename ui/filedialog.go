package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/filechooser"
)

// fileDialogs asks where to save a file and which file to open: with the
// desktop's own dialog (internal/filechooser: GNOME's, KDE's) where the
// desktop has one, and Fyne's where not (Windows, macOS, a bare X
// session). The desktop's dialog is drawn by a process of its own, so the
// window keeps drawing and reacting while it is open; Fyne's is built and
// drawn on the window's UI goroutine, which stalled it at every export.
//
// A value is per window (the dialog's parent); what it shares with the
// app's other windows is in files.
type fileDialogs struct {
	win   fyne.Window
	files *appFiles
}

// appFiles is what the app's file dialogs share. Its fields are used on
// the UI goroutine only.
type appFiles struct {
	// chooser is the desktop's file dialog; nil: Fyne's only.
	chooser filechooser.Chooser
	state   func(name string, args ...any)
	log     *slog.Logger
	goFn    func(func())
	do      func(func())
	prefs   preferences
	// ctx ends when the app's main window closes, and with it any
	// desktop dialog still open.
	ctx context.Context
	// open is the desktop dialog open (or being opened), if any. Another
	// click that would open one says so instead: the dialog is modal to
	// the window on a desktop, but not everywhere.
	open *desktopDialog
}

// prefFileFolder is the folder of the last file saved or opened, where
// the next desktop dialog starts.
const prefFileFolder = "file-dialog-folder"

// fileDialogs returns the file dialogs of window w.
func (a *App) fileDialogs(w fyne.Window) fileDialogs {
	return fileDialogs{win: w, files: a.files}
}

// saveAs asks where to save a file, offering name (whose type is ext,
// ".csv"), and gives save a path on this computer: the app writes a
// temporary file beside it and renames it, which a storage URI elsewhere
// cannot do (notLocal says so). Nothing is written by the dialog itself.
// The app logs save-dialog-shown once the dialog is up (dialog=fyne: its
// file name is focused and Return saves; dialog=desktop: the desktop has
// taken the request; its window's title is title).
func (f fileDialogs) saveAs(title, name, ext string, save func(path string), notLocal func()) {
	fyneSave := func() { f.fyneSave(name, ext, save, notLocal) }
	f.ask(title, name, ext, fyneSave, func(path string, err error) {
		switch {
		case errors.Is(err, filechooser.ErrNotLocal):
			notLocal()
		case path != "":
			save(path)
		}
	})
}

// openFile asks which file of type ext to open, and gives use its
// contents (at most limit bytes and one more, so that use can tell a file
// that is too large). The file is read off the UI goroutine.
func (f fileDialogs) openFile(title, ext string, limit int64, use func(r io.Reader), failed func(err error)) {
	fyneOpen := func() {
		d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
			if err != nil || rc == nil {
				return
			}
			defer rc.Close()
			use(io.LimitReader(rc, limit+1))
		}, f.win)
		d.SetFilter(storage.NewExtensionFileFilter([]string{ext}))
		d.Show()
	}
	f.ask(title, "", ext, fyneOpen, func(path string, err error) {
		switch {
		case err != nil:
			failed(err)
		case path != "":
			files := f.files
			files.goFn(func() {
				b, err := readHead(path, limit+1)
				files.do(func() {
					if err != nil {
						failed(err)
						return
					}
					use(bytes.NewReader(b))
				})
			})
		}
	})
}

// readHead reads at most n bytes of the file at path.
func readHead(path string, n int64) ([]byte, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	return io.ReadAll(io.LimitReader(file, n))
}

// ask shows the desktop's dialog (a save when name is set, else an open)
// and calls chosen with its answer on the UI goroutine: a path, "" when
// the person cancelled, or ErrNotLocal. Where the desktop has no dialog,
// or its dialog failed, it shows Fyne's instead (fyneDialog): the person
// can still save.
func (f fileDialogs) ask(title, name, ext string, fyneDialog func(), chosen func(path string, err error)) {
	files := f.files
	if files.open != nil {
		f.alreadyOpen(files.open)
		return
	}
	files.state("file-dialog-asked", "title", title)
	chooser := files.chooser
	if chooser == nil {
		fyneDialog()
		return
	}
	ctx, cancel := context.WithCancel(files.ctx)
	open := &desktopDialog{cancel: cancel}
	files.open = open
	r := filechooser.Request{
		Parent:  windowHandle(f.win),
		Title:   title,
		Name:    name,
		Folder:  files.prefs.String(prefFileFolder),
		Filters: []filechooser.Filter{{Name: fileTypeName(ext), Patterns: []string{"*" + ext}}},
	}
	kind := "open-dialog-shown"
	if name != "" {
		kind = "save-dialog-shown"
	} else {
		r.AcceptLabel = "_Open" // GTK's own for a portal's Open is "Select"
	}
	r.Shown = func() {
		files.do(func() {
			open.shown = true
			files.state(kind, "file", name, "dialog", "desktop", "title", title)
		})
	}
	files.goFn(func() {
		r.Folder = filechooser.StartFolder(r.Folder)
		var path string
		var err error
		if name != "" {
			path, err = chooser.Save(ctx, r)
		} else {
			path, err = chooser.Open(ctx, r)
		}
		files.do(func() {
			cancel()
			files.open = nil
			if open.notice != nil {
				open.notice.Hide() // answered meanwhile: nothing to close
			}
			f.answered(path, err, fyneDialog, chosen)
		})
	})
}

// answered acts on the desktop dialog's answer, on the UI goroutine.
func (f fileDialogs) answered(path string, err error, fyneDialog func(), chosen func(path string, err error)) {
	files := f.files
	switch {
	case files.ctx.Err() != nil: // the window closed
	case errors.Is(err, filechooser.ErrUnavailable):
		files.chooser = nil // for the rest of the run: no portal came
		fyneDialog()
	case errors.Is(err, context.Canceled): // closed from the app
		files.state("file-dialog-answered", "dialog", "desktop", "chosen", "false")
	case err != nil && !errors.Is(err, filechooser.ErrNotLocal):
		files.log.Warn("the desktop's file dialog failed; showing the app's own", "err", err)
		fyneDialog()
	default:
		if path != "" {
			files.prefs.SetString(prefFileFolder, filepath.Dir(path))
		}
		files.state("file-dialog-answered", "dialog", "desktop", "chosen", fmt.Sprint(path != "" || err != nil))
		chosen(path, err)
	}
}

// desktopDialog is a desktop dialog the app waits for.
type desktopDialog struct {
	cancel func()        // closes it
	shown  bool          // the desktop has taken the request
	notice dialog.Dialog // "A file dialog is open", while shown
}

// alreadyOpen answers a click that would open a second dialog while one is
// open: it may be behind the window (a desktop without modal dialogs),
// on another workspace, or still opening (the portal being started), so
// the person is told, and can close it from here.
func (f fileDialogs) alreadyOpen(open *desktopDialog) {
	msg := "The desktop's file dialog is opening, in a window of its own."
	if open.shown {
		msg = "The desktop's file dialog is open in a window of its own. Finish it there, or close it here."
	}
	open.notice = dialog.NewCustomConfirm("A file dialog is open", "Close it", "Keep it open", wrapped(msg, widget.MediumImportance),
		func(close bool) {
			if close && f.files.open == open {
				open.cancel()
			}
		}, f.win)
	open.notice.Show()
}

// fyneSave is Fyne's Save dialog, for desktops without a dialog of their
// own. Fyne truncates the chosen file before it calls back: the app's
// dialogs write through lazyFileRepository (savefile.go), which does not.
func (f fileDialogs) fyneSave(name, ext string, save func(path string), notLocal func()) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		uri := wc.URI()
		_ = wc.Close()
		if uri.Scheme() != "file" {
			notLocal()
			return
		}
		save(uri.Path())
	}, f.win)
	d.SetFileName(name)
	d.SetFilter(storage.NewExtensionFileFilter([]string{ext}))
	d.Show()
	f.files.state("save-dialog-shown", "file", name, "dialog", "fyne")
}

// windowHandle names w as the portal names windows, so that the desktop's
// dialog stays over it: "x11:<XID in hex>"; "" elsewhere (a Wayland
// surface must be exported first, which GLFW cannot do).
func windowHandle(w fyne.Window) string {
	nw, ok := w.(driver.NativeWindow)
	if !ok {
		return ""
	}
	var handle string
	nw.RunNative(func(ctx any) {
		if x, ok := ctx.(driver.X11WindowContext); ok && x.WindowHandle != 0 {
			handle = fmt.Sprintf("x11:%x", x.WindowHandle)
		}
	})
	return handle
}

// fileTypeName is the filter's name in the desktop's dialog.
func fileTypeName(ext string) string {
	switch ext {
	case ".csv":
		return "CSV files"
	case ".json":
		return "JSON files"
	case ".md":
		return "Markdown files"
	}
	return strings.ToUpper(strings.TrimPrefix(ext, ".")) + " files"
}
