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

// TestDepVersion: the Fyne version the About box shows, as released, as
// make builds it (a folder with the patched copy), and replaced by
// another module's version.
func TestDepVersion(t *testing.T) {
	fyneDep := func(replace *debug.Module) *debug.BuildInfo {
		return &debug.BuildInfo{Deps: []*debug.Module{
			{Path: "golang.org/x/oauth2", Version: "v0.30.0"},
			{Path: "fyne.io/fyne/v2", Version: "v2.7.1", Replace: replace},
		}}
	}
	for _, tc := range []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{"released", fyneDep(nil), "v2.7.1"},
		{"make's patched copy", fyneDep(&debug.Module{Path: "./fyne-v2.7.1-patched", Version: "(devel)"}), "v2.7.1 (patched)"},
		{"a folder without a version", fyneDep(&debug.Module{Path: "../fyne"}), "v2.7.1 (patched)"},
		{"another module", fyneDep(&debug.Module{Path: "example.com/fyne", Version: "v2.7.2"}), "v2.7.2 (replaced)"},
		{"not built in", &debug.BuildInfo{}, "unknown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := depVersion(tc.info, "fyne.io/fyne/v2"); got != tc.want {
				t.Errorf("depVersion = %q, want %q", got, tc.want)
			}
		})
	}
}
