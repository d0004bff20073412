package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/data"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

// TestPresetProfileIsOfferedFirst: a profile IT installed is selected when
// nobody chose one, and a choice made later wins over it.
func TestPresetProfileIsOfferedFirst(t *testing.T) {
	h := newUIHarness(t, nil, nil)
	preset, _ := h.profile("Company tenant", sandbox.ClientDesktopOnDemand, nil)
	presetOnly := func(o *Options) { o.Preset, o.SessionOnly = preset, true }
	a := h.newApp(nil, presetOnly)
	a.Start()
	if a.form().picker.Selected != "Company tenant" || a.form().clientID.Text != preset.ClientID {
		t.Fatalf("picker %q, client %q", a.form().picker.Selected, a.form().clientID.Text)
	}
	a.ctl.profiles.setCurrent("") // what choosing the demo tenant does
	b := h.newApp(nil, presetOnly)
	b.Start()
	if b.form().picker.Selected != choiceDemo {
		t.Fatalf("the preset overrode the person's choice: %q", b.form().picker.Selected)
	}
}

func TestStartChecksTheKeyringFirst(t *testing.T) {
	tests := []struct {
		name        string
		sessionOnly bool
		probe       error
		want        []string
	}{
		{"keyring", false, nil, []string{"select: demo", "progress: Starting…", "form: "}},
		{"no keyring", false, errors.New("no Secret Service"), []string{"select: demo", "progress: Starting…", "keyring-problem", "form: "}},
		{"session only", true, errors.New("not asked"), []string{"select: demo", "form: "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newControllerHarness(t, func(o *Options) { o.SessionOnly = tt.sessionOnly })
			h.c.flows.probe = func(keyring.Store) error { return tt.probe }
			h.c.start()
			h.run()
			if got := h.since(0); !slices.Equal(got, tt.want) {
				t.Fatalf("screens %q, want %q", got, tt.want)
			}
			if (h.c.keyringErr != nil) != (tt.probe != nil && !tt.sessionOnly) {
				t.Fatalf("keyring error %v, store %v", h.c.keyringErr, h.c.store())
			}
		})
	}
}

func TestNoKeyringOffersSessionOnly(t *testing.T) {
	h := newUIHarness(t, hrRobot(), brokenStore{})
	p, secret := h.profile("Sandbox", sandbox.ClientDesktopOnDemand, nil)
	a := h.newApp(p)
	a.Start()
	f := a.form()
	if !f.keyringNote.Visible() || !strings.Contains(f.keyringNote.Text, "system keyring") ||
		!strings.Contains(f.keyringNote.Text, "this session only") || f.signIn.Text != "Sign in for this session only" {
		t.Fatalf("keyring problem not explained: %q / %q", f.keyringNote.Text, f.signIn.Text)
	}
	test.Type(f.secret, secret)
	test.Tap(f.signIn)
	if a.signedIn == nil {
		t.Fatalf("session-only sign-in failed: %q", f.message.Text)
	}
	if a.signedIn.session.kept.Text != "For this session only (nothing saved)" || !strings.Contains(a.signedIn.banner.Text, "Signed in for this session only") ||
		strings.Contains(a.signedIn.banner.Text, "org.freedesktop") {
		t.Fatalf("kept %q, banner %q", a.signedIn.session.kept.Text, a.signedIn.banner.Text)
	}
}

