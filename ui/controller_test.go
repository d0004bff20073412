package ui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/data"
)

// fakeScreens records what the controller shows, as lines like
// "form: You are signed out.".
type fakeScreens struct {
	calls     []string
	formShown bool
	qaScopes  []string
	qaState   string
	// register answers the question whether to register a scheme.
	register bool
}

func (s *fakeScreens) record(format string, args ...any) {
	s.calls = append(s.calls, fmt.Sprintf(format, args...))
}

func (s *fakeScreens) showForm(msg string) { s.formShown = true; s.record("form: %s", msg) }
func (s *fakeScreens) showProgress(title, _ string) {
	s.formShown = false
	s.record("progress: %s", title)
}

func (s *fakeScreens) showWaiting(p *auth.Profile) waitScreen {
	s.formShown = false
	s.record("waiting: %s", p.Name)
	return fakeWait{s}
}

func (s *fakeScreens) showSignedIn(l *loaded, st signedInState) {
	s.formShown = false
	s.record("signed-in: %s session-only=%v", l.info.Username, st.sessionOnly)
}
func (s *fakeScreens) leaveSignedIn()                 { s.record("leave") }
func (s *fakeScreens) selectProfile(p *auth.Profile)  { s.record("select: %s", profileName(p)) }
func (s *fakeScreens) submitForm()                    { s.record("submit") }
func (s *fakeScreens) clearSecret()                   { s.record("clear-secret") }
func (s *fakeScreens) qaOptions() ([]string, string)  { return s.qaScopes, s.qaState }
func (s *fakeScreens) setKeyringProblem(error)        { s.record("keyring-problem") }
func (s *fakeScreens) setKeyringNote(msg string)      { s.record("keyring-note: %s", msg) }
func (s *fakeScreens) schemeRegistered(scheme string) { s.record("scheme-registered: %s", scheme) }
func (s *fakeScreens) setBanner(msg string)           { s.record("banner: %s", msg) }
func (s *fakeScreens) onForm() bool                   { return s.formShown }
func (s *fakeScreens) askToRegister(scheme string, answer func(bool)) {
	s.record("ask-register: %s", scheme)
	answer(s.register)
}

// fakeWait is the waiting screen of fakeScreens.
type fakeWait struct{ s *fakeScreens }

func (w fakeWait) setAttempt(u string)  { w.s.record("attempt: %s", u) }
func (w fakeWait) setStatus(msg string) { w.s.record("status: %s", msg) }

func profileName(p *auth.Profile) string {
	if p == nil {
		return "demo"
	}
	return p.Name
}

// mapPrefs is preferences in memory.
type mapPrefs map[string]string

func (m mapPrefs) String(k string) string { return m[k] }
func (m mapPrefs) SetString(k, v string)  { m[k] = v }

// controllerHarness is a controller with fake screens, stubbed sign-in
// flows and queued background work.
type controllerHarness struct {
	c       *controller
	screens *fakeScreens
	store   *auth.MemoryStore
	queue   []func()
	// signedIn are the options of each sign-in and resume the flows saw.
	signedIn []auth.Options
	// result is what the stubbed flows return.
	result error
}

func newControllerHarness(t *testing.T, options ...func(*Options)) *controllerHarness {
	t.Helper()
	t.Setenv(auth.SecretEnv, "")
	h := &controllerHarness{screens: &fakeScreens{}, store: auth.NewMemoryStore()}
	opts := Options{
		Store: h.store, Logger: slog.New(slog.DiscardHandler),
		Go: func(f func()) { h.queue = append(h.queue, f) },
		Demo: func(context.Context, bool) (*auth.Profile, string, error) {
			return &auth.Profile{Name: "Demo tenant", Demo: true}, "demo-secret", nil
		},
	}
	for _, o := range options {
		o(&opts)
	}
	h.c = newController(opts, h.screens, mapPrefs{}, func(f func()) { f() },
		func(*auth.Profile) *auth.Trace { return auth.NewTrace(auth.TraceMeta{}) })
	flow := func(_ context.Context, o auth.Options) (*auth.Session, error) {
		h.signedIn = append(h.signedIn, o)
		if h.result != nil {
			return nil, h.result
		}
		return &auth.Session{Profile: o.Profile}, nil
	}
	h.c.flows = flows{signIn: flow, resume: flow, probe: func(auth.SecretStore) error { return nil },
		load: func(_ context.Context, s *auth.Session) (*loaded, error) {
			return &loaded{session: s, info: &data.TokenInfo{Username: "hrprof"}}, nil
		}}
	return h
}

// run runs the queued background work, as its goroutines would.
func (h *controllerHarness) run() {
	for len(h.queue) > 0 {
		f := h.queue[0]
		h.queue = h.queue[1:]
		f()
	}
}

