package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// scrollTopY is where the People table's scrollbar starts in a 1400×900
// window: below the top bar, the People/Flow trace tabs, the search row and
// the column headers.
const scrollTopY = 177

// scrollbarX estimates where the People table's vertical scrollbar is: at
// the right edge of the table, which the two splits (0.24 and 0.74) place at
// about 80% of the window's width. It also returns the window's height.
func scrollbarX(t *testing.T) (int, int) {
	t.Helper()
	_, _, width, height := windowGeometry(t, "")
	return int(float64(width)*(0.24+0.76*0.74)) - 6, height
}

// windowGeometry is where the app's window is on display, or on the test's
// own display when display is "". It waits for the window to be there.
func windowGeometry(t *testing.T, display string) (x, y, width, height int) {
	t.Helper()
	// --sync waits for the window; the context bounds that wait, so a
	// window that never appears fails the test instead of hanging it.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	id, err := appWindowID(ctx, display)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, "xdotool", "getwindowgeometry", "--shell", id)
	if display != "" {
		cmd.Env = append(os.Environ(), "DISPLAY="+display)
	}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("xdotool: %v", err)
	}
	for _, l := range strings.Split(string(out), "\n") {
		_, _ = fmt.Sscanf(l, "X=%d", &x)
		_, _ = fmt.Sscanf(l, "Y=%d", &y)
		_, _ = fmt.Sscanf(l, "WIDTH=%d", &width)
		_, _ = fmt.Sscanf(l, "HEIGHT=%d", &height)
	}
	return x, y, width, height
}

// restGap is how long the display must stay the same to be at rest: more
// than a few frames, and more than a busy machine's pause between them.
const restGap = 300 * time.Millisecond

// screenAtRest waits until two grabs of the display restGap apart show the
// same pixels, and says whether that happened within the time given. Fyne
// paints a screen some frames after the app logs its state, and beside
// other work a frame can take seconds: a fixed wait was once too short.
func screenAtRest(t *testing.T, within time.Duration) bool {
	t.Helper()
	deadline := time.Now().Add(within)
	last := grabScreen(t)
	for time.Now().Before(deadline) {
		time.Sleep(restGap)
		now := grabScreen(t)
		if bytes.Equal(now, last) {
			return true
		}
		last = now
	}
	return false
}

// blankWindowReport says what X knows of the app's window and asks the app
// for its goroutines (SIGQUIT: Go prints them to the log the test keeps,
// and the app ends), for a blank display.
func blankWindowReport() string {
	var b strings.Builder
	for _, args := range [][]string{
		{"xdotool", "search", "--name", "Cezanne HR Desktop", "getwindowgeometry", "getwindowpid"},
		{"xwininfo", "-root", "-tree"},
	} {
		out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
		fmt.Fprintf(&b, "$ %s: %v\n%s\n", strings.Join(args, " "), err, out)
	}
	out, _ := exec.Command("xdotool", "search", "--name", "Cezanne HR Desktop", "getwindowpid").Output()
	if pid, err := strconv.Atoi(strings.TrimSpace(strings.Split(string(out), "\n")[0])); err == nil {
		_ = syscall.Kill(pid, syscall.SIGQUIT)
		time.Sleep(2 * time.Second)
		fmt.Fprintf(&b, "sent SIGQUIT to the app (pid %d): its goroutines are in its log\n", pid)
	}
	return b.String()
}

// appWindowID returns the app's window on display ("" for the test's
// own), waiting for it until ctx ends.
func appWindowID(ctx context.Context, display string) (string, error) {
	// The whole title: the flow trace's own window ("Flow trace · Cezanne
	// HR Desktop") and the installer's ("Cezanne HR Desktop Setup") are not
	// the app's.
	return findWindow(ctx, display, "--name", "^Cezanne HR Desktop$")
}

// findWindow returns the first window xdotool's search finds with the
// options given, waiting for one until ctx ends. The search reads every
// window on the display, and one destroyed during that walk (a Save dialog
// just closed) makes xdotool before 3.20211022 (Debian's) exit with
// BadWindow: the search changes nothing, so it is simply made again. Keys
// go only to a window found, never twice.
func findWindow(ctx context.Context, display string, search ...string) (string, error) {
	for {
		cmd := exec.CommandContext(ctx, "xdotool", append([]string{"search", "--sync"}, search...)...)
		if display != "" {
			cmd.Env = append(os.Environ(), "DISPLAY="+display)
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if ids := strings.Fields(string(out)); err == nil && len(ids) > 0 {
			return ids[0], nil
		}
		if ctx.Err() != nil {
			return "", fmt.Errorf("no window %v in time: %v %s", search, ctx.Err(), stderr.Bytes())
		}
		if !strings.Contains(stderr.String(), "BadWindow") {
			return "", fmt.Errorf("no window %v: %v %s", search, err, stderr.Bytes())
		}
		select {
		case <-ctx.Done():
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// appWindow is appWindowID for the test's display, waiting up to 30 s.
func appWindow(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	id, err := appWindowID(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// toApp focuses the app's window and runs xdotool's commands after it
// (keys, typing), which go where a person's would: to the focused window.
func toApp(t *testing.T, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := sendToApp(ctx, args...); err != nil {
		t.Fatal(err)
	}
}

// sendToApp is toApp within ctx, for a caller that counts a failure
// instead of failing the test (the soak's browsing, on a goroutine).
func sendToApp(ctx context.Context, args ...string) error {
	id, err := appWindowID(ctx, "")
	if err != nil {
		return err
	}
	args = append([]string{"windowfocus", "--sync", id}, args...)
	if b, err := exec.CommandContext(ctx, "xdotool", args...).CombinedOutput(); err != nil {
		return fmt.Errorf("xdotool %v: %v %s", args, err, b)
	}
	return nil
}

// xdo runs one xdotool command (keys, mouse moves and clicks on the display).
func xdo(t *testing.T, args ...string) {
	t.Helper()
	if b, err := exec.Command("xdotool", args...).CombinedOutput(); err != nil {
		t.Fatalf("xdotool %v: %v %s", args, err, b)
	}
}

// screenshot saves the whole display under the test output once the
// window has painted what the test waited for, and fails when the picture
// is missing or blank. A screen that keeps moving (a spinner) is taken as
// it is after a few seconds.
func (r *desktopRun) screenshot(name string) string {
	r.t.Helper()
	// The rest check alone could pass on the screen before the state's
	// (equal grabs before the app paints): first the wait that was enough
	// before, then rest.
	time.Sleep(1500 * time.Millisecond)
	return r.screenshotAtRest(name)
}

// screenshotAtRest is screenshot for a caller that has waited for the
// app to paint already: it takes the display once it is at rest.
func (r *desktopRun) screenshotAtRest(name string) string {
	r.t.Helper()
	if !screenAtRest(r.t, 3*time.Second) {
		r.t.Logf("%s: the display was still changing", name)
	}
	shot := filepath.Join(r.out, name)
	if b, err := exec.Command("import", "-window", "root", shot).CombinedOutput(); err != nil {
		r.t.Fatalf("screenshot: %v %s", err, b)
	}
	if st, err := os.Stat(shot); err != nil || st.Size() < 10_000 {
		// Once an app killed in the middle of a test (runContext).
		r.t.Fatalf("screenshot missing or blank: %v\n%s", err, blankWindowReport())
	}
	r.t.Logf("screenshot: %s", shot)
	return shot
}
