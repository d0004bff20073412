package ui

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// HeartbeatEnv turns on the UI heartbeat (tests and `make bench` set it; it
// is off in normal runs): every 10 ms a function is handed to the UI
// goroutine with fyne.Do, and each second the log says how many ran and the
// longest any waited, as `msg=ui-heartbeat beats=N max_ms=M`. That wait is
// the time the window could not react to anything: the figure
// ui_max_stall_ms. A value that is a file path (not "1") also gets, for each
// wait past stallDumpAfter, the UI goroutine's stack at that moment: what
// held it, for whoever hunts a stall.
const HeartbeatEnv = "CEZANNE_UI_HEARTBEAT"

const (
	heartbeatEvery  = 10 * time.Millisecond
	heartbeatReport = time.Second
	stallDumpAfter  = 40 * time.Millisecond
	// stallDumpEvery samples a long stall again: its first moment may not
	// be what holds it longest.
	stallDumpEvery = 100 * time.Millisecond
)

// heartbeat sends one beat at a time to the UI goroutine: the next goes
// only once the last has run, so a beat's wait is exactly how long the UI
// goroutine was busy (or the process not scheduled) when it was sent, and
// a long stall is one long wait, not many queued ones. The first beat's
// wait is not counted: the UI goroutine runs fyne.Do only once the window
// exists, and until then there is no window to be slow (how long a window
// takes to appear is the figure start_ratio).
type heartbeat struct {
	post   func(func()) // fyne.Do in the app
	report func(beats int, longest time.Duration)
	// dump is called while a stall lasts, once it passes stallDumpAfter
	// and then every stallDumpEvery (nil: no dumps).
	dump func(waited time.Duration)

	mu       sync.Mutex
	started  bool // the first beat has run: the window exists
	inFlight bool
	sent     time.Time
	nextDump time.Duration // the wait at which the next dump is due
	beats    int
	longest  time.Duration
}

// run beats until ctx ends, reporting every heartbeatReport.
func (h *heartbeat) run(ctx context.Context) {
	tick := time.NewTicker(heartbeatEvery)
	defer tick.Stop()
	next := time.Now().Add(heartbeatReport)
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			h.beat(now)
			if !now.Before(next) {
				next = now.Add(heartbeatReport)
				h.flush(now)
			}
		}
	}
}

// beat sends a beat when none is waiting, or notes how long the waiting one
// has waited (for the stack dump).
func (h *heartbeat) beat(now time.Time) {
	h.mu.Lock()
	if h.inFlight {
		waited := now.Sub(h.sent)
		dump := h.dump != nil && h.started && waited >= h.nextDump
		if dump {
			h.nextDump = waited + stallDumpEvery
		}
		h.mu.Unlock()
		if dump {
			h.dump(waited)
		}
		return
	}
	h.inFlight, h.sent, h.nextDump = true, now, stallDumpAfter
	h.mu.Unlock()
	h.post(func() { h.arrived(time.Now()) })
}

// arrived runs on the UI goroutine.
func (h *heartbeat) arrived(now time.Time) {
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
func (h *heartbeat) flush(now time.Time) {
	h.mu.Lock()
	beats, longest := h.beats, h.longest
	if h.inFlight && h.started {
		longest = max(longest, now.Sub(h.sent))
	}
	h.beats, h.longest = 0, 0
	h.mu.Unlock()
	h.report(beats, longest)
}

// startHeartbeat starts the heartbeat when HeartbeatEnv asks for it; stop
// ends it (nil: it was not asked for). The app never stops it.
func startHeartbeat(logger *slog.Logger, lookupEnv func(string) (string, bool)) (stop func()) {
	val, ok := lookupEnv(HeartbeatEnv)
	if !ok || val == "" || val == "0" {
		return nil
	}
	h := &heartbeat{post: fyne.Do, report: func(beats int, longest time.Duration) {
		logger.Info("ui-heartbeat", "beats", beats, "max_ms", longest.Milliseconds())
	}}
	if val != "1" {
		h.dump = func(waited time.Duration) { appendUIStack(val, waited) }
	}
	ctx, cancel := context.WithCancel(context.Background())
	go h.run(ctx)
	logger.Info("ui-heartbeat started", "every_ms", heartbeatEvery.Milliseconds())
	return cancel
}

// appendUIStack appends the stack of goroutine 1 (Fyne's GLFW driver runs
// the UI there, on the main OS thread) to path.
func appendUIStack(path string, waited time.Duration) {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
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
	fmt.Fprintf(f, "=== %s: the UI goroutine has not run a beat for %d ms\n%s\n\n", time.Now().Format(time.RFC3339Nano), waited.Milliseconds(), main)
}
