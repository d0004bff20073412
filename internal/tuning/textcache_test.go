package tuning

import (
	"slices"
	"testing"
	"time"
)

// fakeUI runs the text cache's timers and posts by hand, on a fake clock.
type fakeUI struct {
	now    time.Time
	timers []fakeTimer
	posted []func()
	set    []time.Duration
}

type fakeTimer struct {
	at time.Time
	f  func()
}

func newFakeCache(ui *fakeUI, idle time.Duration) *textCache {
	return &textCache{
		busy:  2 * time.Second,
		idle:  idle,
		quiet: 3 * time.Second,
		post:  func(f func()) { ui.posted = append(ui.posted, f) },
		afterFunc: func(d time.Duration, f func()) *time.Timer {
			ui.timers = append(ui.timers, fakeTimer{at: ui.now.Add(d), f: f})
			return nil
		},
		now: func() time.Time { return ui.now },
		set: func(d time.Duration) { ui.set = append(ui.set, d) },
	}
}

// advance moves the clock, fires the timers due, then runs what they
// posted to the UI goroutine.
func (ui *fakeUI) advance(d time.Duration) {
	ui.now = ui.now.Add(d)
	var later []fakeTimer
	for _, tm := range ui.timers {
		if tm.at.After(ui.now) {
			later = append(later, tm)
			continue
		}
		tm.f()
	}
	ui.timers = later
	for len(ui.posted) > 0 {
		f := ui.posted[0]
		ui.posted = ui.posted[1:]
		f()
	}
}

