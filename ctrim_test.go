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
