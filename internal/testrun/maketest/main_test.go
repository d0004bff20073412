//go:build linux

package main

import (
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestJobsGetHangUpBack: started under nohup (SIGHUP ignored), the runner
// still gives its jobs SIGHUP's default, so closing make run's terminal
// ends it in the tests (e2e/makerun_test.go) whatever started make test.
// Each row is a job's signal; /proc/self/status shows what it ignores.
func TestJobsGetHangUpBack(t *testing.T) {
	signal.Ignore(syscall.SIGHUP)
	t.Cleanup(func() { signal.Reset(syscall.SIGHUP) })
	dir := t.TempDir()
	status := filepath.Join(dir, "status")
	code, err := run([]string{"-logs", filepath.Join(dir, "logs"),
		"-step", "show: grep '^SigIgn:' /proc/self/status > " + status})
	if err != nil || code != 0 {
		t.Fatalf("run: %d, %v", code, err)
	}
	b, err := os.ReadFile(status)
	if err != nil {
		t.Fatal(err)
	}
	mask, err := strconv.ParseUint(strings.TrimSpace(strings.TrimPrefix(string(b), "SigIgn:")), 16, 64)
	if err != nil {
		t.Fatalf("%q: %v", b, err)
	}
	for _, tc := range []struct {
		name string
		sig  syscall.Signal
	}{{"HUP", syscall.SIGHUP}, {"INT", syscall.SIGINT}, {"TERM", syscall.SIGTERM}} {
		if mask&(1<<(uint(tc.sig)-1)) != 0 {
			t.Errorf("a job ignores SIG%s (SigIgn %016x): the terminal closing, Ctrl+C or a TERM would not end it", tc.name, mask)
		}
	}
}
