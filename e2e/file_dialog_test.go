package e2e

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// desktopDialogTitle is the title of the desktop's file dialog the app
// said it asked for (line: its save-dialog-shown or open-dialog-shown
// line), or "" when the app showed Fyne's own.
func desktopDialogTitle(t *testing.T, line string) string {
	t.Helper()
	if !strings.Contains(line, " dialog=desktop") {
		return ""
	}
	return logValue(t, line, "title")
}

// inDesktopDialog sends keys to the desktop's file dialog titled title,
// once it is on the screen (the portal's backend draws it in a process of
// its own, after the app has asked). The keys go as a person's do, to the
// focused window (XTEST) and in a call of their own: chained after the
// search, xdotool would send them to the window found, and a key that
// closes the dialog leaves its release for a window that is gone
// (BadWindow).
func inDesktopDialog(t *testing.T, title string, keys ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	id, err := findWindow(ctx, "", "--onlyvisible", "--name", "^"+regexp.QuoteMeta(title)+"$")
	if err != nil {
		t.Fatalf("the desktop's %q dialog: %v", title, err)
	}
	xdo(t, "windowfocus", "--sync", id)
	if len(keys) > 0 {
		xdo(t, append([]string{"key", "--clearmodifiers"}, keys...)...)
	}
}

// desktopDialogGone waits until the desktop's dialog titled title has
// left the screen: an xdotool search of all windows while one is being
// destroyed fails with BadWindow.
func desktopDialogGone(t *testing.T, title string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for exec.Command("xdotool", "search", "--onlyvisible", "--name", "^"+regexp.QuoteMeta(title)+"$").Run() == nil {
		if time.Now().After(deadline) {
			t.Fatalf("the desktop's %q dialog is still on the screen", title)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// clickForDesktopDialog clicks the button at x, y until the app takes the
// click, waits for it to say the desktop took the request (shown: its
// save- or open-dialog-shown line), and returns the dialog's title; Fyne's
// dialog instead fails the test.
func clickForDesktopDialog(t *testing.T, w *logWatcher, name string, x, y int, shown string) string {
	t.Helper()
	from := w.lineCount()
	clickUntilLogged(t, w, name, x, y, "state=file-dialog-asked")
	line := w.waitAfter(t, from, shown, 60*time.Second)
	title := desktopDialogTitle(t, line)
	if title == "" {
		t.Fatalf("the app showed Fyne's dialog, not the desktop's (is xdg-desktop-portal-gtk installed, and DISPLAY in the bus's activation environment?): %s", line)
	}
	return title
}

// acceptSaveDialog saves under the name the dialog offers: Return in the
// desktop's dialog, or in Fyne's (its file name has the focus when the
// app logs it), through fyneReturn.
func acceptSaveDialog(t *testing.T, line string, fyneReturn func()) {
	t.Helper()
	if title := desktopDialogTitle(t, line); title != "" {
		inDesktopDialog(t, title, "Return")
		desktopDialogGone(t, title)
		return
	}
	fyneReturn()
}

// TestDesktopFileDialogs: on a desktop with a file chooser portal (here
// xdg-desktop-portal with its GTK backend, as on GNOME), Export CSV… opens
// the desktop's own Save dialog over the window, not Fyne's: Escape
// cancels it and the window goes on; the next Export saves where the
// person said, all 500 people, and the file is written by the app, not
// emptied by a dialog.
func TestDesktopFileDialogs(t *testing.T) {
	requireDesktop(t, true)
	r := newDesktopRunPeople(t, "file-dialogs", 500)
	cmd, w := r.launch("file-dialogs", "--profile", r.profile, "--sign-in", "--session-only")
	defer stop(cmd)
	w.waitFor(t, "state=signed-in-shown", 90*time.Second)

	title := clickForDesktopDialog(t, w, "Export CSV…", exportX, exportY, "state=save-dialog-shown")
	inDesktopDialog(t, title) // on the screen
	r.screenshot("desktop-save-dialog.png")
	from := w.lineCount()
	inDesktopDialog(t, title, "Escape")
	w.waitAfter(t, from, "state=file-dialog-answered dialog=desktop chosen=false", 20*time.Second)
	desktopDialogGone(t, title)

	// The window still reacts (a search), then a second dialog saves.
	from = w.lineCount()
	toApp(t, "key", "ctrl+f")
	xdo(t, "type", "--delay", "60", "camille ber")
	w.waitAfter(t, from, "filter=true", 30*time.Second)
	xdo(t, "key", "Escape")
	w.waitAfter(t, from, "filter=false", 30*time.Second)

	from = w.lineCount()
	clickUntilLogged(t, w, "Export CSV…", exportX, exportY, "state=file-dialog-asked")
	line := w.waitAfter(t, from, "state=save-dialog-shown", 60*time.Second)
	acceptSaveDialog(t, line, func() { t.Fatal("Fyne's dialog the second time") })
	done := w.waitAfter(t, from, "state=export-done", 60*time.Second)
	path := filepath.Join(r.home, "people.csv") // no Documents folder in this home
	if !strings.Contains(done, path) {
		t.Fatalf("exported %q, want %s (the dialog starts in the app's home)", done, path)
	}
	if n := countLines(t, path); n != 501 {
		t.Fatalf("%s has %d lines, want a header and 500 people", path, n)
	}
	r.screenshot("desktop-save-dialog-exported.png")
}

// Where the form's buttons are in the app's window on the 1400×900 display
// of e2e/desktop-session.sh (test-output/file-dialogs/desktop-open-dialog.png).
const (
	importX, importY         = 826, 74
	exportProfileX, exportPY = 907, 74
)

// TestDesktopOpenDialogImportsAProfile: the form's Import… opens the
// desktop's own Open dialog; the file typed into it is imported and
// selected; Export… then saves the profile through the desktop's Save
// dialog, which starts in the folder the profile came from, and the file
// holds the profile without its secret.
func TestDesktopOpenDialogImportsAProfile(t *testing.T) {
	requireDesktop(t, true)
	r := newDesktopRunPeople(t, "file-import", 10)
	cmd, w := r.launch("file-import")
	defer stop(cmd)
	w.waitFor(t, "state=form", 60*time.Second)

	from := w.lineCount()
	title := clickForDesktopDialog(t, w, "Import…", importX, importY, "state=open-dialog-shown")
	inDesktopDialog(t, title)
	// GTK's chooser takes a typed path in its location field. Ctrl+L
	// opens the field before the path comes: "/" typed into the file list
	// opens it too, but the keys right after it were lost under load.
	xdo(t, "key", "ctrl+l")
	xdo(t, "type", "--delay", "20", r.profile)
	r.screenshot("desktop-open-dialog.png")
	xdo(t, "key", "Return")
	w.waitAfter(t, from, `state=profile-imported profile="Sandbox file-import"`, 20*time.Second)
	desktopDialogGone(t, title)

	from = w.lineCount()
	clickUntilLogged(t, w, "Export…", exportProfileX, exportPY, "state=file-dialog-asked")
	line := w.waitAfter(t, from, "state=save-dialog-shown", 60*time.Second)
	acceptSaveDialog(t, line, func() { t.Fatal("Fyne's Save dialog for the profile") })
	w.waitAfter(t, from, "state=profile-exported", 20*time.Second)
	saved := filepath.Join(filepath.Dir(r.profile), "Sandbox file-import.json")
	b, err := os.ReadFile(saved)
	if err != nil {
		t.Fatalf("the exported profile, in the folder it was imported from: %v", err)
	}
	if !strings.Contains(string(b), `"client_id"`) || strings.Contains(string(b), r.secret) {
		t.Fatalf("the exported profile:\n%s", b)
	}
}

func countLines(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	for s.Scan() {
		n++
	}
	return n
}
