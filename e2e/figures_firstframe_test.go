package e2e

import (
	"os"
	"strings"
	"testing"
	"time"
)

// TestFirstFrameReadsTheScreen checks the instrument behind the start
// figures (testdata/firstframe) on the empty Fyne window: it finds the
// window, times a first frame after it, tells a region with text from a
// blank one, and says nothing of a window for a program that has none.
func TestFirstFrameReadsTheScreen(t *testing.T) {
	requireDesktop(t, true)
	r := &desktopRun{t: t, out: t.TempDir(), env: append(os.Environ(), "HOME="+t.TempDir(), "LANG=en_GB.UTF-8")}
	ff, empty := buildTestdata(t, "firstframe"), buildTestdata(t, "emptywindow")

	tests := []struct {
		name    string
		region  string
		colours string
	}{
		// The label sits at the window's top left; its text has
		// antialiased edges, so many colours.
		{"the label", "0,0,400,60", "3"},
		// The middle of the window is plain background.
		{"empty background", "500,400,300,200", "1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r.t = t
			l := r.launchTimed(ff, "firstframe-"+strings.ReplaceAll(tt.name, " ", "-"), watchRegion(tt.region), empty)
			window := l.event("window", 60*time.Second)
			frame := l.event("frame", 60*time.Second)
			if window[1] != 1320 || window[2] != 820 {
				t.Errorf("window %v×%v, want the empty window's 1320×820", window[1], window[2])
			}
			if frame[0] < window[0] || window[0] <= 0 {
				t.Errorf("first frame at %v ms, window viewable at %v ms", frame[0], window[0])
			}
			// The region is first read as the frame is found: text there
			// then means the frame was a drawn one, not a window not yet
			// painted.
			l.event("region", 10*time.Second)
			if got := strings.Fields(firstLine(l.events.String(), "region"))[3]; got != tt.colours {
				t.Errorf("region %s has %s colours at the first frame, want %s", tt.region, got, tt.colours)
			}
			l.close()
		})
	}

	t.Run("no window", func(t *testing.T) {
		r.t = t
		l := r.launchTimed(ff, "firstframe-none", nil, "sleep", "1")
		l.event("exit", 10*time.Second)
		l.close()
		out := l.events.String()
		if !strings.Contains(out, "exit 0") || strings.Contains(out, "window") || strings.Contains(out, "frame") {
			t.Fatalf("a program without a window: %s", out)
		}
	})
}

// firstLine is the first line of text that starts with kind.
func firstLine(text, kind string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, kind+" ") {
			return l
		}
	}
	return ""
}
