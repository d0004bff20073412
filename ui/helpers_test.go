package ui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/data"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/trace"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/urlscheme"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox/sandboxtest"
)

// uiHarness runs the app's UI against a real sandbox tenant on loopback,
// with background work inline so that -race sees one UI goroutine.
type uiHarness struct {
	t       *testing.T
	app     *App
	srv     *sandbox.Server
	tenant  *sandbox.Running
	browser func(string) error
	store   keyring.Store
	mem     *keyring.MemoryStore
	mu      sync.Mutex
	opened  []string
	// fyneApp is shared by every launch, as preferences survive a relaunch.
	fyneApp fyne.App
	// fetches are People page fetches waiting to run on the test goroutine.
	fetches []func()
}

// drain runs the queued page fetches, as the fetch goroutines would.
func (h *uiHarness) drain() int {
	n := 0
	for len(h.fetches) > 0 {
		f := h.fetches[0]
		h.fetches = h.fetches[1:]
		f()
		n++
	}
	return n
}

func newUIHarness(t *testing.T, robot *sandbox.Robot, store keyring.Store) *uiHarness {
	t.Helper()
	redirect := sandbox.FreeLoopbackRedirect(0, "/oauth-callback/")
	tenant := sandboxtest.Start(t, sandbox.Config{LoopbackRedirect: redirect, People: 500})
	h := &uiHarness{t: t, srv: tenant.Server, tenant: tenant, mem: keyring.NewMemoryStore(), fyneApp: test.NewTempApp(t)}
	h.store = store
	if store == nil {
		h.store = h.mem
	}
	h.browser = func(u string) error {
		if robot == nil {
			return nil
		}
		go func() {
			if _, err := robot.Run(context.Background(), u); err != nil {
				t.Errorf("robot: %v", err)
			}
		}()
		return nil
	}
	h.app = h.newApp(nil)
	return h
}

// newApp is one launch of the app, sharing the harness's keyring store.
func (h *uiHarness) newApp(profile *auth.Profile, options ...func(*Options)) *App {
	c, _ := h.tenant.OAuthClient(sandbox.ClientDesktopOnDemand)
	demo := func(_ context.Context, customScheme bool) (*auth.Profile, string, error) {
		c := c
		if customScheme {
			c, _ = h.tenant.OAuthClient(sandbox.ClientDesktopScheme)
		}
		p := &auth.Profile{Name: "Demo tenant", Demo: true, BaseURL: h.tenant.BaseURL(), ClientID: c.ID, RedirectURI: c.RedirectURIs[0], Scopes: []string{auth.ScopeRead}}
		return p, c.Secret, p.Normalize()
	}
	opts := Options{
		Profile: profile, Store: h.store, Demo: demo,
		Go:    func(f func()) { f() },
		Heavy: func(f func()) { f() },
		Fetch: func(f func()) { h.fetches = append(h.fetches, f) },
		Every: func(context.Context, time.Duration, func()) {},
		Later: func(_ time.Duration, f func()) func() { f(); return func() {} },
		// Later runs at once here: a held-back cell's refill would
		// refresh the table from inside its own refresh.
		NewTextPerFrame: -1,
		OpenBrowser: func(u string) error {
			h.mu.Lock()
			h.opened = append(h.opened, u)
			h.mu.Unlock()
			return h.browser(u)
		},
	}
	for _, o := range options {
		o(&opts)
	}
	return New(h.fyneApp, opts)
}

func (h *uiHarness) browserOpens() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.opened)
}

// profile is a saved profile for one of the sandbox's clients.
func (h *uiHarness) profile(name, clientID string, mutate func(*auth.Profile)) (*auth.Profile, string) {
	h.t.Helper()
	c, _ := h.tenant.OAuthClient(clientID)
	p := &auth.Profile{Name: name, BaseURL: h.tenant.BaseURL(), ClientID: c.ID, RedirectURI: h.redirect(), Scopes: []string{"APIRead"}}
	if mutate != nil {
		mutate(p)
	}
	if err := p.Normalize(); err != nil {
		h.t.Fatal(err)
	}
	return p, c.Secret
}

func (h *uiHarness) redirect() string {
	c, _ := h.tenant.OAuthClient(sandbox.ClientDesktopOnDemand)
	return c.RedirectURIs[0]
}

func (h *uiHarness) secretOf(clientID string) string {
	c, _ := h.tenant.OAuthClient(clientID)
	return c.Secret
}