func TestSignOutVariants(t *testing.T) {
	tests := []struct {
		name     string
		profile  *auth.Profile
		forget   bool
		failing  bool
		want     []string
		leftInMe []string // entries still stored afterwards
	}{
		{"not signed in", nil, false, false, []string{"form: "}, []string{keyring.EntryRefreshToken, keyring.EntryClientSecret}},
		{"keeps the secret", saved("Sandbox"), false, false, []string{"leave", "progress: Signing out…", "form (done): You are signed out."}, []string{keyring.EntryClientSecret}},
		{"everywhere", saved("Sandbox"), true, false,
			[]string{"leave", "progress: Signing out…", "clear-secret", "form (done): You are signed out, and the client secret was removed from this computer."}, nil},
		{"demo never forgets a secret", &auth.Profile{Name: "Sandbox", Demo: true}, true, false,
			[]string{"leave", "progress: Signing out…", "form (done): You are signed out."}, []string{keyring.EntryRefreshToken, keyring.EntryClientSecret}},
		{"keyring fails", saved("Sandbox"), false, true,
			[]string{"leave", "progress: Signing out…", "form (warning): Signed out, but the saved sign-in could not be removed from the keyring: The keyring is locked."},
			[]string{keyring.EntryRefreshToken, keyring.EntryClientSecret}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newControllerHarness(t)
			var store keyring.Store = h.store
			if tt.failing {
				store = lockedStore{h.store}
			}
			h.c.opts.Store = store
			_ = auth.Secrets(h.store, saved("Sandbox")).Set("Sandbox", keyring.EntryRefreshToken, "rt")
			_ = auth.Secrets(h.store, saved("Sandbox")).Set("Sandbox", keyring.EntryClientSecret, "s")
			if tt.profile != nil {
				h.c.profile = tt.profile
				h.c.showSignedIn(&loaded{session: &auth.Session{Profile: tt.profile}, info: &data.TokenInfo{}})
			}
			n := len(h.screens.calls)
			h.c.signOut(tt.forget)
			h.run() // the keyring's part runs off the UI goroutine
			if got := h.since(n); !slices.Equal(got, tt.want) {
				t.Fatalf("screens %q, want %q", got, tt.want)
			}
			for _, e := range []string{keyring.EntryRefreshToken, keyring.EntryClientSecret} {
				if stored(h.store, "Sandbox", e) != slices.Contains(tt.leftInMe, e) {
					t.Fatalf("%s stored: %v", e, stored(h.store, "Sandbox", e))
				}
			}
		})
	}
}

// TestKeyringIsNeverCalledOnTheUIGoroutine: signing out (both ways),
// deleting a profile and replacing one by an import remove keyring entries,
// and a keyring answers over D-Bus, sometimes after an unlock prompt: none
// of them may call it on the UI goroutine, which froze the window for as
// long (1.9 s with a keyring answering in 2 s, TestFigureUIMaxStall). The
// busy screen shows meanwhile, and the outcome once the keyring answered.
func TestKeyringIsNeverCalledOnTheUIGoroutine(t *testing.T) {
	tests := []struct {
		name string
		act  func(h *controllerHarness)
		busy string
		done string
	}{
		{"sign out", func(h *controllerHarness) { h.c.signOut(false) }, "progress: Signing out…", "form (done): You are signed out."},
		{"sign out everywhere", func(h *controllerHarness) { h.c.signOut(true) }, "progress: Signing out…", "form (done): You are signed out, and"},
		{"delete the profile", func(h *controllerHarness) { h.c.removeProfile(saved("Sandbox")) }, "progress: Deleting the profile Sandbox…", "form (done): Deleted the profile Sandbox"},
		{"import replacing it", func(h *controllerHarness) {
			h.screens.importAnswer = importReplace
			h.c.importProfile(elsewhere("Sandbox"))
		}, "progress: Replacing the profile Sandbox…", "form (done): Replaced the profile Sandbox"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newControllerHarness(t)
			store := &uiGuardStore{MemoryStore: h.store, t: t}
			h.c.opts.Store = store
			h.c.profiles.save(saved("Sandbox"))
			_ = auth.Secrets(h.store, saved("Sandbox")).Set("Sandbox", keyring.EntryRefreshToken, "rt")
			h.c.profile = saved("Sandbox")
			h.c.showSignedIn(&loaded{session: &auth.Session{Profile: saved("Sandbox")}, info: &data.TokenInfo{}})
			n := len(h.screens.calls)
			store.onUI = true
			tt.act(h)
			store.onUI = false
			if got := h.since(n); len(got) == 0 || got[len(got)-1] != tt.busy {
				t.Fatalf("screens %q, want the busy screen %q last", got, tt.busy)
			}
			h.run()
			if got := h.since(n); !strings.HasPrefix(got[len(got)-1], tt.done) {
				t.Fatalf("screens %q, want %q… last", got, tt.done)
			}
			if stored(h.store, "Sandbox", keyring.EntryRefreshToken) {
				t.Fatal("the sign-in is still stored")
			}
		})
	}
}

// uiGuardStore fails the test when it is called while onUI is set: on the
// UI goroutine, in the controller harness.
type uiGuardStore struct {
	*keyring.MemoryStore
	t    *testing.T
	onUI bool
}

func (s *uiGuardStore) guard(op string) {
	if s.onUI {
		s.t.Errorf("keyring %s called on the UI goroutine", op)
	}
}

