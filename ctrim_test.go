package main

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// TestTrimEvery: the trim runs again and again at its interval, and never
// once its context has ended. It waits for the trims it expects rather
// than assuming how fast a busy machine runs a ticker.
func TestTrimEvery(t *testing.T) {
	for _, tc := range []struct {
		name     string
		interval time.Duration
		want     int64 // trims to wait for
	}{
		{"once", 10 * time.Millisecond, 1},
		{"again and again", 5 * time.Millisecond, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int64
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { defer close(done); trimEvery(ctx, tc.interval, func() { n.Add(1) }) }()
			for deadline := time.Now().Add(30 * time.Second); n.Load() < tc.want; time.Sleep(time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("%d trims in 30 s, want %d", n.Load(), tc.want)
				}
			}
			cancel()
			<-done
			after := n.Load()
			time.Sleep(5 * tc.interval)
			if n.Load() != after {
				t.Errorf("trimmed %d times after its context ended", n.Load()-after)
			}
		})
	}
}

// TestIdleTrim: going idle trims, a second later and off the caller's
// goroutine (through after), unless the last idle trim was less than the
// gap ago.
func TestIdleTrim(t *testing.T) {
	now := time.Unix(1000, 0)
	for _, tc := range []struct {
		name string
		last time.Duration // how long ago the last trim was; 0: never
		trim bool
	}{
		{"the first time", 0, true},
		{"4 s after a trim", 4 * time.Second, false},
		{"9.9 s after", 9900 * time.Millisecond, false},
		{"10 s after", 10 * time.Second, true},
		{"a minute after", time.Minute, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			trims := 0
			var delays []time.Duration
			it := &idleTrim{gap: 10 * time.Second, now: func() time.Time { return now }, trim: func() { trims++ },
				after: func(d time.Duration, f func()) { delays = append(delays, d); f() }}
			if tc.last > 0 {
				it.last = now.Add(-tc.last)
			}
			it.idle()
			if got := trims == 1; got != tc.trim || trims > 1 {
				t.Errorf("%d trims, want a trim: %v", trims, tc.trim)
			}
			for _, d := range delays {
				if d != idleTrimDelay {
					t.Errorf("trim after %v, want %v (not inside the frame drawn on going idle)", d, idleTrimDelay)
				}
			}
			if tc.trim && !it.last.Equal(now) {
				t.Errorf("the trim was not noted: last %v", it.last)
			}
		})
	}
}
