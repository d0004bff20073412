package ui

import (
	"runtime/debug"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
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

// TestPresetProfileIsOfferedFirst: a profile IT installed is selected when
// nobody chose one, and a choice made later wins over it.
func TestPresetProfileIsOfferedFirst(t *testing.T) {
	h := newUIHarness(t, nil, nil)
	preset, _ := h.profile("Company tenant", sandbox.ClientDesktopOnDemand, nil)
	presetOnly := func(o *Options) { o.Preset, o.SessionOnly = preset, true }
	a := h.newApp(nil, presetOnly)
	a.Start()
	if a.form.picker.Selected != "Company tenant" || a.form.clientID.Text != preset.ClientID {
		t.Fatalf("picker %q, client %q", a.form.picker.Selected, a.form.clientID.Text)
	}
	a.ctl.profiles.setCurrent("") // what choosing the demo tenant does
	b := h.newApp(nil, presetOnly)
	b.Start()
	if b.form.picker.Selected != choiceDemo {
		t.Fatalf("the preset overrode the person's choice: %q", b.form.picker.Selected)
	}
}
