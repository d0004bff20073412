package main

import (
	"bytes"
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/instance"
)

func TestHandOver(t *testing.T) {
	const link = "x-cez://oauth-callback/?code=a&state=b"
	tests := []struct {
		name       string
		running    bool // an app listens in the directory
		refuse     bool // and it refuses what it is sent
		openDir    bool // and its directory is open to other users
		noDir      bool
		link       string
		consent    bool // --consent-check --window
		wantCode   int
		wantHanded bool
		wantSent   string // kind and link the running app received
		wantOut    string
		wantErrOut string
	}{
		{name: "the first launch carries on", link: link},
		{name: "no per-user directory: every launch carries on", noDir: true, running: true, link: link},
		{name: "a link goes to the running app", running: true, link: link, wantHanded: true,
			wantSent: instance.MessageURL + " " + link, wantOut: "Handed over to the running Cezanne HR Desktop.\n"},
		{name: "a plain launch brings it forward", running: true, wantHanded: true,
			wantSent: instance.MessageShow + " ", wantOut: "Handed over to the running Cezanne HR Desktop.\n"},
		{name: "a refusal ends this launch with an error", running: true, refuse: true, link: link, wantCode: 1, wantHanded: true,
			wantSent: instance.MessageURL + " " + link, wantErrOut: "cezanne-desktop: the running app refused the link: stale\n"},
		{name: "a consent check is not handed over: the app comes forward, the person is told", running: true, consent: true,
			wantCode: 1, wantHanded: true, wantSent: instance.MessageShow + " ",
			wantErrOut: "cezanne-desktop: Cezanne HR Desktop is already running, so the consent check did not start: start it there (sign-in form, QA options, Consent check…), or close the app and run this again.\n"},
		{name: "a consent check runs when no app is running", consent: true},
		{name: "an unsafe channel ends this launch, nothing sent", running: true, openDir: true, link: link, wantCode: 1,
			wantHanded: true, wantErrOut: "cezanne-desktop: nothing was handed over: the channel to the running Cezanne HR Desktop is not safe to use: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.openDir && runtime.GOOS == "windows" {
				t.Skip("no Unix modes")
			}
			inst := singleInstance{dir: t.TempDir()}
			sent := make(chan string, 1)
			if tt.running {
				startRunning(t, inst.dir, tt.refuse, sent)
			}
			if tt.openDir {
				if err := os.Chmod(inst.dir, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if tt.noDir {
				inst.dirErr = errors.New("no runtime directory")
			}
			var out, errOut bytes.Buffer
			code, handed := inst.handOver(tt.link, tt.consent, &out, &errOut)
			errOK := errOut.String() == tt.wantErrOut || tt.openDir && strings.HasPrefix(errOut.String(), tt.wantErrOut)
			if code != tt.wantCode || handed != tt.wantHanded || out.String() != tt.wantOut || !errOK {
				t.Fatalf("handOver: %d, %v, output %q, errors %q", code, handed, out.String(), errOut.String())
			}
			checkSent(t, sent, tt.wantSent)
		})
	}
}

// startRunning plays the running app in dir: what it receives goes to
// sent, and it refuses it when asked to.
func startRunning(t *testing.T, dir string, refuse bool, sent chan<- string) {
	t.Helper()
	ln, err := instance.Listen(dir, func(kind, u string) error {
		sent <- kind + " " + u
		if refuse {
			return errors.New("stale")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
}

// checkSent: the running app received want ("" for nothing) and no more.
func checkSent(t *testing.T, sent chan string, want string) {
	t.Helper()
	if want != "" {
		if got := <-sent; got != want {
			t.Fatalf("the running app received %q, want %q", got, want)
		}
	}
	if len(sent) > 0 {
		t.Fatalf("the running app received %q", <-sent)
	}
}
