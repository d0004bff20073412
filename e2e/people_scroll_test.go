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
	if err := checkScrollRequests(after); err != nil {
		t.Fatal(err)
	}
	stop(cmd)
}

// checkScrollRequests judges the page requests of one drag to the middle.
// The rows the drag ends on must be fetched, and nothing else but what it
// passed over: on a busy machine the window may draw the row it passed
// (about 5,600) long enough for that to count as a pause, which a person
// dragging there would cause too. What must never happen is a request per
// row passed, or one for rows the drag never showed.
func checkScrollRequests(skips []int) error {
	middle := 0
	for _, skip := range skips {
		switch {
		case skip >= 15000 && skip <= 35000:
			middle++
		case skip > 35000:
			return fmt.Errorf("fetched rows from %d, past where the drag ended (skips %v)", skip, skips)
		}
	}
	if middle == 0 || middle > 3 {
		return fmt.Errorf("%d page requests around the middle (skips %v), want 1 to 3", middle, skips)
	}
	if passed := len(skips) - middle; passed > 2 {
		return fmt.Errorf("%d page requests for rows the drag passed over (skips %v): the pager fetched while scrolling", passed, skips)
	}
	return nil
}

func TestCheckScrollRequests(t *testing.T) {
	tests := []struct {
		skips []int
		ok    bool
	}{
		{[]int{25000}, true},
		{[]int{24800, 25000, 25200}, true},
		{[]int{5600, 25000}, true}, // the row passed over, drawn long enough on a busy machine
		{nil, false},
		{[]int{5600}, false},
		{[]int{24800, 25000, 25200, 25400}, false},
		{[]int{1000, 3000, 5600, 25000}, false},
		{[]int{25000, 45000}, false},
	}
	for _, tt := range tests {
		if err := checkScrollRequests(tt.skips); (err == nil) != tt.ok {
			t.Errorf("%v: err = %v, want ok %v", tt.skips, err, tt.ok)
		}
	}
}