func (s *uiGuardStore) Get(profile, entry string) (string, error) {
	s.guard("Get")
	return s.MemoryStore.Get(profile, entry)
}

func (s *uiGuardStore) Set(profile, entry, value string) error {
	s.guard("Set")
	return s.MemoryStore.Set(profile, entry, value)
}

func (s *uiGuardStore) Delete(profile, entry string) error {
	s.guard("Delete")
	return s.MemoryStore.Delete(profile, entry)
}

// lockedStore reads but cannot delete.
type lockedStore struct{ *keyring.MemoryStore }

func (lockedStore) Delete(string, string) error { return errors.New("the keyring is locked") }

func TestSwitchProfile(t *testing.T) {
	h := newControllerHarness(t)
	h.c.profiles.save(saved("Production"))
	h.c.profiles.save(saved("Test"))
	_ = auth.Secrets(h.store, saved("Test")).Set("Test", keyring.EntryClientSecret, "s")
	h.c.profile = saved("Production")
	h.c.showSignedIn(&loaded{session: &auth.Session{}, info: &data.TokenInfo{}})
	n := len(h.screens.calls)
	for _, name := range []string{"Production", "Nonexistent"} {
		h.c.switchProfile(name)
		if got := h.since(n); len(got) != 0 {
			t.Fatalf("switching to %s: %q", name, got)
		}
	}
	h.c.switchProfile("Test")
	h.run()
	want := []string{"leave", "select: Test", "progress: Signing you in to Test…", "signed-in: hrprof session-only=false"}
	if got := h.since(n); !slices.Equal(got, want) {
		t.Fatalf("screens %q, want %q", got, want)
	}
	if h.c.profiles.current() != "Test" || h.c.profile.Name != "Test" {
		t.Fatalf("current %q, profile %q", h.c.profiles.current(), h.c.profile.Name)
	}
}

func TestStrayLinkIsExplainedWhereThePersonLooks(t *testing.T) {
	stray := fmt.Errorf("link: %w", auth.ErrNoSignInWaiting)
	tests := []struct {
		name  string
		setUp func(h *controllerHarness)
		err   error
		want  []string
	}{
		{"signed in", func(h *controllerHarness) {
			h.c.profile = saved("Sandbox")
			h.c.showSignedIn(&loaded{session: &auth.Session{}, info: &data.TokenInfo{}})
		}, stray, []string{"banner: A sign-in response arrived from the browser, but no sign-in was waiting for it; it was ignored."}},
		{"on the form", func(h *controllerHarness) { h.c.showForm("") }, stray,
			[]string{"form (warning): A sign-in response arrived from the browser, but no sign-in was waiting for it. Start signing in from this window."}},
		{"starting up: shown with the form", func(h *controllerHarness) { h.c.showProgress("Starting…", "") }, stray, nil},
		{"waiting for another sign-in", func(h *controllerHarness) { h.c.showWaiting(saved("Sandbox")) }, stray, nil},
		{"delivered", func(h *controllerHarness) { h.c.showWaiting(saved("Sandbox")) }, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newControllerHarness(t)
			tt.setUp(h)
			n := len(h.screens.calls)
			h.c.linkReceived(tt.err)
			if got := h.since(n); !slices.Equal(got, tt.want) {
				t.Fatalf("screens %q, want %q", got, tt.want)
			}
		})
	}
	h := newControllerHarness(t)
	h.c.showProgress("Starting…", "")
	h.c.linkReceived(stray)
	h.c.showForm("")
	if got := h.screens.calls[len(h.screens.calls)-1]; !strings.Contains(got, "no sign-in was waiting") {
		t.Fatalf("the notice was not shown with the form: %q", got)
	}
}

func TestKeyringWaitNote(t *testing.T) {
	h := newControllerHarness(t)
	h.c.keyringWaiting("read the sign-in", true)
	h.c.keyringWaiting("read the sign-in", false)
	want := []string{"keyring-note: Waiting for the system keyring to read the sign-in: it may be asking for your password.", "keyring-note: "}
	if got := h.since(0); !slices.Equal(got, want) {
		t.Fatalf("notes %q", got)
	}
}

func TestCancelDropsTheSignInsResult(t *testing.T) {
	h := newControllerHarness(t)
	h.c.signIn(saved("Sandbox"), "typed")
	h.c.cancelSignIn()
	h.run()
	want := []string{"waiting: Sandbox", "form (info): Signing in was cancelled."}
	if got := h.since(0); !slices.Equal(got, want) {
		t.Fatalf("screens %q, want %q", got, want)
	}
	if h.c.session != nil {
		t.Fatal("signed in after cancelling")
	}
}

