package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestOpenBrowserNeverWaitsForTheBrowser: xdg-open runs the browser in the
// foreground when none is running yet, so it returns only when the person
// closes the browser. Opening must return once the opener has had a few
// seconds to fail, whatever the browser does next, and an opener that
// fails must say why within those seconds.
func TestOpenBrowserNeverWaitsForTheBrowser(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("xdg-open is the opener on Linux and the BSDs")
	}
	const link = "http://127.0.0.1:1/OAuth/Authorize?client_id=c&state=s"
	tests := []struct {
		name    string
		script  string // xdg-open; "" when none is installed
		within  time.Duration
		wantErr string // "" for no error
		reaped  bool   // the opener has ended and must not be left a zombie
	}{
		{"the browser stays in the foreground", "/bin/sleep 8", 5 * time.Second, "", false},
		{"the browser is already running", "exit 0", 2 * time.Second, "", true},
		{"no browser can be found", "echo \"xdg-open: no method available for opening '$1'\" >&2; exit 3", 2 * time.Second,
			"xdg-open could not open a browser: xdg-open: no method available for opening 'the sign-in link'", true},
		{"the opener fails silently", "exit 4", 2 * time.Second, "xdg-open could not open a browser (exit status 4)", true},
		{"the browser quits later", "/bin/sleep 4", 5 * time.Second, "", true},
		{"nothing to open with", "", time.Second, "none of xdg-open, x-www-browser, www-browser is installed", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			pidFile := filepath.Join(dir, "pid")
			if tt.script != "" {
				script := "#!/bin/sh\necho $$ > " + pidFile + "\n" + tt.script + "\n"
				if err := os.WriteFile(filepath.Join(dir, "xdg-open"), []byte(script), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			t.Setenv("PATH", dir)
			done := make(chan error, 1)
			start := time.Now()
			go func() { done <- openBrowser(link) }()
			var err error
			select {
			case err = <-done:
			case <-time.After(tt.within):
				t.Fatalf("opening the browser still waits after %v", tt.within)
			}
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.wantErr {
				t.Fatalf("after %v: error %q, want %q", time.Since(start).Round(time.Millisecond), got, tt.wantErr)
			}
			if tt.reaped {
				waitReaped(t, pidFile)
			}
		})
	}
}

// waitReaped fails unless the process whose pid is in pidFile is gone,
// not even a zombie, within a few seconds.
func waitReaped(t *testing.T, pidFile string) {
	t.Helper()
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatalf("the opener did not run: %v", err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	for deadline := time.Now().Add(6 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); os.IsNotExist(err) {
			return
		}
	}
	t.Fatalf("the opener (pid %d) was not reaped", pid)
}
