package main

import (
	"context"
	"time"
)

// idleTrimGap is the least time between two trims made as the window goes
// idle (idleTrim).
const idleTrimGap = 10 * time.Second

// idleTrimDelay is how long after the window went idle its trim comes:
// going idle, the window is drawn once more (internal/tuning), and
// malloc_trim takes each arena's lock in turn, which that frame's mallocs
// would wait for.
const idleTrimDelay = time.Second

// idleTrim hands the C allocator's free pages back as the window goes idle
// (tuning.SetOnIdle), besides the trim every minute: a busy spell (a page,
// a search, Details) has Mesa allocate and free textures and buffers, and
// glibc kept what was freed until the next minute's trim, 2-3 MB of an
// idle app's resident memory for up to a minute. Once the window is still,
// little more is freed, so a trim then gives back what the spell left.
type idleTrim struct {
	gap   time.Duration
	now   func() time.Time
	after func(time.Duration, func()) // runs a function later, on a goroutine of its own
	trim  func()
	last  time.Time
}

// newIdleTrim is the app's: malloc_trim a second after going idle, at most
// once every idleTrimGap.
func newIdleTrim() *idleTrim {
	return &idleTrim{gap: idleTrimGap, now: time.Now, trim: trimCMemory,
		after: func(d time.Duration, f func()) { time.AfterFunc(d, f) }}
}

// idle is called on the UI goroutine (the only one to touch last), which
// must not wait for the trim. A person pausing every few seconds trims at
// most once per gap.
func (t *idleTrim) idle() {
	if now := t.now(); t.last.IsZero() || now.Sub(t.last) >= t.gap {
		t.last = now
		t.after(idleTrimDelay, t.trim)
	}
}

// cTrimEvery is how often the app hands the C allocator's free pages back
// to the system (ctrim_linux.go). A minute: Mesa's software renderer
// frees texture and frame memory all the time, and glibc kept what it
// freed: the soak measured RSS growing 2–4 MB in 8 minutes that way while
// the C memory in use did not grow at all, and a trim at the end gave
// 1.5–3.4 MB back. A trim takes milliseconds, so once a minute costs
// nothing a person could see.
const cTrimEvery = time.Minute

// trimEvery calls trim every interval until ctx ends.
func trimEvery(ctx context.Context, interval time.Duration, trim func()) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			trim()
		}
	}
}
