// Package e2e runs the product's parts together for real: the sandbox tenant
// on loopback, the auth flow with a scripted browser, the OS keyring
// (gnome-keyring over D-Bus), and the app binary in a window under Xvfb.
// "make test" runs it inside e2e/desktop-session.sh, which starts those
// services; outside it the tests skip unless CEZANNE_E2E=1 demands them.
package e2e

import (
	"os"
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

// requireDesktop skips when the session services are absent, unless
// CEZANNE_E2E=1 says they must be there (as make test does): then their
// absence is a failure, so CI can never pass without running these tests.
func requireDesktop(t *testing.T, needDisplay bool) {
	t.Helper()
	missing := ""
	switch {
	case os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "":
		missing = "no D-Bus session (DBUS_SESSION_BUS_ADDRESS unset)"
	case needDisplay && os.Getenv("DISPLAY") == "":
		missing = "no X display (DISPLAY unset)"
	}
	if missing == "" {
		return
	}
	if os.Getenv("CEZANNE_E2E") == "1" {
		t.Fatalf("CEZANNE_E2E=1 but %s; run through e2e/desktop-session.sh", missing)
	}
	t.Skipf("%s; run `make test` for the end-to-end tests", missing)
}

// freeLoopbackURI returns a redirect URI on a port that is free right now.
func freeLoopbackURI(t *testing.T) string {
	return sandbox.FreeLoopbackRedirect(0, "/oauth-callback/")
}

// outputDir is where tests leave evidence (screenshots, logs) for people.
func outputDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("CEZANNE_TEST_OUTPUT")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
