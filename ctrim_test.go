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

// TestIdleTrim: going idle trims, off the caller's goroutine, unless the
// last idle trim was less than the gap ago.
func TestIdleTrim(t *testing.T) {
	start := time.Unix(1000, 0)
	trimmed := make(chan struct{}, 10)
	var now time.Time
	it := &idleTrim{gap: 10 * time.Second, now: func() time.Time { return now }, trim: func() { trimmed <- struct{}{} }}
	for _, tc := range []struct {
		name string
		at   time.Duration // since start
		trim bool
	}{
		{"first idle", 0, true},
		{"idle again 4 s later", 4 * time.Second, false},
		{"idle again 9 s later", 9 * time.Second, false},
		{"idle again 10 s after the trim", 10 * time.Second, true},
		{"and 30 s later", 40 * time.Second, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now = start.Add(tc.at)
			it.idle()
			// A trim comes on a goroutine: waited for up to 10 s (a busy
			// machine), and one not expected is looked for briefly.
			wait := 100 * time.Millisecond
			if tc.trim {
				wait = 10 * time.Second
			}
			select {
			case <-trimmed:
				if !tc.trim {
					t.Errorf("trimmed")
				}
			case <-time.After(wait):
				if tc.trim {
					t.Errorf("no trim within %v", wait)
				}
			}
		})
	}
}
