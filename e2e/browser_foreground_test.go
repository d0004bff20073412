package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestBrowserInTheForeground: the default browser is a program that stays
// in the foreground for 5 minutes (testdata/foreground-browser.sh, the
// x-scheme-handler/http handler of a private XDG_DATA_HOME, run by the real
// xdg-open, which waits for it as it does when no browser was running).
// The app must show People less than 3 s after the callback while that
// browser is still open; and on the waiting screen, "Open the browser
// again" must leave the window repainting and Cancel working.
func TestBrowserInTheForeground(t *testing.T) {
	requireDesktop(t, true)
	r := newDesktopRun(t, "foreground-browser")
	r.useForegroundBrowser()

	t.Run("the callback is handled while the browser is open", func(t *testing.T) {
		cmd, w := r.launch("signin", "--profile", r.profile, "--sign-in")
		defer stop(cmd)
		w.waitFor(t, "authorization response received", 60*time.Second)
		callback := time.Now()
		w.waitFor(t, "state=people-loaded", 3*time.Second)
		t.Logf("People shown %v after the callback", time.Since(callback).Round(time.Millisecond))
		r.screenshot("people-while-browser-open.png")
		if b, _ := os.ReadFile(r.opened); !strings.Contains(string(b), "delivered") || strings.Contains(string(b), "closed") {
			t.Fatalf("the browser should have delivered the callback and still be open:\n%s", b)
		}
	})

	t.Run("the window stays live with the browser open again", func(t *testing.T) {
		// A person who has not signed in yet: the browser just stays open.
		r.env = append(r.env, "CEZANNE_E2E_BROWSER_IDLE=1")
		cmd, w := r.launch("again", "--profile", r.profile, "--sign-in", "--session-only")
		defer stop(cmd)
		w.waitFor(t, "opening the browser to sign in", 30*time.Second)
		r.screenshot("waiting.png")
		r.clickWaitingButton(t, "Open the browser again")
		time.Sleep(time.Second) // past the button's tap animation
		first := grabScreen(t)
		time.Sleep(700 * time.Millisecond)
		if bytes.Equal(first, grabScreen(t)) {
			t.Fatal("the window did not repaint (its spinner stood still) after Open the browser again")
		}
		r.screenshot("waiting-browser-open-again.png")
		r.clickWaitingButton(t, "Cancel")
		w.waitFor(t, "state=cancelled", 3*time.Second)
		w.waitFor(t, "state=form", 3*time.Second)
		r.screenshot("cancelled-while-browser-open.png")
		if n := strings.Count(readFile(r.opened), "opened pid="); n != 3 {
			t.Fatalf("the browser was started %d times, want 3 (sign-in, sign-in, again)", n)
		}
	})

	t.Run("no browser: the link is offered and the sign-in waits", func(t *testing.T) {
		noBrowser := filepath.Join(r.work, "nobrowser")
		if err := os.MkdirAll(noBrowser, 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(noBrowser, "xdg-open"), "#!/bin/sh\necho \"xdg-open: no method available for opening '$1'\" >&2\nexit 3\n")
		if err := os.Chmod(filepath.Join(noBrowser, "xdg-open"), 0o755); err != nil {
			t.Fatal(err)
		}
		env := r.env
		r.env = append(r.env, "PATH="+noBrowser+":"+os.Getenv("PATH"))
		defer func() { r.env = env }()
		cmd, w := r.launch("no-browser", "--profile", r.profile, "--sign-in", "--session-only")
		defer stop(cmd)
		w.waitFor(t, "opening the browser to sign in", 30*time.Second)
		failed := w.waitFor(t, "state=browser-failed", 5*time.Second)
		if !strings.Contains(failed, "no method available for opening 'the sign-in link'") {
			t.Fatalf("the reason is not the opener's: %s", failed)
		}
		r.screenshot("no-browser-link-offered.png")
		// Still waiting: neither the form nor an error came after it.
		if text := w.text(); strings.Contains(text[strings.Index(text, "state=browser-failed"):], "state=form") {
			t.Fatalf("the waiting screen did not stay:\n%s", text)
		}
	})
}

// useForegroundBrowser makes testdata/foreground-browser.sh the default
// browser through a .desktop file and mimeapps.list in the run's private
// XDG directories, and puts the system's xdg-open back first on PATH. The
// browsers still running are ended with the test.
func (r *desktopRun) useForegroundBrowser() {
	r.t.Helper()
	script, err := filepath.Abs(filepath.Join("testdata", "foreground-browser.sh"))
	if err != nil {
		r.t.Fatal(err)
	}
	apps := filepath.Join(r.home, ".local", "share", "applications")
	for _, dir := range []string{apps, filepath.Join(r.home, ".config")} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			r.t.Fatal(err)
		}
	}
	writeFile(r.t, filepath.Join(apps, "e2e-browser.desktop"), "[Desktop Entry]\nType=Application\nName=Foreground browser\n"+
		"Exec="+script+" %u\nMimeType=x-scheme-handler/http;x-scheme-handler/https;\n")
	writeFile(r.t, filepath.Join(r.home, ".config", "mimeapps.list"),
		"[Default Applications]\nx-scheme-handler/http=e2e-browser.desktop\nx-scheme-handler/https=e2e-browser.desktop\n")
	// No desktop environment: xdg-open's generic mode, which runs the
	// handler and waits for it.
	r.env = append(r.env, "PATH="+os.Getenv("PATH"), "XDG_CURRENT_DESKTOP=", "DESKTOP_SESSION=", "BROWSER=")
	r.t.Cleanup(func() {
		for _, line := range strings.Split(readFile(r.opened), "\n") {
			if pid, err := strconv.Atoi(strings.TrimPrefix(line, "opened pid=")); err == nil {
				_ = exec.Command("pkill", "-P", strconv.Itoa(pid)).Run() // its sleep
				_ = exec.Command("kill", strconv.Itoa(pid)).Run()
			}
		}
	})
}

// waitingButtons are where the waiting screen's buttons sit, from the
// centre of the window (its content is centred).
var waitingButtons = map[string][2]int{
	"Open the browser again": {-148, -73},
	"Cancel":                 {207, -73},
}

func (r *desktopRun) clickWaitingButton(t *testing.T, label string) {
	t.Helper()
	x, y, width, height := windowGeometry(t, "")
	at := waitingButtons[label]
	xdo(t, "mousemove", strconv.Itoa(x+width/2+at[0]), strconv.Itoa(y+height/2+at[1]), "click", "1")
}

// grabScreen is the display's pixels, as xwd dumps them: 70 ms of CPU a
// grab against ImageMagick's import at 135, and make test grabs the display
// a few hundred times to see it come to rest (screenshots stay PNGs from
// import).
func grabScreen(t *testing.T) []byte {
	t.Helper()
	b, err := exec.Command("xwd", "-root", "-silent").Output()
	if err != nil || len(b) == 0 {
		t.Fatalf("screen grab: %v", err)
	}
	return b
}

func readFile(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}
