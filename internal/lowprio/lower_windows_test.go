package lowprio

import (
	"testing"

	"golang.org/x/sys/windows"
)

func threadID() int { return int(windows.GetCurrentThreadId()) }

var getThreadPriority = windows.NewLazySystemDLL("kernel32.dll").NewProc("GetThreadPriority")

// The work's thread is one step below normal; the caller's is not touched.
func TestGoLowersTheWorksThread(t *testing.T) {
	priority := func() int32 {
		r, _, _ := getThreadPriority.Call(uintptr(windows.CurrentThread()))
		return int32(r)
	}
	caller := priority()
	got := make(chan int32)
	Go(func() { got <- priority() })
	if p := <-got; p != threadPriorityBelowNormal {
		t.Fatalf("the work ran at thread priority %d, want %d", p, threadPriorityBelowNormal)
	}
	if p := priority(); p != caller {
		t.Fatalf("the caller's thread went from priority %d to %d", caller, p)
	}
}