func hrRobot() *sandbox.Robot {
	return &sandbox.Robot{Username: "hrprof@sandbox.cezannehr.com", Password: sandbox.DemoPassword}
}

// signInWith starts app with a profile and signs in by typing the secret.
func signInWith(t *testing.T, a *App, secret string) {
	t.Helper()
	a.Start()
	test.Type(a.form().secret, secret)
	test.Tap(a.form().signIn)
	if a.signedIn == nil {
		t.Fatalf("not signed in: %q", a.form().message.Text)
	}
}

func findButton(t *testing.T, a *App, label string) *widget.Button {
	t.Helper()
	for _, o := range test.LaidOutObjects(a.win.Content()) {
		if b, ok := o.(*widget.Button); ok && b.Text == label {
			return b
		}
	}
	t.Fatalf("no %q button on screen", label)
	return nil
}

// textOf is the text a widget shows, if it shows any.
func textOf(o any) string {
	switch w := o.(type) {
	case *widget.Label:
		return w.Text
	case *widget.Entry:
		return w.Text
	case *widget.Button:
		return w.Text
	}
	return ""
}

// confirmDialog taps a button of the dialog shown over the window.
func confirmDialog(t *testing.T, a *App, label string) {
	t.Helper()
	top := a.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog is showing")
	}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Text == label {
			test.Tap(b)
			return
		}
	}
	t.Fatalf("the dialog has no %q button", label)
}

// brokenStore is a keyring that is not there (no Secret Service).
type brokenStore struct{}

// The message is D-Bus's own, capitals and all.
//
//lint:ignore ST1005 D-Bus's message as the keyring reports it
var errNoService = &keyring.Error{Op: "read", Err: errors.New("The name org.freedesktop.secrets was not provided by any .service files")}

func (brokenStore) Get(string, string) (string, error) { return "", errNoService }

func (brokenStore) Set(string, string, string) error { return errNoService }

func (brokenStore) Delete(string, string) error { return errNoService }

// failingStore works until told to fail writes.
type failingStore struct {
	*keyring.MemoryStore
	mu   sync.Mutex
	fail bool
}

func (s *failingStore) Set(p, e, v string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail {
		return &keyring.Error{Op: "save the sign-in", Err: errors.New("the keyring is locked")}
	}
	return s.MemoryStore.Set(p, e, v)
}

// signedInDemo signs in to the demo tenant and returns the People view.
func signedInDemo(t *testing.T) (*uiHarness, *peopleView) {
	t.Helper()
	h := newUIHarness(t, hrRobot(), nil)
	h.app.Start()
	test.Tap(h.app.form().signIn)
	if h.app.signedIn == nil {
		t.Fatalf("not signed in: %q", h.app.form().message.Text)
	}
	h.app.win.Resize(fyne.NewSize(1400, 900))
	return h, h.app.signedIn.people
}

func cellText(t *testing.T, v *peopleView, row, col int) string {
	t.Helper()
	c := newTextCell(v.fitter)
	v.updateCell(widget.TableCellID{Row: row, Col: col}, c)
	return c.full
}

// mapPrefs is preferences in memory.
type mapPrefs map[string]string

func (m mapPrefs) String(k string) string { return m[k] }

func (m mapPrefs) SetString(k, v string) { m[k] = v }

// fakeRegistration registers schemes in memory. owners: schemes another
// program opens, which Register does not take over.
type fakeRegistration struct {
	schemes []string
	owners  map[string]string
}

func (r *fakeRegistration) Registered(s string) (bool, error) {
	return slices.Contains(r.schemes, s), nil
}

func (r *fakeRegistration) Register(s string) error {
	if owner := r.owners[s]; owner != "" {
		return &urlscheme.OwnedError{Scheme: s, Owner: owner}
	}
	r.schemes = append(r.schemes, s)
	return nil
}

func (r *fakeRegistration) TakeOver(s string) error {
	delete(r.owners, s)
	return r.Register(s)
}

// fakeScreens records what the controller shows, as lines like
// "form: You are signed out.".
type fakeScreens struct {
	calls     []string
	formShown bool
	qaScopes  []string
	qaState   string
	// register answers the question whether to register a scheme, and
	// takeOver whether to take it from another program.
	register bool
	// importAnswer answers the question what to do with a same-name import.
	importAnswer importChoice
	takeOver     bool
}

func (s *fakeScreens) record(format string, args ...any) {
	s.calls = append(s.calls, fmt.Sprintf(format, args...))
}

