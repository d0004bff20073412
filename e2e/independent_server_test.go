package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/odatatest"
)

// TestAppOnIndependentServer: the app binary, started with --profile FILE
// --sign-in against the standalone sandbox, reads People from the file's
// data_service_url, an OData server this project did not write (SAP CAP
// for v4, its community adapter for v2: internal/odatatest), in a real
// window: everyone (the CAP server's 2,500, not the sandbox's 300), then a
// search of two words typed in the search box. Screenshots in
// test-output/independent-v4/ and independent-v2/.
func TestAppOnIndependentServer(t *testing.T) {
	requireDesktop(t, true)
	srv := odatatest.Start(t, odatatest.DefaultPeople)
	const search = "mary ann"
	matches := 0
	for _, p := range srv.People {
		if p.Matches(search) {
			matches++
		}
	}
	for _, version := range []int{4, 2} {
		t.Run(fmt.Sprintf("v%d", version), func(t *testing.T) {
			name := fmt.Sprintf("independent-v%d", version)
			r := newDesktopRunPeople(t, name, 300)
			r.useDataService(srv.Root(version))
			cmd, w := r.launch(name, "--profile", r.profile, "--sign-in", "--session-only")
			loaded := w.waitFor(t, "state=people-loaded", 60*time.Second)
			want := fmt.Sprintf("rows=%d total=%d", len(srv.People), len(srv.People))
			if !strings.Contains(loaded, want) {
				t.Fatalf("People did not come from the profile's data service (%s): %s", srv.Root(version), loaded)
			}
			r.screenshot(name + "-everyone.png")
			toApp(t, "key", "ctrl+f")
			xdo(t, "type", "--delay", "40", search)
			found := w.waitFor(t, fmt.Sprintf("rows=%d total=%d filter=true", matches, len(srv.People)), 30*time.Second)
			t.Logf("search %q: %s", search, found)
			r.screenshot(name + "-search.png")
			stop(cmd)
		})
	}
}

// useDataService points the run's profile file at a data service elsewhere
// than the tenant, and saves in the app's preferences (as the sign-in form
// would when the person ticks its box) that the person agreed to it: a
// profile file alone cannot give that consent.
func (r *desktopRun) useDataService(root string) {
	r.t.Helper()
	raw, err := os.ReadFile(r.profile)
	if err != nil {
		r.t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil {
		r.t.Fatal(err)
	}
	fields["data_service_url"] = root
	raw, err = json.Marshal(fields)
	if err != nil {
		r.t.Fatal(err)
	}
	writeFile(r.t, r.profile, string(raw))
	p, err := auth.ParseProfile(raw)
	if err != nil {
		r.t.Fatal(err)
	}
	list, _ := json.Marshal([]json.RawMessage{p.Marshal()})
	confirmed, _ := json.Marshal(map[string]string{p.Name: p.TenantOrigin() + " " + p.DataServiceOrigin()})
	prefs, _ := json.Marshal(map[string]string{
		"profiles.list":                   string(list),
		"profiles.current":                p.Name,
		"profiles.data_service_confirmed": string(confirmed),
	})
	dir := filepath.Join(r.home, ".config", "fyne", "com.cezannehr.desktop")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		r.t.Fatal(err)
	}
	writeFile(r.t, filepath.Join(dir, "preferences.json"), string(prefs))
}
