// Package winetest runs a package's tests, built for Windows, under Wine, so
// that make test on Linux proves Windows-only code (the named pipe of
// internal/instance, the XInput pin). For tests only.
package winetest

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

// Run builds the tests of the package in the working directory (a package
// two levels below the repository's root, as go test runs it) for Windows
// and runs them under Wine, verbosely, in a prefix of the package's own:
// $prefixEnv when set, else prefixName in the user's cache directory. It
// returns what they printed, and fails the test if they failed. Without
// wine64 or MinGW it skips, or fails under CEZANNE_E2E=1 (make test),
// which installs them.
func Run(t *testing.T, prefixName, prefixEnv string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds for Windows and starts Wine")
	}
	wine, prefixScript := tools(t)
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(t.TempDir(), filepath.Base(wd)+".test.exe")
	build := exec.Command("go", "test", "-c", "-o", exe, ".")
	build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go test -c for Windows: %v\n%s", err, out)
	}
	prefix := makePrefix(t, prefixScript, wine, prefixName, prefixEnv)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	run := exec.CommandContext(ctx, wine, exe, "-test.v", "-test.count=1")
	run.Env = append(os.Environ(), "WINEPREFIX="+prefix, "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml=")
	// wineserver stays a few seconds after the test ends, holding the
	// output pipe it inherited: stop waiting for it.
	run.WaitDelay = 5 * time.Second
	var out bytes.Buffer
	run.Stdout, run.Stderr = &out, &out
	err = run.Run()
	t.Logf("under Wine (%s):\n%s", prefix, summary(out.String()))
	if err != nil {
		t.Fatalf("the Windows tests failed under Wine: %v\n%s", err, out.String())
	}
	return out.String()
}

// CheckPassed fails unless the run's output (Run's) has go test's PASS
// line and every test in mustRun passed: a test Wine skipped is not one
// Windows passes.
func CheckPassed(t *testing.T, out string, mustRun []string) {
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

// tools finds wine64 (Debian keeps it in /usr/lib/wine, off PATH; $WINE
// overrides) and the test prefix script, with MinGW for its bridge.
func tools(t *testing.T) (wine, prefixScript string) {
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

// makePrefix makes the package's Wine prefix once and keeps it in the
// user's cache directory (wineboot takes some 20 s; prefix.sh redoes only
// what is missing). Each package has its own, so that go test, which runs
// packages at once, never has two of them race in one.
func makePrefix(t *testing.T, script, wine, name, env string) string {
	t.Helper()
	dir := os.Getenv(env)
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			t.Fatal(err)
		}
		dir = filepath.Join(cache, "cezanne-desktop-tests", name)
	}
	cmd := exec.Command("sh", script, dir)
	cmd.Env = append(os.Environ(), "WINE="+wine)
	cmd.WaitDelay = 5 * time.Second
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("making the Wine prefix %s: %v\n%s", dir, err, out)
	}
	return dir
}
