// Package bustest gives tests a D-Bus session bus of their own, where
// they put the fake desktop services they need (a portal) and nothing of
// the machine's answers.
package bustest

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Private starts a D-Bus daemon for the test, with no services to start
// but services (name → the text of its .service file), makes it the
// session bus (DBUS_SESSION_BUS_ADDRESS) and returns its address. The
// test is skipped where dbus-daemon is not installed.
func Private(t *testing.T, services map[string]string) string {
	t.Helper()
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		t.Skip("dbus-daemon is not installed (make test installs it)")
	}
	// Not t.TempDir(): a long test name makes a socket path longer than
	// a socket's name may be (108 bytes), and the daemon ends at once.
	dir, err := os.MkdirTemp("", "bus")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	svc := filepath.Join(dir, "services")
	if err := os.Mkdir(svc, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range services {
		if err := os.WriteFile(filepath.Join(svc, name+".service"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	config := `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=` + filepath.Join(dir, "bus") + `</listen>
  <servicedir>` + svc + `</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>`
	conf := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(conf, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--nopidfile", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon gave no address: %v", err)
	}
	addr = strings.TrimSpace(addr)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	return addr
}
