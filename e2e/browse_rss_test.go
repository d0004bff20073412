package e2e

import (
	"fmt"
	"os"
	"testing"
	"time"
)

// TestFigureBrowseRSS (make bench): the app in a real window browses all
// 50,000 people — the scrollbar is dragged from top to bottom a few pixels
// at a time, pausing so every page is shown — and the app process's peak
// resident memory is reported.
func TestFigureBrowseRSS(t *testing.T) {
	if os.Getenv("CEZANNE_FIGURES") != "1" {
		t.Skip("set CEZANNE_FIGURES=1 (make bench) to measure the figures")
	}
	requireDesktop(t, true)
	r := newDesktopRunPeople(t, "browse-50k", 50000)
	cmd, w := r.launch("browse-50k", "--profile", r.profile, "--sign-in", "--session-only")
	w.waitFor(t, "state=people-loaded", 60*time.Second)
	time.Sleep(time.Second)
	loadedMB := procMB(t, cmd.Process.Pid, "VmRSS:")
	x, height := scrollbarX(t)
	// Find the bar: a short drag from the top must bring a new page.
	found := false
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
			x, found = x+dx, true
			break
		}
	}
	if !found {
		t.Fatal("could not grab the table's scrollbar")
	}
	xdo(t, "mousemove", fmt.Sprint(x), "300")
	time.Sleep(400 * time.Millisecond)
	xdo(t, "mousemove", fmt.Sprint(x), fmt.Sprint(scrollTopY+5), "mousedown", "1")
	bottom := height - 8
	for y := scrollTopY + 5; y <= bottom; y++ {
		xdo(t, "mousemove", fmt.Sprint(x), fmt.Sprint(y))
		time.Sleep(110 * time.Millisecond) // long enough for the page to be fetched and shown
	}
	xdo(t, "mouseup", "1")
	time.Sleep(time.Second)
	skips := r.peopleRequests()
	seen := map[int]bool{}
	for _, s := range skips {
		seen[s/200] = true
	}
	rss := procMB(t, cmd.Process.Pid, "VmHWM:")
	glMB := softwareGLMB(t, cmd.Process.Pid)
	r.screenshot("browse-50k-bottom.png")
	stop(cmd)
	// The window alone, with the first page, already holds what Fyne and the
	// software OpenGL of Xvfb (Mesa llvmpipe) need; the growth is what
	// browsing added.
	fmt.Printf("figure browse_rss_mb %.0f\n", rss)
	fmt.Printf("figure browse_rss_first_page_mb %.0f\n", loadedMB)
	fmt.Printf("figure browse_rss_growth_mb %.0f\n", rss-loadedMB)
	// Without a GPU, Mesa rasterises in software: its JIT (libLLVM) and
	// driver pages are resident in our process. A GPU driver keeps far less.
	fmt.Printf("figure browse_rss_software_gl_mb %.0f\n", glMB)
	baseline := emptyWindowRSS(t)
	fmt.Printf("figure fyne_empty_window_rss_mb %.0f\n", baseline)
	fmt.Printf("figure browse_rss_over_empty_window_mb %.0f\n", rss-baseline)
	fmt.Printf("figure browse_rss_without_software_gl_mb %.0f\n", rss-glMB)
	fmt.Printf("figure browse_pages_shown %d\n", len(seen))
	// One pixel of scrollbar is more than a page of rows, so a drag cannot
	// stop on every page; it must still cover the set from top to bottom.
	t.Logf("%d page requests covering %d of 250 pages", len(skips), len(seen))
	if len(seen) < 190 || !seen[0] || !seen[249] {
		t.Fatalf("the drag showed only %d of 250 pages", len(seen))
	}
	if rss-loadedMB >= 150 {
		t.Errorf("browsing grew the app by %.0f MB, budget 150", rss-loadedMB)
	}
}
