package ui

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/filechooser"
)

// fakeChooser answers as the desktop's dialog would: Shown, then answer
// (or saveCtx, which sees the request's context).
type fakeChooser struct {
	answer   func(r filechooser.Request) (string, error)
	saveCtx  func(ctx context.Context) (string, error)
	requests []filechooser.Request
	opens    int
}

func (c *fakeChooser) Save(ctx context.Context, r filechooser.Request) (string, error) {
	c.requests = append(c.requests, r)
	if r.Shown != nil {
		r.Shown()
	}
	if c.saveCtx != nil {
		return c.saveCtx(ctx)
	}
	return c.answer(r)
}

func (c *fakeChooser) Open(ctx context.Context, r filechooser.Request) (string, error) {
	c.opens++
	return c.Save(ctx, r)
}

// testFileDialogs are file dialogs over a test window, with background
// work run inline; logged collects what the app logs.
func testFileDialogs(t *testing.T, chooser filechooser.Chooser) (fileDialogs, *[]string) {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel("People"))
	w.Resize(fyne.NewSize(1000, 700))
	logged := &[]string{}
	files := &appFiles{chooser: chooser, log: slog.New(slog.DiscardHandler), prefs: a.Preferences(), ctx: context.Background(),
		goFn: func(f func()) { f() }, do: func(f func()) { f() },
		state: func(name string, args ...any) {
			line := name
			for i := 0; i+1 < len(args); i += 2 {
				line += " " + args[i].(string) + "=" + args[i+1].(string)
			}
			*logged = append(*logged, line)
		}}
	return fileDialogs{win: w, files: files}, logged
}

// TestSaveDialogSaysWhenReturnSaves: Fyne's Save dialog is logged as
// shown only once its file name has the focus, so that Return, pressed as
// soon as the line is read (the end-to-end tests do), saves under the
// name offered.
func TestSaveDialogSaysWhenReturnSaves(t *testing.T) {
	for name, chooser := range map[string]filechooser.Chooser{
		"no desktop dialog":          nil,
		"the desktop has no portal":  &fakeChooser{answer: func(filechooser.Request) (string, error) { return "", filechooser.ErrUnavailable }},
		"the desktop's dialog fails": &fakeChooser{answer: func(filechooser.Request) (string, error) { return "", errors.New("no display") }},
	} {
		t.Run(name, func(t *testing.T) {
			f, logged := testFileDialogs(t, chooser)
			var focused fyne.Focusable
			state := f.files.state
			f.files.state = func(name string, args ...any) {
				state(name, args...)
				focused = f.win.Canvas().Focused()
			}
			var saved string
			f.saveAs("Export people", "people.csv", ".csv", func(path string) { saved = path }, func() { t.Error("a local file taken for one elsewhere") })
			last := (*logged)[len(*logged)-1]
			if last != "save-dialog-shown file=people.csv dialog=fyne" {
				t.Fatalf("logged %q, want Fyne's dialog shown last", *logged)
			}
			entry, ok := focused.(*widget.Entry)
			if !ok || entry.Text != "people.csv" {
				t.Fatalf("focused when logged: %T %v, want the file name entry with people.csv", focused, focused)
			}
			entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
			home, _ := os.UserHomeDir()
			if want := filepath.Join(home, "people.csv"); saved != want {
				t.Fatalf("Return saved to %q, want %q", saved, want)
			}
		})
	}
}

