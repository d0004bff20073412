package e2e

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/figures"
)

// browseRun is what one drag through 50,000 people measured.
type browseRun struct {
	peakMB, firstPageMB, softwareGLMB float64
	pages                             int
}

// browseOnce launches the app in a real window on the 50,000 people and
// drags the table's scrollbar from top to bottom a few pixels at a time,
// pausing so every page is shown, then reads the app's peak memory.
func browseOnce(t *testing.T, r *desktopRun, name string) browseRun {
	t.Helper()
	before := len(r.peopleRequests())
	cmd, w := r.launch(name, "--profile", r.profile, "--sign-in", "--session-only")
	defer stop(cmd)
	w.waitFor(t, "state=people-loaded", 60*time.Second)
	time.Sleep(time.Second)
	var run browseRun
	run.firstPageMB = procMB(t, cmd.Process.Pid, "VmRSS:")
	x := grabScrollbar(t, r)
	_, height := scrollbarX(t)
	xdo(t, "mousemove", fmt.Sprint(x), "300")
	time.Sleep(400 * time.Millisecond)
	xdo(t, "mousemove", fmt.Sprint(x), fmt.Sprint(scrollTopY+5), "mousedown", "1")
	for y := scrollTopY + 5; y <= height-8; y++ {
		xdo(t, "mousemove", fmt.Sprint(x), fmt.Sprint(y))
		time.Sleep(110 * time.Millisecond) // long enough for the page to be fetched and shown
	}
	xdo(t, "mouseup", "1")
	time.Sleep(time.Second)
	skips := r.peopleRequests()[before:]
	seen := map[int]bool{}
	for _, s := range skips {
		seen[s/200] = true
	}
	run.peakMB = procMB(t, cmd.Process.Pid, "VmHWM:")
	run.softwareGLMB = softwareGLMB(t, cmd.Process.Pid)
	run.pages = len(seen)
	r.screenshot(name + "-bottom.png")
	// One pixel of scrollbar is more than a page of rows, so a drag cannot
	// stop on every page; it must still cover the set from top to bottom,
	// or the peak is not that of browsing everyone.
	t.Logf("%s: %d page requests covering %d of 250 pages, peak %.0f MB", name, len(skips), len(seen), run.peakMB)
	if len(seen) < 190 || !seen[0] || !seen[249] {
		t.Fatalf("the drag showed only %d of 250 pages", len(seen))
	}
	return run
}

// grabScrollbar finds the table's scrollbar near where the layout puts it:
// a short drag from the top must bring a new page.
func grabScrollbar(t *testing.T, r *desktopRun) int {
	t.Helper()
	x, _ := scrollbarX(t)
	for _, dx := range []int{0, -3, 3, -6, 6, -9} {
		before := len(r.peopleRequests())
		xdo(t, "mousemove", fmt.Sprint(x+dx), "300")
		time.Sleep(400 * time.Millisecond)
		xdo(t, "mousemove", fmt.Sprint(x+dx), fmt.Sprint(scrollTopY), "mousedown", "1")
		xdo(t, "mousemove", fmt.Sprint(x+dx), fmt.Sprint(scrollTopY+5))
		time.Sleep(600 * time.Millisecond)
		xdo(t, "mouseup", "1")
		time.Sleep(300 * time.Millisecond)
		if len(r.peopleRequests()) > before {
			return x + dx
		}
	}
	t.Fatal("could not grab the table's scrollbar")
	return 0
}

// TestFigureBrowseRSS (make bench): the app's peak resident memory while
// browsing all 50,000 people, over the empty one-label Fyne window's on the
// same display: the median of runs that alternate the two (which goes
// first alternates too).
func TestFigureBrowseRSS(t *testing.T) {
	requireFigures(t)
	requireDesktop(t, true)
	rep := figures.NewReporter(os.Stdout,
		figures.Spec{Name: "browse_rss_over_empty_window_mb", Budget: figures.AtMost(30)},
		figures.Spec{Name: "browse_rss_mb"},
		figures.Spec{Name: "browse_rss_first_page_mb"},
		figures.Spec{Name: "browse_rss_growth_mb"},
		// Without a GPU, Mesa rasterises in software: its JIT (libLLVM) and
		// driver pages are resident in the process. A GPU driver keeps far less.
		figures.Spec{Name: "browse_rss_software_gl_mb"},
		figures.Spec{Name: "browse_rss_without_software_gl_mb"},
		figures.Spec{Name: "fyne_empty_window_rss_mb"},
		figures.Spec{Name: "browse_pages_shown"},
	)
	defer rep.Check(t)
	runs := figures.Runs(3)
	r := newDesktopRunPeople(t, "browse-50k", 50000)
	// Each drag takes about a minute: the run's own 3 minutes are too few.
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(runs)*5*time.Minute)
	t.Cleanup(cancel)
	r.ctx = ctx
	empty := buildTestdata(t, "emptywindow")
	var peak, first, growth, gl, noGL, base, pages []float64
	for i := 0; i < runs; i++ {
		var b browseRun
		var e float64
		if i%2 == 0 {
			b, e = browseOnce(t, r, fmt.Sprintf("browse-50k-%d", i)), emptyWindowRSS(t, empty)
		} else {
			e, b = emptyWindowRSS(t, empty), browseOnce(t, r, fmt.Sprintf("browse-50k-%d", i))
		}
		peak, first, growth = append(peak, b.peakMB), append(first, b.firstPageMB), append(growth, b.peakMB-b.firstPageMB)
		gl, noGL = append(gl, b.softwareGLMB), append(noGL, b.peakMB-b.softwareGLMB)
		base, pages = append(base, e), append(pages, float64(b.pages))
		t.Logf("run %d: app peak %.0f MB, empty window %.0f MB", i, b.peakMB, e)
	}
	rep.Add("browse_rss_over_empty_window_mb", figures.Median(peak)-figures.Median(base), runs)
	rep.Add("browse_rss_mb", figures.Median(peak), runs)
	rep.Add("browse_rss_first_page_mb", figures.Median(first), runs)
	rep.Add("browse_rss_growth_mb", figures.Median(growth), runs)
	rep.Add("browse_rss_software_gl_mb", figures.Median(gl), runs)
	rep.Add("browse_rss_without_software_gl_mb", figures.Median(noGL), runs)
	rep.Add("fyne_empty_window_rss_mb", figures.Median(base), runs)
	rep.Add("browse_pages_shown", figures.Median(pages), runs)
}
