package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestAppSignsInUnderXvfb launches the real binary in a window against the
// standalone sandbox, with xdg-open replaced by a script that plays the
// browser. It must end signed in with the People table showing; a relaunch
// with the same profile, and one with none, must sign in from the keyring
// without opening the browser.
func TestAppSignsInUnderXvfb(t *testing.T) {
	requireDesktop(t, true)
	r := newDesktopRun(t, "keyring")

	traceFile := filepath.Join(r.out, "trace-first.json")
	first, w := r.launch("first", "--profile", r.profile, "--sign-in", "--trace-out", traceFile)
	w.waitFor(t, "state=signed-in", 60*time.Second)
	loaded := w.waitFor(t, "state=people-loaded", 10*time.Second)
	if !strings.Contains(loaded, "rows=200") || !strings.Contains(loaded, "total=2000") {
		t.Fatalf("People table: %s", loaded)
	}
	r.screenshot("signed-in.png")
	if b, _ := os.ReadFile(r.opened); r.browserOpens() != 1 || !strings.Contains(string(b), "app answered: HTTP 200") {
		t.Fatalf("browser log: %s", b)
	}
	// Ctrl+T shows the flow trace tab.
	toApp(t, "key", "ctrl+t")
	time.Sleep(1500 * time.Millisecond)
	// The token response row (the fifth step) for the evidence picture.
	xdo(t, "mousemove", "460", "312", "click", "1")
	time.Sleep(800 * time.Millisecond)
	r.screenshot("trace-tab.png")
	stop(first) // Ctrl+C: the trace is written on the way out
	w.waitFor(t, "flow trace written", 5*time.Second)
	checkTraceFile(t, traceFile)

	// Relaunch three times (the sandbox rotates refresh tokens, so each
	// launch must find the newest one), with the profile and without.
	for i, args := range [][]string{{"--profile", r.profile}, nil, nil} {
		cmd, w := r.launch(fmt.Sprintf("relaunch-%d", i+1), args...)
		w.waitFor(t, "signed in from the keyring", 30*time.Second)
		w.waitFor(t, "state=people-loaded", 15*time.Second)
		stop(cmd)
		if r.browserOpens() != 1 {
			t.Fatalf("relaunch %d opened the browser again", i+1)
		}
	}
	r.assertNoSecretsLeaked()
}

// checkTraceFile: --trace-out wrote the whole run: the browser sign-in's
// steps, TokenInfo, then the API calls, with secrets redacted.
func checkTraceFile(t *testing.T, path string) {
	t.Helper()
	meta, steps := readTraceFile(t, path)
	want := "authorize_url,browser_opened,callback,token_request,token_response,outcome,tokeninfo,api_call"
	if got := kinds(steps); !strings.HasPrefix(got, want) {
		t.Fatalf("trace steps %s, want them to start %s", got, want)
	}
	if meta.App != "Cezanne HR Desktop" || meta.Version == "" || meta.Profile == nil || meta.OS == "" {
		t.Fatalf("trace meta %+v", meta)
	}
}

// TestAppWithoutKeyring: no Secret Service at all. The app must say so
// plainly, sign in for the session only, and write nothing to disk.
func TestAppWithoutKeyring(t *testing.T) {
	requireDesktop(t, true)
	r := newDesktopRun(t, "no-keyring", "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus")

	cmd, w := r.launch("no-keyring", "--profile", r.profile, "--sign-in")
	w.waitFor(t, "state=no-keyring", 30*time.Second)
	w.waitFor(t, "session_only=true", 10*time.Second)
	w.waitFor(t, "state=people-loaded", 60*time.Second)
	r.screenshot("signed-in-session-only.png")
	stop(cmd)

	// Nothing was kept: the next launch needs the browser again.
	cmd, w = r.launch("no-keyring-again", "--profile", r.profile)
	w.waitFor(t, "state=no-keyring", 30*time.Second)
	w.waitFor(t, "state=form", 10*time.Second)
	stop(cmd)
	r.assertNoSecretsLeaked()
}
