package ui

import (
	"runtime/debug"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestAboutShowsVersions(t *testing.T) {
	h := newUIHarness(t, nil, nil)
	h.app.Start()
	test.Tap(findButton(t, h.app, "About"))
	if h.app.win.Canvas().Overlays().Top() == nil {
		t.Fatal("no About dialog")
	}
	facts := map[string]string{}
	for _, f := range h.app.aboutFacts() {
		facts[f[0]] = f[1]
	}
	if !strings.Contains(facts["Version"], "(build ") || !strings.HasPrefix(facts["Go"], "go1.") || facts["System"] == "" {
		t.Fatalf("about facts %v", facts)
	}
	// Test binaries may lack the module list the app binary carries
	// (`go version -m bin/cezanne-desktop` shows fyne.io/fyne/v2 v2.7.1).
	if v := facts["Fyne"]; !strings.HasPrefix(v, "v2.") {
		if info, ok := debug.ReadBuildInfo(); ok {
			for _, d := range info.Deps {
				if d.Path == "fyne.io/fyne/v2" {
					t.Fatalf("Fyne version %q although the binary lists %s", v, d.Version)
				}
			}
		}
	}
}
