package ui

import (
	"testing"
	"time"
)

// A scrollbar drag renders a frame every few milliseconds; only the rows of
// the last frame are fetched, not every page between the frames.
func TestPeopleFetchesOnlyWhatTheLastFrameShowed(t *testing.T) {
	h, v := signedInDemo(t)
	h.drain()
	if _, ok := v.pager.Cached(250); ok {
		t.Fatal("page 1 loaded before the drag")
	}
	before := v.pager.Requests()
	now := time.Now()
	for row := 250; row < 270; row++ {
		v.misses = append(v.misses, miss{row, now})
	}
	for row := 440; row < 460; row++ {
		v.misses = append(v.misses, miss{row, now.Add(16 * time.Millisecond)})
	}
	v.fetchMissed()
	if n := h.drain(); n != 1 || v.pager.Requests() != before+1 {
		t.Fatalf("%d fetches, %d requests for one frame's rows", n, v.pager.Requests()-before)
	}
	if _, ok := v.pager.Cached(450); !ok {
		t.Fatal("the last frame's rows were not fetched")
	}
	if _, ok := v.pager.Cached(250); ok {
		t.Fatal("rows flown past were fetched")
	}
}
