package tuning

import (
	"fmt"
	"testing"
	"time"
)

func TestRecentTexts(t *testing.T) {
	t0 := time.Unix(1e9, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	type show struct {
		s  string
		ms int
	}
	tests := []struct {
		name     string
		keep     int
		shows    []show
		spanAtMs int
		wantSpan time.Duration
		wantLen  int
	}{
		{name: "fewer than keep: the longest", keep: 3, shows: []show{{"a", 0}, {"b", 100}}, spanAtMs: 200, wantSpan: time.Minute, wantLen: 2},
		{name: "full: since the oldest kept was shown", keep: 3, shows: []show{{"a", 0}, {"b", 3000}, {"c", 5000}}, spanAtMs: 9000, wantSpan: 9 * time.Second, wantLen: 3},
		{name: "no shorter than the shortest", keep: 3, shows: []show{{"a", 0}, {"b", 10}, {"c", 20}}, spanAtMs: 30, wantSpan: 2 * time.Second, wantLen: 3},
		{name: "no longer than the longest", keep: 2, shows: []show{{"a", 0}, {"b", 10}}, spanAtMs: 100_000, wantSpan: time.Minute, wantLen: 2},
		{name: "the oldest past keep is forgotten", keep: 2, shows: []show{{"a", 0}, {"b", 4000}, {"c", 6000}}, spanAtMs: 7000, wantSpan: 3 * time.Second, wantLen: 2},
		{name: "shown again: newest, counted once", keep: 2, shows: []show{{"a", 0}, {"b", 1000}, {"a", 5000}, {"a", 5500}}, spanAtMs: 8000, wantSpan: 7 * time.Second, wantLen: 2},
		{name: "empty text is no string", keep: 2, shows: []show{{"", 0}, {"", 10}}, spanAtMs: 20, wantSpan: time.Minute, wantLen: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := recentTexts{keep: tt.keep}
			for _, s := range tt.shows {
				r.touch(s.s, at(s.ms))
			}
			if got := r.span(at(tt.spanAtMs), 2*time.Second, time.Minute); got != tt.wantSpan {
				t.Errorf("span %v, want %v", got, tt.wantSpan)
			}
			if r.order.Len() != tt.wantLen || len(r.index) != tt.wantLen {
				t.Errorf("%d strings listed, %d indexed, want %d", r.order.Len(), len(r.index), tt.wantLen)
			}
		})
	}
}

// TestRecentTextsBurst: more than burstTexts new strings within
// burstWindow is a burst, the shortest duration at once, however few the
// list holds; strings shown again are no burst; it ends burstWindow after.
func TestRecentTextsBurst(t *testing.T) {
	t0 := time.Unix(1e9, 0)
	for _, tc := range []struct {
		name     string
		texts    int           // shown 1 ms apart
		distinct bool          // each a new string, or the same few again
		after    time.Duration // span asked this long after the last
		want     time.Duration
	}{
		{"a burst", burstTexts + 1, true, 0, 2 * time.Second},
		{"just below a burst", burstTexts, true, 0, time.Minute},
		{"the same strings again and again", 10 * burstTexts, false, 0, time.Minute},
		{"a burst ends burstWindow after it", burstTexts + 1, true, burstWindow, time.Minute},
		{"a burst lasts burstWindow", burstTexts + 1, true, burstWindow - 200*time.Millisecond, 2 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := recentTexts{keep: 100 * burstTexts}
			now := t0
			for i := range tc.texts {
				now = t0.Add(time.Duration(i) * time.Millisecond)
				s := fmt.Sprint("text ", i%5)
				if tc.distinct {
					s = fmt.Sprint("text ", i)
				}
				r.touch(s, now)
			}
			if got := r.span(now.Add(tc.after), 2*time.Second, time.Minute); got != tc.want {
				t.Errorf("span %v, want %v", got, tc.want)
			}
			if len(r.added) > burstTexts+1 {
				t.Errorf("%d additions remembered, want %d at most", len(r.added), burstTexts+1)
			}
		})
	}
}

// TestRecentTextsKept: a string counts as still having its texture until
// keptMargin before the duration it was shown with runs out.
func TestRecentTextsKept(t *testing.T) {
	t0 := time.Unix(1e9, 0)
	r := recentTexts{keep: 2}
	r.touch("a", t0)
	r.stamp("a", 5*time.Second)
	r.touch("b", t0)
	r.stamp("b", 2*time.Second)
	tests := []struct {
		s    string
		at   time.Duration
		want bool
	}{
		{"a", 4*time.Second + 400*time.Millisecond, true},
		{"a", 4*time.Second + 500*time.Millisecond, false},
		{"b", time.Second, true},
		{"b", 1600 * time.Millisecond, false},
		{"never shown", 0, false},
	}
	for _, tt := range tests {
		if got := r.kept(tt.s, t0.Add(tt.at)); got != tt.want {
			t.Errorf("kept(%q) at %v = %v, want %v", tt.s, tt.at, got, tt.want)
		}
	}
	// The duration falls to 1 s at 2 s: a on screen then is drawn with it.
	r.shortened(t0.Add(2*time.Second), time.Second)
	if r.kept("a", t0.Add(2600*time.Millisecond)) || !r.kept("a", t0.Add(2400*time.Millisecond)) {
		t.Error("a string still counts as kept for its longer duration after the duration fell")
	}
	r.touch("c", t0.Add(time.Second)) // a is the oldest: gone
	if r.kept("a", t0.Add(time.Second)) {
		t.Error("a string past keep still counts as kept")
	}
}
