package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// procMB reads a memory line (VmRSS:, VmHWM:) of a process's status, in MB.
func procMB(t *testing.T, pid int, key string) float64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, key) {
			var kb int
			fmt.Sscanf(strings.TrimPrefix(l, key), "%d", &kb)
			return float64(kb) / 1024
		}
	}
	t.Fatalf("no %s in /proc/%d/status", key, pid)
	return 0
}

// emptyWindowRSS shows the one-label Fyne window of the app's size
// (testdata/emptywindow, built by buildTestdata) on the same display, and
// returns its peak resident memory once drawn: the floor under any Fyne app
// here.
func emptyWindowRSS(t *testing.T, bin string) float64 {
	t.Helper()
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "LANG=en_GB.UTF-8")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	time.Sleep(6 * time.Second) // drawn, and settled
	return procMB(t, cmd.Process.Pid, "VmHWM:")
}

// softwareGLMB is how much of a process's resident memory is Mesa's
// software renderer: the pages of libLLVM, the DRI driver and the
// libraries only they load.
func softwareGLMB(t *testing.T, pid int) float64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps", pid))
	if err != nil {
		t.Fatal(err)
	}
	var kb, total int
	inGL := false
	for _, l := range strings.Split(string(b), "\n") {
		fields := strings.Fields(l)
		switch {
		case len(fields) >= 5 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":"):
			name := ""
			if len(fields) >= 6 {
				name = fields[5]
			}
			inGL = strings.Contains(name, "libLLVM") || strings.HasSuffix(name, "_dri.so") ||
				strings.Contains(name, "libgallium") || strings.Contains(name, "libz3")
		case len(fields) >= 2 && fields[0] == "Rss:" && inGL:
			fmt.Sscanf(fields[1], "%d", &kb)
			total += kb
		}
	}
	return float64(total) / 1024
}
