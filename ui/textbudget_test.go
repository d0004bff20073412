package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// fakeBudgetClock is a fake clock and a queue of Later calls, run by hand.
type fakeBudgetClock struct {
	now     time.Time
	queued  []*laterCall
	stopped int
}

type laterCall struct {
	d       time.Duration
	f       func()
	stopped bool
}

func (c *fakeBudgetClock) later(d time.Duration, f func()) func() {
	call := &laterCall{d: d, f: f}
	c.queued = append(c.queued, call)
	return func() { call.stopped = true; c.stopped++ }
}

// runLater runs what is queued, each after its delay on the clock.
func (c *fakeBudgetClock) runLater() int {
	q := c.queued
	c.queued = nil
	return runCalls(q, func(d time.Duration) { c.now = c.now.Add(d) })
}

// runCalls runs the calls not stopped, each after advance(its delay), and
// counts them. Calls queued meanwhile wait for the next run.
func runCalls(q []*laterCall, advance func(time.Duration)) (ran int) {
	for _, call := range q {
		if !call.stopped {
			advance(call.d)
			call.f()
			ran++
		}
	}
	return ran
}

func TestTextBudgetAllow(t *testing.T) {
	type step struct {
		advance time.Duration
		s       string
		shown   string
		want    bool
	}
	tests := []struct {
		name     string
		perFrame int
		steps    []step
		refills  int // refills asked for
	}{
		{"no limit", -1, []step{{0, "a", "", true}, {0, "b", "", true}, {0, "c", "", true}}, 0},
		{"the frame's share, then held back", 2, []step{{0, "a", "", true}, {0, "b", "", true}, {0, "c", "", false}, {0, "d", "", false}}, 1},
		{"a cell already showing its text is free", 1, []step{{0, "a", "", true}, {0, "b", "b", true}, {0, "c", "", false}}, 1},
		{"empty text is free", 1, []step{{0, "a", "", true}, {0, "", "x", true}}, 0},
		{"a string shown lately is free", 1, []step{{0, "a", "", true}, {5 * time.Millisecond, "a", "", true}, {0, "a", "z", true}}, 0},
		{"a string shown long ago is new again", 1, []step{{0, "a", "", true}, {0, "b", "", false},
			{recentFor, "a", "", true}, {0, "b", "", false}}, 1},
		{"a new share after the interval", 1, []step{{0, "a", "", true}, {0, "b", "", false},
			{textBudgetInterval, "b", "", true}, {0, "c", "", false}}, 1},
		{"a string the tuning says is kept is free", 1, []step{{0, "a", "", true}, {0, "kept", "", true},
			{0, "kept 2", "", true}, {0, "b", "", false}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &fakeBudgetClock{now: time.Unix(1000, 0)}
			b := newTextBudget(tt.perFrame, func() time.Time { return c.now }, c.later, func() {})
			b.kept = func(s string) bool { return strings.HasPrefix(s, "kept") }
			for i, s := range tt.steps {
				c.now = c.now.Add(s.advance)
				if got := b.allow(s.s, s.shown); got != s.want {
					t.Errorf("step %d: allow(%q, %q) = %v, want %v", i, s.s, s.shown, got, s.want)
				}
			}
			if len(c.queued) != tt.refills {
				t.Errorf("%d refills queued, want %d (one, however many cells were held back)", len(c.queued), tt.refills)
			}
		})
	}
}