// The technical cause of a message goes under Details; the rest is the
// message.
func TestSplitDetails(t *testing.T) {
	dns := `Post "https://w3.cezanneondemand.com/CezanneOnDemand/OAuth/Token": dial tcp: lookup w3.cezanneondemand.com: no such host`
	tests := []struct {
		name  string
		err   error
		plain string
	}{
		{"plain", errors.New("the tenant is down"), "The tenant is down."},
		{"a short aside stays", errors.New("the tenant refused the request (access_denied)"), "The tenant refused the request (access_denied)."},
		{"unreachable", &auth.TokenError{Op: "get a token", Err: errors.New(dns)}, "Could not get a token: could not reach the tenant."},
		{"the server's words", &auth.TokenError{Op: "get a token", Code: "invalid_client", Message: "Client authentication failed because of an unknown client"},
			"Could not get a token: the tenant did not accept the client ID or client secret; check them with whoever registered the application."},
		{"an aside, then a cause", errors.New("sign-in failed (access_denied) after the tenant answered (" + strings.Repeat("x", 50) + ")"),
			"Sign-in failed (access_denied) after the tenant answered."},
		{"a long cause in brackets", &auth.OfflineError{Err: errors.New(dns)},
			"Cannot reach the Cezanne tenant right now; you are still signed in and the app will try again."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := errorText(tt.err)
			plain, details := splitDetails(msg)
			if plain != tt.plain {
				t.Fatalf("plain %q, want %q", plain, tt.plain)
			}
			if want := map[bool]string{true: "", false: msg}[plain == msg]; details != want {
				t.Fatalf("details %q, want %q", details, want)
			}
		})
	}
}

// TestEveryProfileKeySurvivesEveryPath: whatever way a profile reaches the
// app (the form opened and signed in unchanged, Import…, --profile,
// --profile --sign-in, the installer's preset, Export…), the profile
// signed in with, the one saved and the one exported are the file's, key
// for key. The rows together set every key of a profile file, read from
// auth.Profile's JSON tags, so a key added later fails here until a row
// sets it and every path keeps it.
func TestEveryProfileKeySurvivesEveryPath(t *testing.T) {
	h := newUIHarness(t, hrRobot(), nil)
	alias := startAliasTenant(t, h.tenant.Server)
	rows := everyKeyProfiles(t, h, alias)
	checkEveryKeyIsSet(t, rows)
	for _, row := range rows {
		for _, path := range profilePaths {
			t.Run(row.name+"/"+path.name, func(t *testing.T) {
				run := startPath(t, h, row)
				if row.want == nil {
					path.refused(t, run)
					return
				}
				a := path.run(t, run)
				checkPath(t, run, a, path.name == "Export…")
			})
		}
	}
}

// everyKeyRow is a profile file as IT hands it out; real says the test
// signs in with it for real (against the sandbox, through alias's data
// service); the others only check the profile the sign-in is given. A
// row with no want is a file every path refuses.
type everyKeyRow struct {
	name   string
	file   []byte
	want   *auth.Profile
	secret string
	real   bool
	alias  *aliasTenant
}

