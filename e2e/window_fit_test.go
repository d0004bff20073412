package e2e

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestWindowFitsTheScreen: on the screens of common laptops, and a small
// one, the app opens inside the screen (at most nine tenths of it each
// way), so its edges and the form's Sign in button are on it. Each run has
// an X display of that size of its own; the screenshots are kept.
func TestWindowFitsTheScreen(t *testing.T) {
	requireDesktop(t, true)
	for _, screen := range layoutSizes {
		name := fmt.Sprintf("fit-%dx%d", screen[0], screen[1])
		t.Run(name, func(t *testing.T) {
			display := startXvfb(t, screen)
			r := newDesktopRun(t, name, "DISPLAY="+display)
			_, w := r.launch(name, "--profile", r.profile, "--session-only")
			w.waitFor(t, "state=form", 30*time.Second)
			time.Sleep(1500 * time.Millisecond) // let the window paint
			x, y, width, height := windowGeometry(t, display)
			shot := filepath.Join(r.out, name+".png")
			if b, err := exec.Command("import", "-display", display, "-window", "root", shot).CombinedOutput(); err != nil {
				t.Fatalf("screenshot: %v %s", err, b)
			}
			t.Logf("window %dx%d at %d,%d on %dx%d; screenshot %s", width, height, x, y, screen[0], screen[1], shot)
			if width > screen[0]*9/10+1 || height > screen[1]*9/10+1 || width < screen[0]/2 || height < screen[1]/2 {
				t.Fatalf("window %dx%d on a %dx%d screen: want at most nine tenths of it, and at least half", width, height, screen[0], screen[1])
			}
			if x < 0 || y < 0 || x+width > screen[0] || y+height > screen[1] {
				t.Fatalf("window %dx%d at %d,%d is not inside the %dx%d screen", width, height, x, y, screen[0], screen[1])
			}
		})
	}
}

// startXvfb starts an X display of the given size for one test, and stops
// it when the test ends.
func startXvfb(t *testing.T, size [2]int) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", fmt.Sprintf("%dx%dx24", size[0], size[1]), "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatalf("Xvfb: %v", err)
	}
	_ = w.Close()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	number := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		number <- strings.TrimSpace(line)
	}()
	select {
	case n := <-number:
		if n == "" {
			t.Fatal("Xvfb did not say its display")
		}
		return ":" + n
	case <-time.After(10 * time.Second):
		t.Fatal("Xvfb did not start")
	}
	return ""
}
