package lowprio

import (
	"runtime"
	"sync"
	"testing"
)

// onMainAtInit is onMainThread as package initialisation sees it: on the
// process's first thread, where Go runs it.
var onMainAtInit = onMainThread()

func init() {
	// As Fyne does: the main goroutine keeps the first thread, so the
	// work never lands on it (where it would not be lowered: Go).
	runtime.LockOSThread()
}

// Go runs the function once, in a goroutine of its own, on a thread locked
// to it for the whole call (the priority is the thread's).
func TestGoRunsOnALockedThreadOfItsOwn(t *testing.T) {
	if onMainAtInit && threadID() == 0 {
		t.Skip("no thread of its own on this system (lower_other.go)")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	caller := threadID()
	var wg sync.WaitGroup
	ids := make([]int, 3)
	for i := range ids {
		wg.Add(1)
		Go(func() {
			defer wg.Done()
			first := threadID()
			runtime.Gosched() // a goroutine not locked could come back elsewhere
			for range 1000 {
				_ = make([]byte, 1024)
			}
			if threadID() != first {
				t.Errorf("the work moved from thread %d to %d", first, threadID())
			}
			ids[i] = first
		})
	}
	wg.Wait()
	for _, id := range ids {
		if id == caller {
			t.Fatalf("the work ran on the caller's thread %d", id)
		}
	}
}