// everyKeyProfiles are profiles that together set every key: a browser
// sign-in to the sandbox at an address, whose data service is elsewhere
// on the tenant's origin; a hosted tenant given by its base URL with a
// custom-scheme redirect and a scope of its own; and a service account on
// a hosted tenant. (subdomain and base_url, and grant_type and
// redirect_uri, exclude each other, so no one profile has them all.) The
// last says "demo", which the app writes for its built-in tenant (in
// traces) and every path refuses from a file.
func everyKeyProfiles(t *testing.T, h *uiHarness, alias *aliasTenant) []everyKeyRow {
	t.Helper()
	no := false
	rows := []everyKeyRow{
		{name: "browser", real: true, alias: alias, secret: h.secretOf(sandbox.ClientDesktopOnDemand), want: &auth.Profile{
			Name: "Payroll HR", BaseURL: alias.base, DataServiceURL: alias.dataService, ClientID: sandbox.ClientDesktopOnDemand,
			RedirectURI: h.redirect(), Scopes: []string{auth.ScopeRead, auth.ScopeWrite}, AutoApprove: auth.AutoApproveTrue, PKCE: &no}},
		{name: "hosted base URL", secret: "typed-by-IT", want: &auth.Profile{
			Name: "Acme", BaseURL: "https://acme.cezanneondemand.com/CezanneOnDemand", DataServiceURL: "https://acme.cezanneondemand.com/odata/v4",
			ClientID: "hr.acme.example", RedirectURI: "x-cez://oauth-callback/", AutoApprove: auth.AutoApproveFalse, PKCE: &no,
			Scopes: []string{auth.ScopeWrite, "https://hr.acme.example/scopes/payroll"}}},
		{name: "service account", secret: "typed-by-IT", want: &auth.Profile{
			Name: "Nightly sync", Subdomain: "acme", DataServiceURL: "https://acme.cezanneondemand.com/odata/v2",
			ClientID: "sync.acme.example", GrantType: auth.GrantServiceAccount,
			Scopes: []string{auth.ScopeRead, "https://hr.acme.example/scopes/sync"}}},
	}
	for i := range rows {
		if err := rows[i].want.Normalize(); err != nil {
			t.Fatalf("%s: %v", rows[i].name, err)
		}
		rows[i].file = rows[i].want.Marshal()
	}
	demo := &auth.Profile{Name: "Demo tenant", Demo: true, ClientID: "demo", RedirectURI: defaultRedirect, Scopes: []string{auth.ScopeRead}}
	return append(rows, everyKeyRow{name: "demo", file: demo.Marshal(), secret: "demo"})
}

// checkEveryKeyIsSet fails for a key of a profile file that no row sets.
func checkEveryKeyIsSet(t *testing.T, rows []everyKeyRow) {
	t.Helper()
	set := map[string]bool{}
	for _, row := range rows {
		var m map[string]any
		if err := json.Unmarshal(row.file, &m); err != nil {
			t.Fatal(err)
		}
		for k, v := range m {
			// omitempty leaves out what is not set; a *bool set to
			// false is written, and is set.
			if v != nil && v != "" && !(reflect.ValueOf(v).Kind() == reflect.Slice && reflect.ValueOf(v).Len() == 0) {
				set[k] = true
			}
		}
	}
	for _, k := range auth.ProfileKeys() {
		if !set[k] {
			t.Errorf("no row sets the profile key %q: give one a value for it, so that every path is checked to keep it", k)
		}
	}
}

// pathRun is one path's launch: the app's options, and what the sign-in
// flows were given.
type pathRun struct {
	row      everyKeyRow
	h        *uiHarness
	dir      string
	signedIn []*auth.Profile // the profiles the sign-in flow was given
	services []string        // the data service of each sign-in's data client
	exported []byte          // what Export… wrote
}

// startPath gives the harness a fresh app (preferences) and keyring for
// one path, with the client secret where IT would put it.
func startPath(t *testing.T, h *uiHarness, row everyKeyRow) *pathRun {
	t.Helper()
	h.fyneApp = test.NewTempApp(t)
	h.mem = keyring.NewMemoryStore()
	h.store = h.mem
	h.fetches = nil
	t.Setenv(auth.SecretEnv, row.secret)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	if row.alias != nil {
		row.alias.reset()
	}
	return &pathRun{row: row, h: h, dir: t.TempDir()}
}