func TestSaveWithTheDesktopsDialog(t *testing.T) {
	cases := []struct {
		name      string
		answer    string
		err       error
		wantSaved bool
		notLocal  bool
	}{
		{name: "chosen", answer: "/tmp/x/people.csv", wantSaved: true},
		{name: "cancelled", answer: ""},
		{name: "a network location", err: filechooser.ErrNotLocal, notLocal: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			chooser := &fakeChooser{answer: func(filechooser.Request) (string, error) { return c.answer, c.err }}
			f, logged := testFileDialogs(t, chooser)
			var saved string
			var notLocal bool
			f.saveAs("Export people", "people.csv", ".csv", func(path string) { saved = path }, func() { notLocal = true })
			want := []string{"file-dialog-asked title=Export people", "save-dialog-shown file=people.csv dialog=desktop title=Export people",
				"file-dialog-answered dialog=desktop chosen=" + map[bool]string{true: "true", false: "false"}[c.answer != "" || c.err != nil]}
			if strings.Join(*logged, "|") != strings.Join(want, "|") {
				t.Errorf("logged %q, want %q", *logged, want)
			}
			if f.win.Canvas().Overlays().Top() != nil {
				t.Error("Fyne's dialog shown as well")
			}
			wantSaved := ""
			if c.wantSaved {
				wantSaved = c.answer
			}
			if saved != wantSaved || notLocal != c.notLocal {
				t.Errorf("saved %q, notLocal %v", saved, notLocal)
			}
			r := chooser.requests[0]
			if r.Title != "Export people" || r.Name != "people.csv" || len(r.Filters) != 1 || r.Filters[0].Patterns[0] != "*.csv" {
				t.Errorf("asked %+v", r)
			}
			if home, _ := os.UserHomeDir(); r.Folder != home {
				t.Errorf("the first dialog starts in %q, want the home (no Documents folder)", r.Folder)
			}
		})
	}
}

// The next dialog starts where the last file went.
func TestDesktopDialogStartsInTheLastFolder(t *testing.T) {
	dir := t.TempDir()
	chooser := &fakeChooser{answer: func(filechooser.Request) (string, error) { return filepath.Join(dir, "people.csv"), nil }}
	f, _ := testFileDialogs(t, chooser)
	f.saveAs("Export people", "people.csv", ".csv", func(string) {}, func() {})
	f.saveAs("Export the flow trace", "trace.md", ".md", func(string) {}, func() {})
	if got := chooser.requests[1].Folder; got != dir {
		t.Fatalf("the second dialog starts in %q, want %q", got, dir)
	}
	if got := chooser.requests[1].Filters[0]; got.Name != "Markdown files" || got.Patterns[0] != "*.md" {
		t.Fatalf("filter %+v", got)
	}
	// a folder since removed: the documents folder again
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	f.saveAs("Export people", "people.csv", ".csv", func(string) {}, func() {})
	if got, home := chooser.requests[2].Folder, os.Getenv("HOME"); got != home {
		t.Fatalf("after its folder went, the dialog starts in %q, want %q", got, home)
	}
}

// While the desktop's dialog is open, another click asks for nothing (on a
// desktop without modal dialogs two would be open at once) and says where
// the open one is; "Close it" closes it.
func TestOneDesktopDialogAtATime(t *testing.T) {
	var f fileDialogs
	var inner int
	var said bool
	chooser := &fakeChooser{}
	chooser.answer = func(filechooser.Request) (string, error) {
		f.saveAs("Export people", "people.csv", ".csv", func(string) { inner++ }, func() {})
		said = hasText(f.win.Canvas().Overlays().Top(), "Finish it there, or close it here")
		return "", nil
	}
	f, _ = testFileDialogs(t, chooser)
	f.saveAs("Export people", "people.csv", ".csv", func(string) {}, func() {})
	if len(chooser.requests) != 1 || inner != 0 || f.files.open != nil {
		t.Fatalf("%d requests, inner saves %d, still open %v", len(chooser.requests), inner, f.files.open)
	}
	if !said {
		t.Fatal("the second click said nothing")
	}
	if top := f.win.Canvas().Overlays().Top(); top != nil && top.Visible() {
		t.Fatal("the notice stayed up after the dialog answered")
	}
	f.saveAs("Export people", "people.csv", ".csv", func(string) {}, func() {})
	if len(chooser.requests) != 2 {
		t.Fatal("no dialog after the first one ended")
	}
}

