package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestPeopleBrowser50kScrolledToMiddle: 50,000 people in a real window.
// Dragging the scrollbar to the middle must fetch only the pages around
// the rows shown (at most 3 requests), and the screenshot shows them.
func TestPeopleBrowser50kScrolledToMiddle(t *testing.T) {
	requireDesktop(t, true)
	r := newDesktopRunPeople(t, "people-50k", 50000)
	cmd, w := r.launch("people-50k", "--profile", r.profile, "--sign-in", "--session-only")
	loaded := w.waitFor(t, "state=people-loaded", 60*time.Second)
	if !strings.Contains(loaded, "rows=50000") {
		t.Fatalf("People: %s", loaded)
	}
	r.screenshot("people-50k-top.png")
	before := len(r.peopleRequests())

	x, height := scrollbarX(t)
	xdo := func(args ...string) { xdo(t, args...) }
	// The bar is a few pixels wide: try positions around the estimate until
	// one drag takes hold (each failed try leaves the table where it was).
	var after []int
	for _, dx := range []int{0, -3, 3, -6, 6, -9} {
		xdo("mousemove", fmt.Sprint(x+dx), "300")
		time.Sleep(400 * time.Millisecond)
		xdo("mousemove", fmt.Sprint(x+dx), fmt.Sprint(scrollTopY), "mousedown", "1")
		time.Sleep(200 * time.Millisecond)
		xdo("mousemove", fmt.Sprint(x+dx), "250") // passing over, as a drag does
		time.Sleep(30 * time.Millisecond)
		xdo("mousemove", fmt.Sprint(x+dx), fmt.Sprint((scrollTopY-6+height)/2))
		time.Sleep(200 * time.Millisecond)
		xdo("mouseup", "1")
		time.Sleep(1500 * time.Millisecond)
		if after = r.peopleRequests()[before:]; len(after) > 0 {
			break
		}
	}
	r.screenshot("people-50k-middle.png")
	after = r.peopleRequests()[before:]
	t.Logf("page requests after scrolling to the middle: %v", after)
	if len(after) == 0 || len(after) > 3 {
		t.Fatalf("%d page requests for one scroll (skips %v), want 1 to 3", len(after), after)
	}
	for _, skip := range after {
		if skip < 15000 || skip > 35000 {
			t.Fatalf("fetched rows from %d, not around the middle", skip)
		}
	}
	stop(cmd)
}
