package lowprio

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func threadID() int { return unix.Gettid() }

// niceOf reads a thread's nice value from /proc (field 19 of its stat).
func niceOf(t *testing.T, tid int) int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/self/task/%d/stat", tid))
	if err != nil {
		t.Fatal(err)
	}
	// The command name, in brackets, may hold spaces: count from its end.
	fields := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	n, err := strconv.Atoi(fields[16]) // field 19 of the whole line
	if err != nil {
		t.Fatalf("stat of thread %d: %q", tid, b)
	}
	return n
}

// The work runs niceness nicer than the caller, and its thread ends with
// it: no thread of the process is left at that priority for the Go
// runtime to hand other goroutines.
func TestGoLowersTheWorksThreadOnly(t *testing.T) {
	caller := niceOf(t, unix.Gettid())
	done := make(chan int)
	Go(func() { done <- niceOf(t, unix.Gettid()) })
	got := <-done
	if want := min(caller+niceness, 19); got != want {
		t.Fatalf("the work ran at nice %d, want %d (the caller's is %d)", got, want, caller)
	}
	if now := niceOf(t, unix.Gettid()); now != caller {
		t.Fatalf("the caller's thread went from nice %d to %d", caller, now)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		left := threadsAtNice(t, got)
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("threads %v are still at nice %d after the work ended", left, got)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func threadsAtNice(t *testing.T, nice int) (tids []int) {
	t.Helper()
	dirs, _ := filepath.Glob("/proc/self/task/*")
	for _, d := range dirs {
		tid, _ := strconv.Atoi(filepath.Base(d))
		if _, err := os.Stat(d); err == nil && niceOf(t, tid) == nice {
			tids = append(tids, tid)
		}
	}
	return tids
}

// The first thread is told apart: the work is never lowered there, as Go
// would park that thread for good with the lowered priority.
func TestOnMainThread(t *testing.T) {
	if !onMainAtInit {
		t.Fatalf("package initialisation did not run on the main thread")
	}
	in := make(chan bool)
	Go(func() { in <- onMainThread() })
	if <-in {
		t.Fatalf("the work's own thread taken for the main thread")
	}
}
