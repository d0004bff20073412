//go:build linux

package instance

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestWindowsPipeUnderWine builds this package's tests for Windows (the
// named pipe of pipe_windows.go, and the messages and checks shared with
// Unix) and runs them under Wine, so that make test on Linux proves the
// Windows channel: the pipe's owner and DACL, a peer of another SID
// refused at both ends, messages both ways, a wrong state refused.
// Without wine64 or MinGW it skips, or fails under CEZANNE_E2E=1 (make
// test), which installs them.
func TestWindowsPipeUnderWine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds for Windows and starts Wine")
	}
	wine, prefixScript := wineTools(t)
	exe := filepath.Join(t.TempDir(), "instance.test.exe")
	build := exec.Command("go", "test", "-c", "-o", exe, ".")
	build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go test -c for Windows: %v\n%s", err, out)
	}
	prefix := winePrefix(t, prefixScript, wine)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	run := exec.CommandContext(ctx, wine, exe, "-test.v", "-test.count=1")
	run.Env = append(os.Environ(), "WINEPREFIX="+prefix, "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml=")
	// wineserver stays a few seconds after the test ends, holding the
	// output pipe it inherited: stop waiting for it.
	run.WaitDelay = 5 * time.Second
	var out bytes.Buffer
	run.Stdout, run.Stderr = &out, &out
	err := run.Run()
	t.Logf("under Wine (%s):\n%s", prefix, summary(out.String()))
	if err != nil {
		t.Fatalf("the Windows tests failed under Wine: %v\n%s", err, out.String())
	}
	checkRan(t, out.String())
}

// mustRun are the Windows tests that Wine 8 can run whole: if one is
// missing or skipped, the channel under test is not the one Windows gets.
var mustRun = []string{
	"TestDir", "TestListener", "TestForwardRefused", "TestForwardOddReplies", "FuzzListenerAnswer",
	"TestPipeName", "TestPipeSecurity", "TestPipeWrongState", "TestPipeAcrossProcesses",
	"TestPipeRefusesOtherUsers/the_server_runs_as_another_user",
	"TestPipeRefusesOtherUsers/the_sender_runs_as_another_user",
}

func checkRan(t *testing.T, out string) {
	t.Helper()
	if !regexp.MustCompile(`(?m)^PASS$`).MatchString(out) {
		t.Fatalf("the Windows test binary did not pass:\n%s", out)
	}
	for _, name := range mustRun {
		if !strings.Contains(out, "--- PASS: "+name+" ") {
			t.Errorf("%s did not pass under Wine", name)
		}
	}
}

// summary is the outcome lines of go test -v output: what passed, what
// was skipped and why.
func summary(out string) string {
	var keep []string
	for _, line := range strings.Split(out, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "--- ") || strings.Contains(line, "under Wine:") || trimmed == "PASS" || trimmed == "FAIL" {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n")
}

// wineTools finds wine64 (Debian keeps it in /usr/lib/wine, off PATH;
// $WINE overrides) and the test prefix script, with MinGW for its bridge.
func wineTools(t *testing.T) (wine, prefixScript string) {
	t.Helper()
	wine = os.Getenv("WINE")
	if wine == "" {
		wine = "/usr/lib/wine/wine64"
		if p, err := exec.LookPath("wine64"); err == nil {
			wine = p
		}
	}
	prefixScript, _ = filepath.Abs(filepath.Join("..", "..", "e2e", "wine", "prefix.sh"))
	var missing []string
	if _, err := os.Stat(wine); err != nil {
		missing = append(missing, "wine64 (Debian: apt-get install wine64)")
	}
	if _, err := exec.LookPath("x86_64-w64-mingw32-gcc"); err != nil {
		missing = append(missing, "x86_64-w64-mingw32-gcc (Debian: apt-get install gcc-mingw-w64-x86-64)")
	}
	if _, err := os.Stat(prefixScript); err != nil {
		missing = append(missing, prefixScript)
	}
	if len(missing) > 0 {
		msg := "cannot run the Windows tests under Wine: missing " + strings.Join(missing, ", ")
		if os.Getenv("CEZANNE_E2E") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return wine, prefixScript
}

// winePrefix is this package's Wine prefix, made once and kept in the
// user's cache directory (wineboot takes some 20 s; prefix.sh redoes only
// what is missing). Its own, so that it never races another test's.
func winePrefix(t *testing.T, script, wine string) string {
	t.Helper()
	dir := os.Getenv("CEZANNE_INSTANCE_WINEPREFIX")
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			t.Fatal(err)
		}
		dir = filepath.Join(cache, "cezanne-desktop-tests", "wineprefix-instance")
	}
	cmd := exec.Command("sh", script, dir)
	cmd.Env = append(os.Environ(), "WINE="+wine)
	cmd.WaitDelay = 5 * time.Second
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("making the Wine prefix %s: %v\n%s", dir, err, out)
	}
	return dir
}
