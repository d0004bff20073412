package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
	cmd := exec.CommandContext(ctx, "xdotool", "search", "--sync", "--name", "Cezanne HR Desktop", "getwindowgeometry", "--shell")
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

// xdo runs one xdotool command (keys, mouse moves and clicks on the display).
func xdo(t *testing.T, args ...string) {
	t.Helper()
	if b, err := exec.Command("xdotool", args...).CombinedOutput(); err != nil {
		t.Fatalf("xdotool %v: %v %s", args, err, b)
	}
}

// screenshot saves the whole display under the test output, once the
// window has had time to paint, and fails when the picture is missing or
// blank.
func (r *desktopRun) screenshot(name string) string {
	r.t.Helper()
	time.Sleep(1500 * time.Millisecond) // let the window paint
	shot := filepath.Join(r.out, name)
	if b, err := exec.Command("import", "-window", "root", shot).CombinedOutput(); err != nil {
		r.t.Fatalf("screenshot: %v %s", err, b)
	}
	if st, err := os.Stat(shot); err != nil || st.Size() < 10_000 {
		r.t.Fatalf("screenshot missing or blank: %v", err)
	}
	r.t.Logf("screenshot: %s", shot)
	return shot
}
