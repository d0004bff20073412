// Package heartbeat measures how long a UI goroutine cannot run a function
// handed to it: every 10 ms one beat is posted (with fyne.Do in the app),
// and each second a report says how many ran and the longest any waited:
// the figure ui_max_stall_ms. The app turns it on for tests and make bench
// (ui.HeartbeatEnv); the empty-window baseline of the figures uses it too,
// so both are measured alike. It imports nothing of Fyne's: the caller
// passes the function that posts to the UI goroutine.
package heartbeat

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"sync"
	"time"
)

const (
	// Every is how often a beat is sent.
	Every = 10 * time.Millisecond
	// ReportEvery is how often the report is made.
	ReportEvery = time.Second
	// DumpAfter is the wait past which a stall's UI stack is dumped.
	DumpAfter = 40 * time.Millisecond
	// DumpEvery samples a long stall again: its first moment may not be
	// what holds it longest.
	DumpEvery = 100 * time.Millisecond
)

// Heartbeat sends one beat at a time to the UI goroutine: the next goes
// only once the last has run, so a beat's wait is exactly how long the UI
// goroutine was busy (or the process not scheduled) when it was sent, and
// a long stall is one long wait, not many queued ones. The first beat's
// wait is not counted: Fyne runs fyne.Do only once the window exists, and
// until then there is no window to be slow (how long a window takes to
// appear is the figure start_ratio).
type Heartbeat struct {
	Post   func(func()) // fyne.Do in the app
	Report func(beats int, longest time.Duration)
	// Dump is called while a stall lasts, once it passes DumpAfter and
	// then every DumpEvery (nil: no dumps).
	Dump func(waited time.Duration)

	mu       sync.Mutex
	started  bool // the first beat has run: the window exists
	inFlight bool
	sent     time.Time
	nextDump time.Duration // the wait at which the next dump is due
	beats    int
	longest  time.Duration
}

// Run beats until ctx ends, reporting every ReportEvery.
func (h *Heartbeat) Run(ctx context.Context) {
	tick := time.NewTicker(Every)
	defer tick.Stop()
	next := time.Now().Add(ReportEvery)
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			h.beat(now)
			if !now.Before(next) {
				next = now.Add(ReportEvery)
				h.flush(now)
			}
		}
	}
}

// beat sends a beat when none is waiting, or notes how long the waiting one
// has waited (for the stack dump).
func (h *Heartbeat) beat(now time.Time) {
	h.mu.Lock()
	if h.inFlight {
		waited := now.Sub(h.sent)
		dump := h.Dump != nil && h.started && waited >= h.nextDump
		if dump {
			h.nextDump = waited + DumpEvery
		}
		h.mu.Unlock()
		if dump {
			h.Dump(waited)
		}
		return
	}
	h.inFlight, h.sent, h.nextDump = true, now, DumpAfter
	h.mu.Unlock()
	h.Post(func() { h.arrived(time.Now()) })
}

// arrived runs on the UI goroutine.
func (h *Heartbeat) arrived(now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.inFlight = false
	h.beats++
	if h.started {
		h.longest = max(h.longest, now.Sub(h.sent))
	}
	h.started = true
}

// flush reports the last period. A beat still waiting counts with its wait
// so far: a window frozen for seconds shows in the second it froze, not
// only once it thaws.
func (h *Heartbeat) flush(now time.Time) {
	h.mu.Lock()
	beats, longest := h.beats, h.longest
	if h.inFlight && h.started {
		longest = max(longest, now.Sub(h.sent))
	}
	h.beats, h.longest = 0, 0
	h.mu.Unlock()
	h.Report(beats, longest)
}

// stackBuf is AppendUIStack's buffer, made at the first dump and kept: a
// stall of a second is dumped ten times, and a new megabyte for each
// showed in the soak's memory figures as the app's own heap (2.4 MB of a
// 3.2 MB growth of the Go heap in one run).
var (
	stackMu  sync.Mutex
	stackBuf []byte
)

// AppendUIStack appends the stack of goroutine 1 (Fyne's GLFW driver runs
// the UI there, on the main OS thread) to the file at path: what held the
// UI goroutine, for whoever hunts a stall. Go gives another goroutine's
// stack only with every goroutine's, with the world stopped: a UI
// goroutine coming back from a frame waits for that, so each dump says how
// long it took, for the stall figures to be read with it.
func AppendUIStack(path string, waited time.Duration) {
	stackMu.Lock()
	defer stackMu.Unlock()
	if stackBuf == nil {
		stackBuf = make([]byte, 1<<20)
	}
	start := time.Now()
	buf := stackBuf[:runtime.Stack(stackBuf, true)]
	stopped := time.Since(start)
	var main []byte
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		if bytes.HasPrefix(g, []byte("goroutine 1 ")) {
			main = g
		}
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintf(f, "=== %s: the UI goroutine has not run a beat for %d ms (this dump took %d µs)\n%s\n\n",
		time.Now().Format(time.RFC3339Nano), waited.Milliseconds(), stopped.Microseconds(), main)
}

// GoMemory is what the Go runtime holds: all it has mapped and not given
// back to the OS (heap, stacks, its own structures: an upper bound of its
// resident share), and the heap that was live at the last collection. The
// figures set it against the process's resident memory, to tell Go's part
// from the C libraries' (OpenGL, fonts in C, X).
func GoMemory() (held, live uint64) {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64() - s[1].Value.Uint64(), s[2].Value.Uint64()
}
