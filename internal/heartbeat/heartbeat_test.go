package heartbeat

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestHeartbeatMeasuresStalls: a UI goroutine that runs beats at once
// reports short waits; one held for 150 ms reports at least that, also
// while it is still held when the second ends; and only one beat waits at
// a time, so a stall is one wait, not a queue of them.
func TestHeartbeatMeasuresStalls(t *testing.T) {
	// The window's creation holds the first beat this long: longer than
	// any scheduling delay of a busy machine, so that a wait under it
	// shows the first beat was not counted, whatever the load.
	const creation = time.Second
	for _, tc := range []struct {
		name          string
		hold          time.Duration // the UI goroutine is busy this long, once
		atLeast, most time.Duration
		// whileHeld is the least a report made while the UI goroutine is
		// still held must show (0: no report falls in the hold).
		whileHeld time.Duration
	}{
		{"idle", 0, 0, creation - time.Millisecond, 0},
		{"stalled", 250 * time.Millisecond, 250 * time.Millisecond, creation - time.Millisecond, 0},
		// Held from about 1.02 s to 2.32 s: the report at 2 s shows the
		// wait so far (about 0.98 s), before the beat has run.
		{"frozen past the report", 1300 * time.Millisecond, 900 * time.Millisecond, 2 * time.Second, 300 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ui := make(chan func(), 100)
			var mu sync.Mutex
			var longest, heldLongest time.Duration
			var beats, reports, queued int
			held := false
			h := &Heartbeat{
				Post: func(f func()) {
					mu.Lock()
					queued = max(queued, len(ui)+1)
					mu.Unlock()
					ui <- f
				},
				Report: func(n int, d time.Duration) {
					mu.Lock()
					defer mu.Unlock()
					beats, reports, longest = beats+n, reports+1, max(longest, d)
					if held {
						heldLongest = max(heldLongest, d)
					}
				},
			}
			ctx, cancel := context.WithCancel(context.Background())
			go h.Run(ctx)
			// The "UI goroutine": slow to start (the window being made,
			// not counted), then busy once.
			stop := time.After(creation + 2300*time.Millisecond)
			n := 0
		loop:
			for {
				select {
				case f := <-ui:
					switch n++; n {
					case 1:
						time.Sleep(creation)
					case 3:
						mu.Lock()
						held = true
						mu.Unlock()
						time.Sleep(tc.hold)
						mu.Lock()
						held = false
						mu.Unlock()
					}
					f()
				case <-stop:
					break loop
				}
			}
			cancel()
			mu.Lock()
			defer mu.Unlock()
			if reports < 2 || beats < 20 {
				t.Fatalf("%d reports of %d beats in 2.3 s after the window", reports, beats)
			}
			if longest < tc.atLeast || longest > tc.most {
				t.Errorf("longest wait %v, want %v to %v", longest, tc.atLeast, tc.most)
			}
			if heldLongest < tc.whileHeld {
				t.Errorf("reports made while the UI goroutine was held showed at most %v, want at least %v", heldLongest, tc.whileHeld)
			}
			if queued > 1 {
				t.Errorf("%d beats waited at once", queued)
			}
		})
	}
}

// TestHeartbeatDumpsTheUIStack: a stall past DumpAfter calls dump,
// then again every DumpEvery while it lasts; the window's creation
// (before the first beat runs) does not.
func TestHeartbeatDumpsTheUIStack(t *testing.T) {
	var dumps []time.Duration
	var mu sync.Mutex
	ui := make(chan func(), 10)
	h := &Heartbeat{Post: func(f func()) { ui <- f }, Report: func(int, time.Duration) {},
		Dump: func(d time.Duration) { mu.Lock(); dumps = append(dumps, d); mu.Unlock() }}
	ctx, cancel := context.WithCancel(context.Background())
	go h.Run(ctx)
	f := <-ui
	time.Sleep(200 * time.Millisecond) // the window being made
	f()
	f = <-ui
	time.Sleep(250 * time.Millisecond) // one stall
	f()
	(<-ui)()
	cancel()
	mu.Lock()
	defer mu.Unlock()
	// A busy machine may tick late, never early: at least two dumps, the
	// first past DumpAfter, each next one DumpEvery later.
	if len(dumps) < 2 || len(dumps) > 3 || dumps[0] < DumpAfter {
		t.Fatalf("dumps %v, want two or three: at %v, then every %v", dumps, DumpAfter, DumpEvery)
	}
	for i := 1; i < len(dumps); i++ {
		if dumps[i]-dumps[i-1] < DumpEvery {
			t.Fatalf("dumps %v closer than %v", dumps, DumpEvery)
		}
	}
}

// TestGoMemory: what Go holds covers the live heap, and grows with it.
func TestGoMemory(t *testing.T) {
	held0, live0 := GoMemory()
	if held0 == 0 || live0 > held0 {
		t.Fatalf("held %d, live %d", held0, live0)
	}
	keep := make([][]byte, 64)
	for i := range keep {
		keep[i] = make([]byte, 1<<20)
	}
	runtime.GC()
	held, live := GoMemory()
	if held < held0+60<<20 || live < live0+60<<20 {
		t.Fatalf("with 64 MB more: held %d → %d, live %d → %d", held0, held, live0, live)
	}
	runtime.KeepAlive(keep)
}

// TestAppendUIStackKeepsItsBuffer: a dump writes goroutine 1's stack and
// allocates little once the first has run; it used to make a new megabyte
// each time, ten a second in a long stall.
func TestAppendUIStackKeepsItsBuffer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stalls.txt")
	AppendUIStack(path, 40*time.Millisecond)
	var before, after runtime.MemStats
	const dumps = 5
	runtime.ReadMemStats(&before)
	for i := 0; i < dumps; i++ {
		AppendUIStack(path, 140*time.Millisecond)
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / dumps; per > 128<<10 {
		t.Errorf("a dump allocated %d KiB", per>>10)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "has not run a beat for"); n != dumps+1 || !strings.Contains(string(b), "\ngoroutine 1 [") {
		t.Errorf("%d dumps, or no goroutine 1, in:\n%.500s", n, b)
	}
	// Each says how long it held the process (the world stopped).
	if n := len(regexp.MustCompile(`has not run a beat for \d+ ms \(this dump took \d+ µs\)\n`).FindAll(b, -1)); n != dumps+1 {
		t.Errorf("%d of %d dumps say how long they took:\n%.300s", n, dumps+1, b)
	}
}
