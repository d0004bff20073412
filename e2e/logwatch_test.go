package e2e

import (
	"bufio"
	"bytes"
	"io"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// logWatcher collects a process's stderr and waits for lines in it.
type logWatcher struct {
	mu    sync.Mutex
	lines []string
	cond  *sync.Cond
}

func watch(t *testing.T, cmd *exec.Cmd) *logWatcher {
	t.Helper()
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	return watchReader(pipe)
}

// watchReader collects the lines of r until it ends, then "<exited>".
func watchReader(r io.Reader) *logWatcher {
	w := &logWatcher{}
	w.cond = sync.NewCond(&w.mu)
	go func() {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			w.mu.Lock()
			w.lines = append(w.lines, sc.Text())
			w.cond.Broadcast()
			w.mu.Unlock()
		}
		w.mu.Lock()
		w.lines = append(w.lines, "<exited>")
		w.cond.Broadcast()
		w.mu.Unlock()
	}()
	return w
}

// waitEnded waits at most d for what is watched to end ("<exited>"), and
// says whether it did.
func (w *logWatcher) waitEnded(d time.Duration) bool {
	deadline := time.Now().Add(d)
	go func() { time.Sleep(d); w.mu.Lock(); w.cond.Broadcast(); w.mu.Unlock() }()
	w.mu.Lock()
	defer w.mu.Unlock()
	for {
		if n := len(w.lines); n > 0 && w.lines[n-1] == "<exited>" {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		w.cond.Wait()
	}
}

// waitFor blocks until a line contains want, failing on a line with
// state=error or after the timeout.
func (w *logWatcher) waitFor(t *testing.T, want string, timeout time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	go func() { time.Sleep(timeout); w.mu.Lock(); w.cond.Broadcast(); w.mu.Unlock() }()
	w.mu.Lock()
	defer w.mu.Unlock()
	for seen := 0; ; {
		for ; seen < len(w.lines); seen++ {
			l := w.lines[seen]
			if strings.Contains(l, want) {
				return l
			}
			if strings.Contains(l, "state=error") || l == "<exited>" {
				t.Fatalf("waiting for %q, got %q\n%s", want, l, strings.Join(w.lines, "\n"))
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q within %v:\n%s", want, timeout, strings.Join(w.lines, "\n"))
		}
		w.cond.Wait()
	}
}

func (w *logWatcher) text() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Join(w.lines, "\n")
}

// syncBuffer is a bytes.Buffer that a running process may write to while
// the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// logValue is the value of key in one of the app's log lines (slog's text
// form: key=value, quoted when the value holds a space or a quote).
func logValue(t *testing.T, line, key string) string {
	t.Helper()
	m := regexp.MustCompile(`(?:^| )` + regexp.QuoteMeta(key) + `=("(?:[^"\\]|\\.)*"|\S+)`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("no %s in %q", key, line)
	}
	if v, err := strconv.Unquote(m[1]); err == nil {
		return v
	}
	return m[1]
}

func TestLogValue(t *testing.T) {
	const line = `time=2026-12-03T10:10:37.542Z level=INFO msg=ui state=save-dialog-shown dialog=desktop ` +
		`title="Export \"people\" as CSV" xpath=no path=/tmp/x/people.csv`
	for key, want := range map[string]string{
		"path":   "/tmp/x/people.csv",
		"title":  `Export "people" as CSV`,
		"dialog": "desktop",
		"xpath":  "no",
	} {
		if got := logValue(t, line, key); got != want {
			t.Errorf("logValue(%q) = %q, want %q", key, got, want)
		}
	}
	if got := logValue(t, `msg=ui state=export-done path="/tmp/my home/people.csv" n=3`, "path"); got != "/tmp/my home/people.csv" {
		t.Errorf("a quoted path with a space: %q", got)
	}
}
