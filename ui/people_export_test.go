package ui

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

func TestPeopleExportWritesTheChosenColumns(t *testing.T) {
	_, v := signedInDemo(t)
	v.setColumns([]string{"LastName", "FirstName", "Department"})
	path := filepath.Join(t.TempDir(), "people.csv")
	v.exportTo(path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("export: %v (status %q)", err, v.status.Text)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if !strings.HasPrefix(lines[0], "\uFEFFLast name,First name,Department") || len(lines) != 501 {
		t.Fatalf("%d lines, header %q", len(lines), lines[0])
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*.part")); len(left) > 0 {
		t.Fatalf("temporary file left behind: %v", left)
	}
	if !strings.HasPrefix(v.status.Text, "Exported to ") {
		t.Fatalf("status %q", v.status.Text)
	}
	if v.export != nil {
		t.Fatal("the view still holds the finished export")
	}
}

// A failed export leaves neither the file nor its temporary file behind.
func TestPeopleExportFailureLeavesNoFile(t *testing.T) {
	h, v := signedInDemo(t)
	h.srv.SetFaults(sandbox.Faults{Fail500: 100})
	path := filepath.Join(t.TempDir(), "people.csv")
	v.exportTo(path)
	if !strings.HasPrefix(v.status.Text, "Export failed: ") {
		t.Fatalf("status %q", v.status.Text)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*")); len(left) > 0 {
		t.Fatalf("files left behind: %v", left)
	}
}

// The CSV holds personal data: readable by the person only, even where a
// world-readable file already had the name.
func TestPeopleExportIsPrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	for _, tt := range []struct {
		name string
		old  bool
	}{{"new file", false}, {"replaces a 0644 file", true}} {
		t.Run(tt.name, func(t *testing.T) {
			_, v := signedInDemo(t)
			path := filepath.Join(t.TempDir(), "people.csv")
			if tt.old {
				if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			v.exportTo(path)
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatalf("export: %v (status %q)", err, v.status.Text)
			}
			if got := fi.Mode().Perm(); got != 0o600 {
				t.Errorf("the export is %v, want 0600", got)
			}
		})
	}
}

// TestExportProgressIsThrottled: pages arrive every few milliseconds; the
// dialog is sent progress at most every progressEvery, and never while the
// last update still waits for the UI goroutine (a window busy drawing was
// sent more than it could draw, and froze for over a second).
func TestExportProgressIsThrottled(t *testing.T) {
	for _, tc := range []struct {
		name  string
		run   bool // the UI goroutine runs what it is sent
		sleep time.Duration
		calls int
		want  func(posted int) bool
	}{
		{"a burst of pages", true, 0, 1000, func(n int) bool { return n == 1 }},
		{"while the window is busy", false, progressEvery + 10*time.Millisecond, 5, func(n int) bool { return n == 1 }},
		{"pages spread out", true, progressEvery + 10*time.Millisecond, 4, func(n int) bool { return n == 4 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			posted := 0
			p := &progressThrottle{post: func(f func()) {
				posted++
				if tc.run {
					f()
				}
			}}
			for range tc.calls {
				p.update(func() {})
				time.Sleep(tc.sleep)
			}
			if !tc.want(posted) {
				t.Fatalf("%d updates posted for %d pages", posted, tc.calls)
			}
		})
	}
}

// TestExportProgressAtMostTwiceASecond: each progress update redraws the
// whole window under the dialog, which costs the software OpenGL about 15
// times a plain window's frame; pages arriving steadily are shown at most
// twice a second, whatever their pace. On a clock of the test's own, so a
// busy machine cannot change the count.
func TestExportProgressAtMostTwiceASecond(t *testing.T) {
	for _, tc := range []struct {
		name      string
		pageEvery time.Duration
		pages     int
		want      int
	}{
		{"a page every 120 ms for a second", 120 * time.Millisecond, 10, 2}, // at 0 and 600 ms
		{"a page every 10 ms for two seconds", 10 * time.Millisecond, 200, 4},
		{"a page every 600 ms", 600 * time.Millisecond, 4, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
			posted := 0
			p := &progressThrottle{post: func(f func()) { posted++; f() }, now: func() time.Time { return clock }}
			for range tc.pages {
				p.update(func() {})
				clock = clock.Add(tc.pageEvery)
			}
			if posted != tc.want {
				t.Fatalf("%d updates shown for %d pages, one every %v; want %d", posted, tc.pages, tc.pageEvery, tc.want)
			}
		})
	}
}

// TestExportWaitsForItsDialog: the export's work starts exportStartDelay
// after its progress dialog is shown, so that the dialog's first frame is
// drawn before the pages' decoding competes with it. A Cancel, or the view
// closing, meanwhile ends it before it asks for anything.
func TestExportWaitsForItsDialog(t *testing.T) {
	for _, tt := range []struct {
		name       string
		meanwhile  func(t *testing.T, a *App, v *peopleView)
		wantFile   bool
		wantStatus string
	}{
		{"waits, then exports", func(*testing.T, *App, *peopleView) {}, true, "Exported to "},
		{"Cancel while it waits", func(t *testing.T, a *App, _ *peopleView) { confirmDialog(t, a, "Cancel") }, false, "Export cancelled."},
		{"the view closes while it waits", func(_ *testing.T, _ *App, v *peopleView) { v.close() }, false, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h, v := signedInDemo(t)
			var delays []time.Duration
			var pending []func()
			stopped := false
			v.do.later = func(d time.Duration, f func()) func() {
				delays, pending = append(delays, d), append(pending, f)
				return func() { stopped = true }
			}
			started, heavy := 0, v.do.heavy
			v.do.heavy = func(f func()) { started++; heavy(f) }
			path := filepath.Join(t.TempDir(), "people.csv")
			v.exportTo(path)
			if started != 0 {
				t.Fatal("the export started in the call that showed its dialog")
			}
			if v.do.win.Canvas().Overlays().Top() == nil {
				t.Fatal("no progress dialog while the export waits")
			}
			if len(delays) != 1 || delays[0] < 50*time.Millisecond {
				t.Fatalf("the export waits %v; want one wait of a dialog's first frame or more", delays)
			}
			tt.meanwhile(t, h.app, v)
			if !stopped {
				pending[0]() // the timer fires: a stopped one never does
			}
			_, err := os.Stat(path)
			if (err == nil) != tt.wantFile || !strings.HasPrefix(v.status.Text, tt.wantStatus) {
				t.Fatalf("file written %v (want %v), status %q", err == nil, tt.wantFile, v.status.Text)
			}
			if !tt.wantFile && started != 0 {
				t.Fatalf("the export's work started (%d jobs) after it was ended", started)
			}
			if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*")); !tt.wantFile && len(left) > 0 {
				t.Fatalf("files left behind: %v", left)
			}
			if top := v.do.win.Canvas().Overlays().Top(); top != nil {
				t.Fatal("the progress dialog is still up")
			}
			if v.export != nil {
				t.Fatal("the view still holds the finished export")
			}
		})
	}
}