func TestTextCacheFollowsTheWindow(t *testing.T) {
	const busy, idle = 2 * time.Second, 10*time.Second + 500*time.Millisecond
	type step struct {
		busy    bool          // a cell is filled
		advance time.Duration // then the clock moves on
	}
	tests := []struct {
		name    string
		enabled bool
		steps   []step
		want    []time.Duration // every duration set, in order
		timers  int             // idle checks still due at the end
	}{
		{name: "starts idle", enabled: true, want: []time.Duration{idle}},
		{name: "a filled cell makes it busy", enabled: true,
			steps: []step{{busy: true}}, want: []time.Duration{idle, busy}, timers: 1},
		{name: "many cells set it once and arm one check", enabled: true,
			steps: []step{{busy: true}, {busy: true, advance: time.Second}, {busy: true}},
			want:  []time.Duration{idle, busy}, timers: 1},
		{name: "idle again after three quiet seconds", enabled: true,
			steps: []step{{busy: true, advance: 3 * time.Second}}, want: []time.Duration{idle, busy, idle}},
		{name: "cells shown during the wait postpone idle", enabled: true,
			steps: []step{{busy: true, advance: 2 * time.Second}, {busy: true, advance: time.Second}},
			want:  []time.Duration{idle, busy}, timers: 1},
		{name: "postponed idle comes three seconds after the last cell", enabled: true,
			steps: []step{{busy: true, advance: 2 * time.Second}, {busy: true, advance: time.Second}, {advance: 2 * time.Second}},
			want:  []time.Duration{idle, busy, idle}},
		{name: "busy again after idle", enabled: true,
			steps: []step{{busy: true, advance: 3 * time.Second}, {busy: true}},
			want:  []time.Duration{idle, busy, idle, busy}, timers: 1},
		{name: "FYNE_CACHE set: left alone",
			steps: []step{{busy: true, advance: 5 * time.Second}, {busy: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ui := &fakeUI{now: time.Unix(1e9, 0)}
			c := newFakeCache(ui, idle)
			if tt.enabled {
				c.start()
			}
			for _, s := range tt.steps {
				if s.busy {
					c.markBusy()
				}
				ui.advance(s.advance)
			}
			if !equalDurations(ui.set, tt.want) {
				t.Errorf("durations set %v, want %v", ui.set, tt.want)
			}
			if len(ui.timers) != tt.timers {
				t.Errorf("%d idle checks due, want %d", len(ui.timers), tt.timers)
			}
		})
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestIdleCacheKeepsTheWindowAlive: Fyne must walk an idle window before
// what the busy frames last touched expires, or it forgets which canvas
// the objects on screen belong to and the window stops drawing. Fyne walks
// an idle window every ValidDuration − fyneWalkLead; the entries touched
// at the switch live fyneCacheDuration. A frame can come late on a busy
// machine: the walk must leave a second of room.
func TestIdleCacheKeepsTheWindowAlive(t *testing.T) {
	walkEvery := idleCacheDuration - fyneWalkLead
	if walkEvery <= 0 {
		t.Fatalf("idle cache %v: Fyne would walk the window on every frame", idleCacheDuration)
	}
	if room := fyneCacheDuration - walkEvery; room < time.Second {
		t.Fatalf("idle cache %v: Fyne walks every %v, %v before the busy %v entries expire; want a second or more",
			idleCacheDuration, walkEvery, room, fyneCacheDuration)
	}
}

// TestBusyWindowIsRedrawnBeforeItsTextExpires: Fyne frees the texture of a
// string not drawn for the cache duration, and the next frame rasterises
// every string on screen again (a 60-75 ms frame). So while busy the
// window is drawn again at least every busy − redrawLead, once more on
// going idle (what is on screen then lives the idle duration), and never
// while idle; nor while new text keeps coming, as its frames draw the
// whole window anyway.
func TestBusyWindowIsRedrawnBeforeItsTextExpires(t *testing.T) {
	every := func(d, until time.Duration) (marks []time.Duration) {
		for at := time.Duration(0); at <= until; at += d {
			marks = append(marks, at)
		}
		return marks
	}
	for _, tc := range []struct {
		name    string
		marks   []time.Duration // when cells are filled
		redraws int             // how many redraws at most
	}{
		{"one page", []time.Duration{0}, 2},
		{"a page read for 2.5 s, then the next", []time.Duration{0, 2500 * time.Millisecond}, 3},
		{"a drag", []time.Duration{0, 300 * time.Millisecond, 700 * time.Millisecond, 1900 * time.Millisecond, 2100 * time.Millisecond, 4 * time.Second}, 4},
		{"busy again after idle", []time.Duration{0, 5 * time.Second}, 4},
		{"new text every 1.2 s: only after it stops", every(1200*time.Millisecond, 10*time.Second), 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			redraws, idleAt := playMarks(t, tc.marks)
			for _, at := range idleAt {
				if !slices.Contains(redraws, at) {
					t.Errorf("went idle at %v without a redraw (redraws %v)", at, redraws)
				}
			}
			if len(redraws) > tc.redraws {
				t.Errorf("%d redraws %v, want at most %d", len(redraws), redraws, tc.redraws)
			}
			if end := idleAt[len(idleAt)-1]; redraws[len(redraws)-1] > end {
				t.Errorf("redrawn at %v, after going idle at %v", redraws[len(redraws)-1], end)
			}
		})
	}
}

// playMarks runs a cache through cells filled at marks, 20 s on a fake
// clock in 10 ms steps, checking that while busy the window is never left
// undrawn for longer than busy − redrawLead; it returns when it redrew and
// when it went idle.
func playMarks(t *testing.T, marks []time.Duration) (redraws, idleAt []time.Duration) {
	t.Helper()
	const busy, idle, step = 2 * time.Second, 10*time.Second + 500*time.Millisecond, 10 * time.Millisecond
	ui := &fakeUI{now: time.Unix(1e9, 0)}
	start := ui.now
	c := newFakeCache(ui, idle)
	drawn := ui.now // the last frame: a redraw, or the one that showed new cells
	c.redraw = func() { redraws = append(redraws, ui.now.Sub(start)); drawn = ui.now }
	c.start()
	for at := time.Duration(0); at <= 20*time.Second; at += step {
		for len(marks) > 0 && marks[0] <= at {
			c.markBusy()
			drawn = ui.now
			marks = marks[1:]
		}
		if c.isBusy && ui.now.Sub(drawn) > busy-redrawLead {
			t.Fatalf("busy at %v, last drawn %v before: the busy %v textures expire", at, ui.now.Sub(drawn), busy)
		}
		wasBusy := c.isBusy
		ui.advance(step)
		if wasBusy && !c.isBusy {
			idleAt = append(idleAt, ui.now.Sub(start))
		}
	}
	if len(idleAt) == 0 || c.isBusy {
		t.Fatalf("never went idle for good (idle at %v)", idleAt)
	}
	return redraws, idleAt
}