// "Close it" closes the desktop's dialog: the app stops waiting for it
// (the portal then closes its window) and saves nothing.
func TestCloseTheDesktopsDialogFromTheApp(t *testing.T) {
	var f fileDialogs
	var closed bool
	chooser := &fakeChooser{}
	chooser.saveCtx = func(ctx context.Context) (string, error) {
		f.saveAs("Export people", "people.csv", ".csv", func(string) {}, func() {})
		o := f.win.Canvas().Overlays().Top()
		if !hasText(o, "close it here") {
			t.Fatal("the second click said nothing")
		}
		test.Tap(buttonIn(t, o, "Close it"))
		closed = ctx.Err() != nil
		return "/tmp/people.csv", ctx.Err()
	}
	f, logged := testFileDialogs(t, chooser)
	f.saveAs("Export people", "people.csv", ".csv", func(string) { t.Error("saved after Close it") }, func() {})
	if !closed || f.files.open != nil {
		t.Fatalf("closed %v, still open %v", closed, f.files.open)
	}
	if last := (*logged)[len(*logged)-1]; last != "file-dialog-answered dialog=desktop chosen=false" {
		t.Fatalf("logged %q", *logged)
	}
}

// A desktop without a portal is asked once a run: Fyne's dialog from then on.
func TestNoPortalIsAskedOnce(t *testing.T) {
	chooser := &fakeChooser{answer: func(filechooser.Request) (string, error) { return "", filechooser.ErrUnavailable }}
	f, _ := testFileDialogs(t, chooser)
	for range 2 {
		f.saveAs("Export people", "people.csv", ".csv", func(string) {}, func() {})
		f.win.Canvas().Overlays().Top().Hide()
	}
	if len(chooser.requests) != 1 {
		t.Fatalf("the desktop was asked %d times", len(chooser.requests))
	}
}

// A dialog answered after the window closed is not acted on.
func TestDesktopDialogAfterTheWindowClosed(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	chooser := &fakeChooser{answer: func(filechooser.Request) (string, error) { cancel(); return "/tmp/people.csv", nil }}
	f, _ := testFileDialogs(t, chooser)
	f.files.ctx = ctx
	f.saveAs("Export people", "people.csv", ".csv", func(string) { t.Error("saved after the window closed") }, func() {})
	if f.win.Canvas().Overlays().Top() != nil {
		t.Error("Fyne's dialog shown after the window closed")
	}
}

func TestOpenWithTheDesktopsDialog(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.json")
	large := filepath.Join(dir, "large.json")
	if err := os.WriteFile(small, []byte(`{"a":1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(large, make([]byte, 100), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path string
		wantLen    int // bytes use read; -1: use not called
		wantFailed bool
	}{
		{name: "a file", path: small, wantLen: len(`{"a":1}`)},
		{name: "larger than the limit: one byte more tells", path: large, wantLen: 11},
		{name: "gone", path: filepath.Join(dir, "gone.json"), wantLen: -1, wantFailed: true},
		{name: "cancelled", path: "", wantLen: -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			chooser := &fakeChooser{answer: func(filechooser.Request) (string, error) { return c.path, nil }}
			f, logged := testFileDialogs(t, chooser)
			got, failed := -1, false
			f.openFile("Import a profile", ".json", 10, func(r io.Reader) {
				b, _ := io.ReadAll(r)
				got = len(b)
			}, func(error) { failed = true })
			if got != c.wantLen || failed != c.wantFailed {
				t.Errorf("read %d bytes, failed %v", got, failed)
			}
			if chooser.opens != 1 || chooser.requests[0].Name != "" || chooser.requests[0].AcceptLabel != "_Open" {
				t.Errorf("opens %d, request %+v", chooser.opens, chooser.requests[0])
			}
			if (*logged)[1] != "open-dialog-shown file= dialog=desktop title=Import a profile" {
				t.Errorf("logged %q", *logged)
			}
		})
	}
}

func TestFileTypeName(t *testing.T) {
	for ext, want := range map[string]string{".csv": "CSV files", ".json": "JSON files", ".md": "Markdown files", ".txt": "TXT files"} {
		if got := fileTypeName(ext); got != want {
			t.Errorf("fileTypeName(%q) = %q, want %q", ext, got, want)
		}
	}
}

// hasText says whether a label under o holds text.
func hasText(o fyne.CanvasObject, text string) bool {
	found := false
	walkObjects(o, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, text) {
			found = true
		}
	})
	return found
}

// buttonIn is the button labelled label under o.
func buttonIn(t *testing.T, o fyne.CanvasObject, label string) *widget.Button {
	t.Helper()
	var found *widget.Button
	walkObjects(o, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == label {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no %q button", label)
	}
	return found
}
