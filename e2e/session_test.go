package e2e

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDesktopSessionStopsWhatItsBusStarted: the services that the
// session's bus starts on demand (the file dialog's portal, which the app's
// Export CSV… wakes) are stopped by e2e/desktop-session.sh itself, found by
// the bus address in their environment, before the bus and the display go:
// when the script returns, none is left. The portal would also die of
// losing its bus; a service that does not (a lingerer that never answers,
// from a service file of the test's own) shows that the script stops them.
func TestDesktopSessionStopsWhatItsBusStarted(t *testing.T) {
	requireDesktop(t, true)
	marker := fmt.Sprintf("session-%d-%d", os.Getpid(), time.Now().UnixNano())
	s := startBusSession(t, marker)
	if portals := markedProcesses(marker, "xdg-desktop-portal"); len(portals) == 0 {
		t.Fatalf("the portal answered, but no process of this session's bus runs it: %v", markedProcesses(marker, ""))
	}
	deadline := time.Now().Add(30 * time.Second)
	for len(markedProcesses(marker, "sleep")) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the bus did not start the lingerer in 30 s: %v", markedProcesses(marker, ""))
		}
		time.Sleep(100 * time.Millisecond)
	}

	s.end(t)
	// A moment for what is ending; a service left running outlives it.
	if left := waitNoMarkedProcesses(marker, 2*time.Second); len(left) > 0 {
		t.Errorf("still running as desktop-session.sh returned:\n%v", left)
	}
}

// busSession is desktop-session.sh running a command that woke two
// services on its bus and waits for a line on its stdin.
type busSession struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stderr *syncBuffer
	read   chan struct{} // closed once its output has all been read
}

// startBusSession starts the script, every process of it marked by marker,
// and returns once its command has woken the portal (by calling it) and the
// lingerer (by a message that waits for no answer).
func startBusSession(t *testing.T, marker string) *busSession {
	t.Helper()
	share := t.TempDir()
	if err := os.MkdirAll(filepath.Join(share, "dbus-1", "services"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(share, "dbus-1", "services", "com.cezannehr.Test.Lingerer.service"),
		"[D-BUS Service]\nName=com.cezannehr.Test.Lingerer\nExec=/bin/sleep 600\n")
	dataDirs := os.Getenv("XDG_DATA_DIRS")
	if dataDirs == "" {
		dataDirs = "/usr/local/share:/usr/share"
	}
	cmd := exec.Command("./desktop-session.sh", "sh", "-c",
		strings.Join(filePortalPing, " ")+` >/dev/null && `+
			`dbus-send --session --dest=com.cezannehr.Test.Lingerer / org.freedesktop.DBus.Peer.Ping && `+
			`echo woken && read -r _`)
	cmd.Env = append(os.Environ(), "CEZANNE_MAKE_RUN_TEST="+marker, "XDG_DATA_DIRS="+share+":"+dataDirs)
	s := &busSession{cmd: cmd, stderr: &syncBuffer{}, read: make(chan struct{})}
	cmd.Stderr = s.stderr
	var err error
	if s.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		for _, p := range markedProcesses(marker, "") {
			_ = syscall.Kill(p.pid, syscall.SIGKILL)
		}
	})
	woken := make(chan bool, 1)
	go func() {
		lines := bufio.NewScanner(stdout)
		for lines.Scan() {
			if strings.TrimSpace(lines.Text()) == "woken" {
				woken <- true
			}
		}
		close(woken)
		close(s.read)
	}()
	select {
	case ok := <-woken:
		if !ok {
			t.Fatalf("the services did not wake on the session's bus:\n%s", s.stderr.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("the services did not wake in 60 s:\n%s", s.stderr.String())
	}
	return s
}

// end lets the command end and waits for the script to return: its
// output read to the end (Wait must come after), then its exit.
func (s *busSession) end(t *testing.T) {
	t.Helper()
	fmt.Fprintln(s.stdin)
	_ = s.stdin.Close()
	select {
	case <-s.read:
	case <-time.After(60 * time.Second):
		t.Fatalf("desktop-session.sh did not end in 60 s after its command:\n%s", s.stderr.String())
	}
	if err := s.cmd.Wait(); err != nil {
		t.Fatalf("desktop-session.sh: %v\n%s", err, s.stderr.String())
	}
}