// since is what the screens showed from call n on.
func (h *controllerHarness) since(n int) []string { return h.screens.calls[n:] }

func saved(name string) *auth.Profile {
	return &auth.Profile{Name: name, Subdomain: "w3", ClientID: "c", RedirectURI: defaultRedirect, Scopes: []string{auth.ScopeRead}}
}

func TestResumeOutcomes(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		thenSignIn bool
		want       []string
	}{
		{"signed in", nil, false, []string{"signed-in: hrprof session-only=false"}},
		{"nothing stored", auth.ErrNoStoredSignIn, false, []string{"form: "}},
		{"nothing stored, --sign-in", auth.ErrNoStoredSignIn, true, []string{"form: ", "submit"}},
		{"no client secret", auth.ErrNoClientSecret, true, []string{"form: ", "submit"}},
		{"revoked", fmt.Errorf("refresh: %w", auth.ErrSignInAgain), false,
			[]string{"form: Your sign-in to Sandbox has expired or was revoked. Please sign in again."}},
		{"revoked, --sign-in", auth.ErrSignInAgain, true,
			[]string{"form: Your sign-in to Sandbox has expired or was revoked. Please sign in again.", "submit"}},
		{"other failure", errors.New("the tenant is down"), true, []string{"form: The tenant is down."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newControllerHarness(t)
			_ = h.store.Set("Sandbox", auth.EntryClientSecret, "s3cret")
			h.result = tt.err
			h.c.resume(saved("Sandbox"), tt.thenSignIn)
			if got := h.since(0); !slices.Equal(got, []string{"progress: Signing you in to Sandbox…"}) {
				t.Fatalf("before the keyring answers: %q", got)
			}
			h.run()
			if got := h.since(1); !slices.Equal(got, tt.want) {
				t.Fatalf("screens %q, want %q", got, tt.want)
			}
			if o := h.signedIn[0]; o.ClientSecret != "s3cret" || o.Store != h.store {
				t.Fatalf("resumed with secret %q, store %v", o.ClientSecret, o.Store)
			}
		})
	}
}

func TestSignInFailureReturnsToTheFormAsItWas(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"refused", errors.New("access was denied on the consent page"), "form: Access was denied on the consent page."},
		{"cancelled", auth.ErrCancelled, "form: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newControllerHarness(t)
			h.result = tt.err
			h.c.signIn(saved("Sandbox"), "typed")
			h.run()
			// Nothing clears or refills the form: what was typed stays.
			want := []string{"waiting: Sandbox", tt.want}
			if got := h.since(0); !slices.Equal(got, want) {
				t.Fatalf("screens %q, want %q", got, want)
			}
			if h.signedIn[0].ClientSecret != "typed" || !h.signedIn[0].SaveClientSecret {
				t.Fatal("the typed secret was not used and saved")
			}
		})
	}
}

func TestSignInKindsAndQAOptions(t *testing.T) {
	h := newControllerHarness(t)
	h.screens.qaScopes, h.screens.qaState = []string{auth.ScopeWrite}, "qa-state"
	service := saved("Payroll")
	service.GrantType = auth.GrantServiceAccount
	h.c.signIn(service, "s")
	h.run()
	want := []string{"progress: Signing in to Payroll…", "signed-in: hrprof session-only=false"}
	if got := h.since(0); !slices.Equal(got, want) {
		t.Fatalf("service account: %q", got)
	}
	o := h.signedIn[0]
	if o.State != "qa-state" || !slices.Contains(o.Profile.Scopes, auth.ScopeWrite) || slices.Contains(service.Scopes, auth.ScopeWrite) {
		t.Fatalf("QA options: state %q, scopes %v (profile's %v)", o.State, o.Profile.Scopes, service.Scopes)
	}
	// The demo is started on demand and keeps its tokens in memory.
	n := len(h.screens.calls)
	h.screens.qaScopes = nil
	h.c.signIn(&auth.Profile{Name: "Demo tenant", Demo: true}, "")
	h.run()
	if o := h.signedIn[1]; o.Store != h.c.demoStore || o.ClientSecret != "demo-secret" {
		t.Fatalf("demo signed in with store %v, secret %q", o.Store, o.ClientSecret)
	}
	want = []string{"waiting: Demo tenant", "status: Signed in. Loading your details…", "leave", "signed-in: hrprof session-only=false"}
	if got := h.since(n); !slices.Equal(got, want) {
		t.Fatalf("demo: %q", got)
	}
}

// The sign-in's work reads where to keep secrets as it was when the
// sign-in started, not the controller's fields, which the UI goroutine
// changes meanwhile (here: the keyring turns out to be missing).
func TestSignInWorkUsesTheStoresOfItsStart(t *testing.T) {
	h := newControllerHarness(t)
	h.c.signIn(saved("Sandbox"), "typed")
	h.c.keyringErr = errors.New("the keyring went away")
	h.run()
	if len(h.signedIn) != 1 || h.signedIn[0].Store != h.store {
		t.Fatalf("signed in with store %v, want the keyring of the start", h.signedIn[0].Store)
	}
}