// file writes the row's profile file and returns its path.
func (r *pathRun) file(t *testing.T) string {
	t.Helper()
	path := filepath.Join(r.dir, "profile.json")
	if err := os.WriteFile(path, r.row.file, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// preset installs the row's profile file where the installer puts it
// (XDG_CONFIG_HOME is the run's own) and returns its path.
func (r *pathRun) preset(t *testing.T) string {
	t.Helper()
	path, err := auth.PresetProfilePath()
	if err != nil {
		t.Fatal(err)
	}
	_ = os.MkdirAll(filepath.Dir(path), 0o700)
	if err := os.WriteFile(path, r.row.file, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// launch is one launch of the app, its sign-in flows recorded: a row
// that is not real stops at the sign-in, which it has been handed.
func (r *pathRun) launch(options ...func(*Options)) *App {
	a := r.h.newApp(nil, options...)
	signIn, resume, load := a.ctl.flows.signIn, a.ctl.flows.resume, a.ctl.flows.load
	a.ctl.flows.resume = func(ctx context.Context, o auth.Options) (*auth.Session, error) {
		if !r.row.real {
			return nil, auth.ErrNoStoredSignIn // never a request to a tenant on the internet
		}
		return resume(ctx, o)
	}
	a.ctl.flows.signIn = func(ctx context.Context, o auth.Options) (*auth.Session, error) {
		r.signedIn = append(r.signedIn, o.Profile)
		if !r.row.real {
			return nil, errors.New("this tenant is not reachable from the test")
		}
		return signIn(ctx, o)
	}
	a.ctl.flows.load = func(ctx context.Context, s *auth.Session) (*loaded, error) {
		l, err := load(ctx, s)
		if l != nil {
			r.services = append(r.services, l.client.ServiceURL)
		}
		return l, err
	}
	return a
}

// profilePaths are the ways a profile reaches the app, each ending with
// the app signing in (or, for Export…, writing the file).
var profilePaths = []struct {
	name string
	run  func(t *testing.T, r *pathRun) *App
	// refused checks that the path refuses a file every path refuses.
	refused func(t *testing.T, r *pathRun)
}{
	{"form", func(t *testing.T, r *pathRun) *App {
		// Saved earlier; opened from the picker, nothing edited.
		prefsOf(r).save(mustLoad(t, r.file(t)))
		a := r.launch()
		a.Start()
		a.form().picker.SetSelected(r.row.want.Name)
		test.Tap(a.form().signIn)
		return a
	}, func(t *testing.T, r *pathRun) {
		// Saved by an older version, which took it from --profile.
		var p auth.Profile
		_ = json.Unmarshal(r.row.file, &p)
		prefsOf(r).save(&p)
		a := r.launch()
		a.Start()
		if names := a.ctl.profiles.names(); len(names) != 0 || slices.Contains(a.form().picker.Options, p.Name) {
			t.Fatalf("offered %q, picker %q", names, a.form().picker.Options)
		}
	}},
	{"Import…", func(t *testing.T, r *pathRun) *App {
		a := r.launch()
		a.Start()
		a.form().importFrom(bytes.NewReader(r.row.file))
		test.Tap(a.form().signIn)
		return a
	}, func(t *testing.T, r *pathRun) {
		a := r.launch()
		a.Start()
		a.form().importFrom(bytes.NewReader(r.row.file))
		if !strings.Contains(a.form().message.Text, auth.DemoProfileRefusal) || len(a.ctl.profiles.names()) != 0 {
			t.Fatalf("imported: %q, saved %q", a.form().message.Text, a.ctl.profiles.names())
		}
	}},
	{"--profile FILE", func(t *testing.T, r *pathRun) *App {
		p := mustLoad(t, r.file(t)) // as cmd_app's loadProfiles reads it
		a := r.launch(func(o *Options) { o.Profile = p })
		a.Start()
		test.Tap(a.form().signIn)
		return a
	}, func(t *testing.T, r *pathRun) { refusedFile(t, r.file(t)) }},
	{"--profile FILE --sign-in", func(t *testing.T, r *pathRun) *App {
		p := mustLoad(t, r.file(t))
		a := r.launch(func(o *Options) { o.Profile, o.SignIn = p, true })
		a.Start()
		return a
	}, func(t *testing.T, r *pathRun) { refusedFile(t, r.file(t)) }},
	{"preset", func(t *testing.T, r *pathRun) *App {
		p := mustLoad(t, r.preset(t)) // as cmd_app's loadProfiles reads it
		a := r.launch(func(o *Options) { o.Preset = p })
		a.Start()
		test.Tap(a.form().signIn)
		return a
	}, func(t *testing.T, r *pathRun) { refusedFile(t, r.preset(t)) }},
	{"Export…", func(t *testing.T, r *pathRun) *App {
		prefsOf(r).save(mustLoad(t, r.file(t)))
		a := r.launch()
		a.Start()
		a.form().picker.SetSelected(r.row.want.Name)
		var out bytes.Buffer
		if err := a.form().exportTo(&out); err != nil {
			t.Fatal(err)
		}
		r.exported = out.Bytes()
		return a
	}, func(t *testing.T, _ *pathRun) {
		// The demo shows on the form as the demo, which has nothing to
		// export (Export… is off), so no file can come out saying "demo".
		f, _, _ := newTestForm(t)
		f.show(nil)
		if !f.export.Disabled() {
			t.Fatal("Export… is offered for the demo tenant")
		}
	}},
}

// refusedFile checks that a file the app refuses is refused in words when
// read as cmd_app reads --profile and the preset (which the app then
// exits on, or logs and passes over).
func refusedFile(t *testing.T, path string) {
	t.Helper()
	if p, err := auth.LoadProfile(path); err == nil || !strings.Contains(err.Error(), auth.DemoProfileRefusal) {
		t.Fatalf("read %+v, %v", p, err)
	}
}

// prefsOf is the saved profiles of the run's next launch.
func prefsOf(r *pathRun) profileList { return profileList{r.h.fyneApp.Preferences()} }

func mustLoad(t *testing.T, path string) *auth.Profile {
	t.Helper()
	p, err := auth.LoadProfile(path)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// checkPath compares, key by key, what the path handed on with the file:
// the exported file, or the profile signed in with and the one saved; a
// real row's first sign-in reads People from the file's data service.
func checkPath(t *testing.T, r *pathRun, a *App, exported bool) {
	t.Helper()
	want := r.row.want
	if exported {
		got, err := auth.ParseProfile(r.exported)
		if err != nil {
			t.Fatalf("the export does not read back: %v", err)
		}
		compareKeys(t, "exported", got, want)
		return
	}
	if len(r.signedIn) == 0 {
		t.Fatalf("no sign-in started; the form says %q", a.form().message.Text)
	}
	compareKeys(t, "signed in with", r.signedIn[0], want)
	saved := a.ctl.profiles.get(want.Name)
	if saved == nil {
		t.Fatalf("%s was not saved: %q", want.Name, a.ctl.profiles.names())
	}
	compareKeys(t, "saved", saved, want)
	if !r.row.real {
		return
	}
	if a.signedIn == nil {
		t.Fatalf("not signed in: %q", a.form().message.Text)
	}
	if len(r.services) == 0 || r.services[0] != want.DataServiceURL {
		t.Fatalf("the first sign-in's data client reads %q, want %s", r.services, want.DataServiceURL)
	}
	if got := r.row.alias.requests(); got.alias == 0 || got.direct != 0 {
		t.Fatalf("data requests: %d to %s, %d to the tenant's own DataService.svc", got.alias, want.DataServiceURL, got.direct)
	}
}

// compareKeys fails for each key of a profile file where got differs
// from want.
func compareKeys(t *testing.T, what string, got, want *auth.Profile) {
	t.Helper()
	var g, w map[string]json.RawMessage
	_ = json.Unmarshal(got.Marshal(), &g)
	_ = json.Unmarshal(want.Marshal(), &w)
	for _, k := range auth.ProfileKeys() {
		if !bytes.Equal(g[k], w[k]) {
			t.Errorf("%s: %q is %s, the file has %s", what, k, orNone(g[k]), orNone(w[k]))
		}
	}
	if got.DataServiceConfirmed {
		t.Errorf("%s: a data service confirmed that nobody confirmed", what)
	}
}

func orNone(v json.RawMessage) string {
	if v == nil {
		return "missing"
	}
	return string(v)
}

// aliasTenant serves a sandbox tenant on an origin of its own, with its
// data service also at /HR/odata: a data_service_url that is not the
// default, on the tenant's origin, so it needs no confirmation.
type aliasTenant struct {
	base, dataService string
	mu                sync.Mutex
	alias, direct     int // data requests through /HR/odata, and to DataService.svc
}

const aliasDataPath = "/HR/odata"

func startAliasTenant(t *testing.T, s *sandbox.Server) *aliasTenant {
	t.Helper()
	at := &aliasTenant{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rest, ok := strings.CutPrefix(r.URL.Path, aliasDataPath); ok {
			at.count(&at.alias)
			r.URL.Path, r.URL.RawPath = sandbox.RootPath+"/DataService.svc"+rest, ""
		} else if strings.HasPrefix(r.URL.Path, sandbox.RootPath+"/DataService.svc") {
			at.count(&at.direct)
		}
		s.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	at.base, at.dataService = srv.URL+sandbox.RootPath, srv.URL+aliasDataPath
	return at
}

func (at *aliasTenant) count(n *int) {
	at.mu.Lock()
	*n++
	at.mu.Unlock()
}

type aliasRequests struct{ alias, direct int }

func (at *aliasTenant) requests() aliasRequests {
	at.mu.Lock()
	defer at.mu.Unlock()
	return aliasRequests{at.alias, at.direct}
}

func (at *aliasTenant) reset() {
	at.mu.Lock()
	at.alias, at.direct = 0, 0
	at.mu.Unlock()
}
