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

// Each call runs on a thread of its own, locked to it for the whole call
// (the priority is the thread's), and threads are not shared between
// calls: a thread ends with its call.
func TestGoRunsOnALockedThreadOfItsOwn(t *testing.T) {
	if onMainAtInit && threadID() == 0 {
		t.Skip("no thread of its own on this system (lower_other.go)")
	}
	var wg sync.WaitGroup
	ids := make([]int, 4)
	moved := make([]bool, len(ids))
	for i := range ids {
		wg.Add(1)
		Go(func() {
			defer wg.Done()
			ids[i] = threadID()
			for range 100 {
				runtime.Gosched() // a goroutine not locked could come back elsewhere
				_ = make([]byte, 1024)
				moved[i] = moved[i] || threadID() != ids[i]
			}
		})
	}
	wg.Wait()
	seen := map[int]bool{}
	for i, id := range ids {
		if moved[i] {
			t.Errorf("call %d moved off its thread %d", i, id)
		}
		if seen[id] {
			t.Errorf("thread %d ran two calls: threads %v", id, ids)
		}
		seen[id] = true
	}
}
