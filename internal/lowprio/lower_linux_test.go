package lowprio

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func threadID() int { return unix.Gettid() }

// niceOf reads a thread's nice value from /proc (field 19 of its stat);
// fs.ErrNotExist once the thread has ended.
func niceOf(tid int) (int, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/self/task/%d/stat", tid))
	if err != nil {
		return 0, err
	}
	// The command name, in brackets, may hold spaces: count from its end.
	fields := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	if len(fields) < 17 {
		return 0, fmt.Errorf("stat of thread %d: %q", tid, b)
	}
	return strconv.Atoi(fields[16]) // field 19 of the whole line
}

// The work runs niceness nicer than the caller, and its thread ends with
// it: no thread of the process is left at that priority for the Go
// runtime to hand other goroutines.
func TestGoLowersTheWorksThreadOnly(t *testing.T) {
	caller, err := niceOf(unix.Gettid())
	if err != nil {
		t.Fatal(err)
	}
	if caller >= 19 {
		t.Skipf("the tests run at nice %d already: nothing is nicer", caller)
	}
	type result struct {
		nice int
		err  error
	}
	done := make(chan result)
	Go(func() {
		n, err := niceOf(unix.Gettid())
		done <- result{n, err}
	})
	got := <-done
	if got.err != nil {
		t.Fatal(got.err)
	}
	if want := min(caller+niceness, 19); got.nice != want {
		t.Fatalf("the work ran at nice %d, want %d (the caller's is %d)", got.nice, want, caller)
	}
	if now, _ := niceOf(unix.Gettid()); now != caller {
		t.Fatalf("the caller's thread went from nice %d to %d", caller, now)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		left := threadsAtNice(t, got.nice)
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("threads %v are still at nice %d after the work ended", left, got.nice)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// threadsAtNice lists the process's threads at a nice value; one that ends
// while it looks is not counted.
func threadsAtNice(t *testing.T, nice int) (tids []int) {
	t.Helper()
	dirs, _ := filepath.Glob("/proc/self/task/*")
	for _, d := range dirs {
		tid, _ := strconv.Atoi(filepath.Base(d))
		n, err := niceOf(tid)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if n == nice {
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