// A page of new strings is shown a frame's share at a time: each refill
// brings the next share, until every cell shows its text. The first share
// may be smaller (it comes with the rest of a new screen).
func TestTextBudgetFillsAPageOverFrames(t *testing.T) {
	for _, tt := range []struct {
		first int
		want  []int
	}{
		{0, []int{24, 24, 24, 24, 4}},
		{8, []int{8, 24, 24, 24, 20}},
	} {
		t.Run(fmt.Sprintf("first share %d", tt.first), func(t *testing.T) {
			c := &fakeBudgetClock{now: time.Unix(1000, 0)}
			cells := make([]string, 100) // what each cell shows
			want := func(i int) string { return fmt.Sprintf("person %d", i) }
			var b *textBudget
			pass := func() (shownNew int) {
				for i := range cells {
					s := want(i)
					if !b.allow(s, cells[i]) {
						s = ""
					}
					if s != cells[i] && s != "" {
						shownNew++
					}
					cells[i] = s
				}
				return shownNew
			}
			var perFrame []int
			b = newTextBudget(24, func() time.Time { return c.now }, c.later, func() { perFrame = append(perFrame, pass()) })
			b.first = tt.first
			perFrame = append(perFrame, pass())
			for c.runLater() > 0 {
			}
			if fmt.Sprint(perFrame) != fmt.Sprint(tt.want) {
				t.Fatalf("new strings shown per frame: %v, want %v", perFrame, tt.want)
			}
			for i := range cells {
				if cells[i] != want(i) {
					t.Fatalf("cell %d shows %q after the refills, want %q", i, cells[i], want(i))
				}
			}
			// Shown again (a scroll back, a refresh): all free, nothing held.
			if n := pass(); n != 0 || len(c.queued) != 0 {
				t.Errorf("showing the same page again: %d new, %d refills", n, len(c.queued))
			}
		})
	}
}

// TestTextBudgetRefillWaitsForTheFrame: a refill's wait starts from a call
// through the UI goroutine's queue, which Fyne serves only once the frame
// that held cells back is drawn, after what was queued during it. A frame
// slower than the interval gets its refill at once after it, a quicker one
// after the rest of the interval.
func TestTextBudgetRefillWaitsForTheFrame(t *testing.T) {
	for _, tt := range []struct {
		name  string
		frame time.Duration // how long the frame took to draw
		want  time.Duration // the refill's wait after it
	}{
		{"a quick frame", 5 * time.Millisecond, textBudgetInterval - 5*time.Millisecond},
		{"a frame as long as the interval", textBudgetInterval, 0},
		{"a frame slower than the interval", 35 * time.Millisecond, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := &fakeBudgetClock{now: time.Unix(1000, 0)}
			refilled := 0
			b := newTextBudget(1, func() time.Time { return c.now }, c.later, func() { refilled++ })
			b.allow("a", "")
			b.allow("b", "") // held back
			if len(c.queued) != 1 || c.queued[0].d != 0 {
				t.Fatalf("calls queued: %+v; want one through the UI queue, without delay", c.queued)
			}
			c.now = c.now.Add(tt.frame)
			afterFrame := c.queued[0]
			c.queued = nil
			afterFrame.f()
			if refilled != 0 || len(c.queued) != 1 || c.queued[0].d != tt.want {
				t.Fatalf("after the frame: %d refills, %d calls queued; want none yet and one after %v", refilled, len(c.queued), tt.want)
			}
			c.runLater()
			if refilled != 1 || !b.allow("b", "") {
				t.Errorf("after the wait: %d refills, and the cell held back is not allowed", refilled)
			}
		})
	}
}

// Closing the table cancels a refill still waiting, before its wait began
// (afterFrame) or during it; closing twice, or a table with no budget, is
// harmless.
func TestTextBudgetClose(t *testing.T) {
	for _, tc := range []struct {
		name string
		hops int // of the refill's two, run before the close
	}{
		{"before the wait began", 0},
		{"during the wait", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &fakeBudgetClock{now: time.Unix(1000, 0)}
			refilled := 0
			b := newTextBudget(1, func() time.Time { return c.now }, c.later, func() { refilled++ })
			b.allow("a", "")
			b.allow("b", "")
			for range tc.hops {
				c.runLater()
			}
			b.close()
			b.close()
			if c.stopped != 1 {
				t.Errorf("stopped %d calls, want 1", c.stopped)
			}
			for c.runLater() > 0 {
			}
			if refilled != 0 {
				t.Errorf("a refill ran after close")
			}
		})
	}
	var none *textBudget
	none.close()
	if !none.allow("x", "") {
		t.Errorf("a nil budget held text back")
	}
}