// showFormMessage records an error message as "form: msg", others with
// their tone.
func (s *fakeScreens) showFormMessage(msg string, t tone) {
	s.formShown = true
	if t == toneError {
		s.record("form: %s", msg)
		return
	}
	s.record("form (%s): %s", t, msg)
}

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

func (s *fakeScreens) leaveSignedIn() { s.record("leave") }

func (s *fakeScreens) selectProfile(p *auth.Profile) { s.record("select: %s", profileName(p)) }

func (s *fakeScreens) submitForm() { s.record("submit") }

func (s *fakeScreens) clearSecret() { s.record("clear-secret") }

func (s *fakeScreens) qaOptions() ([]string, string) { return s.qaScopes, s.qaState }

func (s *fakeScreens) setKeyringProblem(error) { s.record("keyring-problem") }

func (s *fakeScreens) needSecret() { s.record("need-secret") }

func (s *fakeScreens) setKeyringNote(msg string) { s.record("keyring-note: %s", msg) }

func (s *fakeScreens) schemeRegistered(scheme string) { s.record("scheme-registered: %s", scheme) }

func (s *fakeScreens) setBanner(msg string) { s.record("banner: %s", msg) }

func (s *fakeScreens) onForm() bool { return s.formShown }

func (s *fakeScreens) askToRegister(scheme string, answer func(bool)) {
	s.record("ask-register: %s", scheme)
	answer(s.register)
}

func (s *fakeScreens) askImport(saved, _ *auth.Profile, _ string, answer func(importChoice)) {
	s.record("ask-import: %s", saved.Name)
	answer(s.importAnswer)
}

func (s *fakeScreens) askToTakeOver(scheme, owner string, answer func(bool)) {
	s.record("ask-take-over: %s from %s", scheme, owner)
	answer(s.takeOver)
}

// fakeWait is the waiting screen of fakeScreens.
type fakeWait struct{ s *fakeScreens }

func (w fakeWait) setAttempt(u string) { w.s.record("attempt: %s", u) }

func (w fakeWait) setStatus(msg string) { w.s.record("status: %s", msg) }

func (w fakeWait) browserOpened(err error) {
	if err != nil {
		w.s.record("browser failed: %v", err)
	} else {
		w.s.record("browser opened")
	}
}

func profileName(p *auth.Profile) string {
	if p == nil {
		return "demo"
	}
	return p.Name
}

// controllerHarness is a controller with fake screens, stubbed sign-in
// flows and queued background work.
type controllerHarness struct {
	c       *controller
	screens *fakeScreens
	store   *keyring.MemoryStore
	queue   []func()
	// signedIn are the options of each sign-in and resume the flows saw.
	signedIn []auth.Options
	// result is what the stubbed flows return.
	result error
}

func newControllerHarness(t *testing.T, options ...func(*Options)) *controllerHarness {
	t.Helper()
	t.Setenv(auth.SecretEnv, "")
	h := &controllerHarness{screens: &fakeScreens{}, store: keyring.NewMemoryStore()}
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
		func(*auth.Profile) *auth.SignInTrace { return trace.New(trace.Meta{}).SignInHooks() })
	flow := func(_ context.Context, o auth.Options) (*auth.Session, error) {
		h.signedIn = append(h.signedIn, o)
		if h.result != nil {
			return nil, h.result
		}
		return &auth.Session{Profile: o.Profile}, nil
	}
	h.c.flows = flows{signIn: flow, resume: flow, probe: func(keyring.Store) error { return nil },
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

// stored reports whether the store holds an entry for the profile.
func stored(s keyring.Store, profile, entry string) bool {
	_, err := s.Get(profile, entry)
	return err == nil
}

// textStyles are the styles of every text in o's tree, hidden or empty
// ones included, as Fyne measures those too. It sees the rows a list or
// table has made so far (none before a layout), and not text that code
// measures itself with fyne.MeasureText (busy.go, cell.go: regular).
func textStyles(o fyne.CanvasObject) map[fyne.TextStyle]bool {
	styles := map[fyne.TextStyle]bool{}
	walkObjects(o, func(o fyne.CanvasObject) {
		if t, ok := o.(*canvas.Text); ok {
			styles[t.TextStyle] = true
		}
	})
	return styles
}

// walkObjects calls visit for o and everything under it: containers'
// objects and widgets' rendered parts, hidden ones too.
func walkObjects(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	visit(o)
	switch o := o.(type) {
	case *fyne.Container:
		for _, c := range o.Objects {
			walkObjects(c, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(o).Objects() {
			walkObjects(c, visit)
		}
	}
}