func TestCancelDropsTheSignInsResult(t *testing.T) {
	h := newControllerHarness(t)
	h.c.signIn(saved("Sandbox"), "typed")
	h.c.cancelSignIn()
	h.run()
	want := []string{"waiting: Sandbox", "form: Signing in was cancelled."}
	if got := h.since(0); !slices.Equal(got, want) {
		t.Fatalf("screens %q, want %q", got, want)
	}
	if h.c.session != nil {
		t.Fatal("signed in after cancelling")
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
		{"not signed in", nil, false, false, []string{"form: "}, []string{auth.EntryRefreshToken, auth.EntryClientSecret}},
		{"keeps the secret", saved("Sandbox"), false, false, []string{"leave", "form: You are signed out."}, []string{auth.EntryClientSecret}},
		{"everywhere", saved("Sandbox"), true, false,
			[]string{"leave", "clear-secret", "form: You are signed out, and the client secret was removed from this computer."}, nil},
		{"demo never forgets a secret", &auth.Profile{Name: "Sandbox", Demo: true}, true, false,
			[]string{"leave", "form: You are signed out."}, []string{auth.EntryRefreshToken, auth.EntryClientSecret}},
		{"keyring fails", saved("Sandbox"), false, true,
			[]string{"leave", "form: Signed out, but the saved sign-in could not be removed from the keyring: The keyring is locked."},
			[]string{auth.EntryRefreshToken, auth.EntryClientSecret}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newControllerHarness(t)
			var store auth.SecretStore = h.store
			if tt.failing {
				store = lockedStore{h.store}
			}
			h.c.opts.Store = store
			_ = h.store.Set("Sandbox", auth.EntryRefreshToken, "rt")
			_ = h.store.Set("Sandbox", auth.EntryClientSecret, "s")
			if tt.profile != nil {
				h.c.profile = tt.profile
				h.c.showSignedIn(&loaded{session: &auth.Session{Profile: tt.profile}, info: &data.TokenInfo{}})
			}
			n := len(h.screens.calls)
			h.c.signOut(tt.forget)
			if got := h.since(n); !slices.Equal(got, tt.want) {
				t.Fatalf("screens %q, want %q", got, tt.want)
			}
			for _, e := range []string{auth.EntryRefreshToken, auth.EntryClientSecret} {
				if h.store.Has("Sandbox", e) != slices.Contains(tt.leftInMe, e) {
					t.Fatalf("%s stored: %v", e, h.store.Has("Sandbox", e))
				}
			}
		})
	}
}

// lockedStore reads but cannot delete.
type lockedStore struct{ *auth.MemoryStore }

func (lockedStore) Delete(string, string) error { return errors.New("the keyring is locked") }

func TestSwitchProfile(t *testing.T) {
	h := newControllerHarness(t)
	h.c.profiles.save(saved("Production"))
	h.c.profiles.save(saved("Test"))
	_ = h.store.Set("Test", auth.EntryClientSecret, "s")
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
			h.c.flows.probe = func(auth.SecretStore) error { return tt.probe }
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
			[]string{"form: A sign-in response arrived from the browser, but no sign-in was waiting for it. Start signing in from this window."}},
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

func TestRegisteringASchemeBeforeSigningIn(t *testing.T) {
	for _, agree := range []bool{false, true} {
		t.Run(fmt.Sprint("agree=", agree), func(t *testing.T) {
			reg := &fakeRegistration{}
			h := newControllerHarness(t, func(o *Options) { o.Schemes = reg })
			h.screens.register = agree
			p := saved("Sandbox")
			p.RedirectURI = defaultCustomRedirect
			h.c.signIn(p, "s")
			h.run()
			want := []string{"ask-register: x-cez", "form: Signing in with x-cez:// needs links of that kind to open this app. Register it, or use a loopback redirect URI (http://127.0.0.1:PORT/…)."}
			if agree {
				want = []string{"ask-register: x-cez", "scheme-registered: x-cez", "waiting: Sandbox",
					"status: Signed in. Loading your details…", "signed-in: hrprof session-only=false"}
			}
			if got := h.since(0); !slices.Equal(got, want) {
				t.Fatalf("screens %q, want %q", got, want)
			}
		})
	}
}

// fakeRegistration registers schemes in memory.
type fakeRegistration struct{ schemes []string }

func (r *fakeRegistration) Registered(s string) (bool, error) {
	return slices.Contains(r.schemes, s), nil
}
func (r *fakeRegistration) Register(s string) error {
	r.schemes = append(r.schemes, s)
	return nil
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
