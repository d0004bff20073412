package tuning

import (
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

func newFakeCache(ui *fakeUI) *textCache {
	return &textCache{
		busy:  2 * time.Second,
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
	const busy, idle = 2 * time.Second, time.Minute
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
			c := newFakeCache(ui)
			if tt.enabled {
				c.start(idle)
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
