package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
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
	store   auth.SecretStore
	mem     *auth.MemoryStore
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

func newUIHarness(t *testing.T, robot *sandbox.Robot, store auth.SecretStore) *uiHarness {
	t.Helper()
	redirect := sandbox.FreeLoopbackRedirect(0, "/oauth-callback/")
	tenant := sandboxtest.Start(t, sandbox.Config{LoopbackRedirect: redirect, People: 500})
	h := &uiHarness{t: t, srv: tenant.Server, tenant: tenant, mem: auth.NewMemoryStore(), fyneApp: test.NewTempApp(t)}
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
	c, _ := h.tenant.Client(sandbox.ClientDesktopOnDemand)
	demo := func(_ context.Context, customScheme bool) (*auth.Profile, string, error) {
		c := c
		if customScheme {
			c, _ = h.tenant.Client(sandbox.ClientDesktopScheme)
		}
		p := &auth.Profile{Name: "Demo tenant", Demo: true, BaseURL: h.tenant.BaseURL(), ClientID: c.ID, RedirectURI: c.RedirectURIs[0], Scopes: []string{auth.ScopeRead}}
		return p, c.Secret, p.Normalize()
	}
	opts := Options{
		Profile: profile, Store: h.store, Demo: demo,
		Go:    func(f func()) { f() },
		Fetch: func(f func()) { h.fetches = append(h.fetches, f) },
		Every: func(context.Context, time.Duration, func()) {},
		Later: func(_ time.Duration, f func()) func() { f(); return func() {} },
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
	c, _ := h.tenant.Client(clientID)
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
	c, _ := h.tenant.Client(sandbox.ClientDesktopOnDemand)
	return c.RedirectURIs[0]
}

func hrRobot() *sandbox.Robot {
	return &sandbox.Robot{Username: "hrprof@sandbox.cezannehr.com", Password: sandbox.DemoPassword}
}

// signInWith starts app with a profile and signs in by typing the secret.
func signInWith(t *testing.T, a *App, secret string) {
	t.Helper()
	a.Start()
	test.Type(a.form.secret, secret)
	test.Tap(a.form.signIn)
	if a.signedIn == nil {
		t.Fatalf("not signed in: %q", a.form.message.Text)
	}
}

func TestDemoSignInShowsTokenInfoAndPeople(t *testing.T) {
	h := newUIHarness(t, hrRobot(), nil)
	h.app.Start()
	f := h.app.form
	if f.picker.Selected != choiceDemo || f.tenantForm.Visible() {
		t.Fatal("with nothing configured the demo tenant should be preselected")
	}
	test.Tap(f.signIn)
	v := h.app.signedIn
	if v == nil {
		t.Fatalf("not signed in; form says %q", f.message.Text)
	}
	if got := v.people.rows(); got != 500 || v.people.status.Text != "500 people" {
		t.Fatalf("%d rows, status %q", got, v.people.status.Text)
	}
	if h.browserOpens() != 1 || !strings.Contains(h.opened[0], "/OAuth/Authorize?") {
		t.Fatalf("browser opened %v", h.opened)
	}
	if !strings.Contains(v.session.scopes.Text, "APIRead: granted") || !(strings.HasPrefix(v.session.timeLeft.Text, "Expires in 9:") || v.session.timeLeft.Text == "Expires in 10:00") {
		t.Fatalf("session card: %q / %q", v.session.scopes.Text, v.session.timeLeft.Text)
	}
	if v.session.kept.Text != "For this session only (nothing saved)" {
		t.Fatalf("demo kept: %q", v.session.kept.Text)
	}
	if h.mem.Has("Demo tenant", auth.EntryRefreshToken) {
		t.Fatal("demo tokens written to the keyring store")
	}
	test.Tap(findButton(t, h.app, "Sign out"))
	if h.app.form.message.Text != "You are signed out." {
		t.Fatalf("after sign out: %q", h.app.form.message.Text)
	}
}

func TestDeniedConsentReturnsToFormWithReason(t *testing.T) {
	robot := hrRobot()
	robot.Deny = true
	h := newUIHarness(t, robot, nil)
	h.app.Start()
	test.Tap(h.app.form.signIn)
	if h.app.signedIn != nil {
		t.Fatal("signed in although consent was denied")
	}
	if msg := h.app.form.message.Text; !strings.Contains(msg, "Access was denied on the consent page") {
		t.Fatalf("message %q", msg)
	}
}

func TestCancelWhileWaitingForBrowser(t *testing.T) {
	h := newUIHarness(t, nil, nil)
	h.browser = func(string) error {
		// The person gives up while the browser is open.
		test.Tap(h.app.waiting.cancel)
		return nil
	}
	h.app.Start()
	test.Tap(h.app.form.signIn)
	if h.app.signedIn != nil || h.app.form.message.Text != "Signing in was cancelled." {
		t.Fatalf("after cancel: signed in %v, message %q", h.app.signedIn != nil, h.app.form.message.Text)
	}
}

func TestFormValidationKeepsInput(t *testing.T) {
	h := newUIHarness(t, hrRobot(), nil)
	h.app.Start()
	f := h.app.form
	f.picker.SetSelected(choiceNew)
	if !f.tenantForm.Visible() {
		t.Fatal("new profile hides the tenant fields")
	}
	test.Type(f.clientID, "my-client")
	test.Tap(f.signIn)
	if !strings.Contains(f.message.Text, "Enter your tenant") {
		t.Fatalf("message %q", f.message.Text)
	}
	if f.clientID.Text != "my-client" {
		t.Fatal("typed input lost")
	}
	f.tenant.SetText("http://hr.example.com/CezanneOnDemand")
	test.Tap(f.signIn)
	if !strings.Contains(f.message.Text, "must use https") {
		t.Fatalf("message %q", f.message.Text)
	}
}

func TestProfileSignInStoresAndResumes(t *testing.T) {
	h := newUIHarness(t, hrRobot(), nil)
	p, secret := h.profile("Sandbox", sandbox.ClientDesktopOnDemand, nil)
	a := h.newApp(p)
	a.Start()
	// No stored sign-in and no secret yet: the form, filled from the profile.
	f := a.form
	if f.picker.Selected != "Sandbox" || f.clientID.Text != p.ClientID {
		t.Fatalf("form not filled from the profile: %q %q", f.picker.Selected, f.clientID.Text)
	}
	test.Type(f.secret, secret)
	test.Tap(f.signIn)
	if a.signedIn == nil {
		t.Fatalf("not signed in: %q", f.message.Text)
	}
	if rt, err := h.mem.Get("Sandbox", auth.EntryRefreshToken); err != nil || !strings.HasPrefix(rt, "qZR6!I") {
		t.Fatalf("refresh token not stored: %v", err)
	}
	if s, _ := h.mem.Get("Sandbox", auth.EntryClientSecret); s != secret {
		t.Fatal("typed client secret not stored")
	}
	if a.signedIn.session.kept.Text != "In the system keyring" {
		t.Fatalf("kept: %q", a.signedIn.session.kept.Text)
	}
	// Relaunches with the profile, then with none (the saved one): signed in, no browser.
	for _, prof := range []*auth.Profile{p, nil} {
		again := h.newApp(prof)
		again.Start()
		if again.signedIn == nil || again.signedIn.people.rows() == 0 {
			t.Fatalf("relaunch did not sign in from the store: %q", again.form.message.Text)
		}
		a = again
	}
	if h.browserOpens() != 1 {
		t.Fatalf("relaunch opened the browser (%d opens)", h.browserOpens())
	}
	// Sign out asks first; cancelling keeps the sign-in.
	test.Tap(findButton(t, a, "Sign out"))
	if a.signOutDialog == nil {
		t.Fatal("no confirmation before signing out")
	}
	a.signOutDialog.Hide()
	if a.signedIn == nil || !h.mem.Has("Sandbox", auth.EntryRefreshToken) {
		t.Fatal("cancelled sign-out still signed out")
	}
	a.ctl.signOut(true)
	if h.mem.Has("Sandbox", auth.EntryRefreshToken) || h.mem.Has("Sandbox", auth.EntryClientSecret) {
		t.Fatal("sign out everywhere kept keyring entries")
	}
	if !strings.Contains(a.form.message.Text, "client secret was removed") {
		t.Fatalf("message %q", a.form.message.Text)
	}
}

func TestProfilesImportExportSwitch(t *testing.T) {
	h := newUIHarness(t, hrRobot(), nil)
	a := h.app
	a.Start()
	f := a.form
	// IT hands out a profile file: import it.
	prodJSON := fmt.Sprintf(`{"name":"Production","base_url":%q,"client_id":%q,"redirect_uri":%q,"scopes":["APIRead"],"auto_approve":"true"}`,
		h.tenant.BaseURL(), sandbox.ClientDesktopOnDemand, h.redirect())
	f.importFrom(strings.NewReader(prodJSON))
	if f.picker.Selected != "Production" || f.clientID.Text != sandbox.ClientDesktopOnDemand || f.autoApprove.Selected != "true" {
		t.Fatalf("imported profile not shown: %q %q %q", f.picker.Selected, f.clientID.Text, f.autoApprove.Selected)
	}
	f.importFrom(strings.NewReader(`{"name":"x","subdomain":"w3","client_id":"c","client_secret":"s","redirect_uri":"http://127.0.0.1:1/","scopes":["APIRead"]}`))
	if !strings.Contains(f.message.Text, "does not belong") {
		t.Fatalf("profile with a secret imported: %q", f.message.Text)
	}
	// Export writes the same format, with no secrets.
	var out bytes.Buffer
	if err := exportProfile(&out, a.ctl.profiles.get("Production")); err != nil {
		t.Fatal(err)
	}
	if back, err := importProfile(&out); err != nil || back.ClientID != sandbox.ClientDesktopOnDemand {
		t.Fatalf("export does not import again: %v", err)
	}
	// Sign in to two profiles of different clients.
	test.Type(f.secret, h.secretOf(sandbox.ClientDesktopOnDemand))
	test.Tap(f.signIn)
	if a.signedIn == nil {
		t.Fatalf("Production: %q", f.message.Text)
	}
	test.Tap(findButton(t, a, "Sign out"))
	a.signOutDialog.Hide()
	test.Tap(findButton(t, a, "Reload")) // still signed in to Production
	a.ctl.signOut(false)
	test.Tap(findButton(t, a, "Sign in")) // sign in to Production again
	f.picker.SetSelected(choiceNew)
	f.name.SetText("Test tenant")
	f.tenant.SetText(h.tenant.BaseURL())
	f.clientID.SetText(sandbox.ClientDesktopAutomatic)
	f.secret.SetText(h.secretOf(sandbox.ClientDesktopAutomatic))
	f.redirect.SetText(h.redirect())
	test.Tap(f.signIn)
	if a.signedIn == nil || a.ctl.profile.Name != "Test tenant" {
		t.Fatalf("Test tenant: %q", f.message.Text)
	}
	// Each profile has its own keyring entries.
	for _, name := range []string{"Production", "Test tenant"} {
		if !h.mem.Has(name, auth.EntryRefreshToken) || !h.mem.Has(name, auth.EntryClientSecret) {
			t.Fatalf("%s has no keyring entries of its own", name)
		}
	}
	// Switching goes straight in from the keyring.
	opens := h.browserOpens()
	a.signedIn.switcher.SetSelected("Production")
	if a.signedIn == nil || a.ctl.profile.Name != "Production" || h.browserOpens() != opens {
		t.Fatalf("switch: signed in %v, profile %v, opens %d→%d", a.signedIn != nil, a.ctl.profile.Name, opens, h.browserOpens())
	}
	// Deleting a profile removes its keyring entries.
	a.ctl.removeProfile(a.ctl.profiles.get("Test tenant"))
	if a.ctl.profiles.get("Test tenant") != nil || h.mem.Has("Test tenant", auth.EntryRefreshToken) || h.mem.Has("Test tenant", auth.EntryClientSecret) {
		t.Fatal("deleted profile left behind")
	}
}

func (h *uiHarness) secretOf(clientID string) string {
	c, _ := h.tenant.Client(clientID)
	return c.Secret
}

func TestNoKeyringOffersSessionOnly(t *testing.T) {
	h := newUIHarness(t, hrRobot(), brokenStore{})
	p, secret := h.profile("Sandbox", sandbox.ClientDesktopOnDemand, nil)
	a := h.newApp(p)
	a.Start()
	f := a.form
	if !f.keyringNote.Visible() || !strings.Contains(f.keyringNote.Text, "No system keyring is available") ||
		!strings.Contains(f.keyringNote.Text, "this session only") || f.signIn.Text != "Sign in for this session only" {
		t.Fatalf("keyring problem not explained: %q / %q", f.keyringNote.Text, f.signIn.Text)
	}
	test.Type(f.secret, secret)
	test.Tap(f.signIn)
	if a.signedIn == nil {
		t.Fatalf("session-only sign-in failed: %q", f.message.Text)
	}
	if a.signedIn.session.kept.Text != "For this session only (nothing saved)" || !strings.Contains(a.signedIn.banner.Text, "Signed in for this session only") {
		t.Fatalf("kept %q, banner %q", a.signedIn.session.kept.Text, a.signedIn.banner.Text)
	}
}

// brokenStore is a keyring that is not there (no Secret Service).
type brokenStore struct{}

var errNoService = &auth.KeyringError{Op: "read", Err: errors.New("The name org.freedesktop.secrets was not provided by any .service files")}

func (brokenStore) Get(string, string) (string, error) { return "", errNoService }
func (brokenStore) Set(string, string, string) error   { return errNoService }
func (brokenStore) Delete(string, string) error        { return errNoService }

// failingStore works until told to fail writes.
type failingStore struct {
	*auth.MemoryStore
	mu   sync.Mutex
	fail bool
}

func (s *failingStore) Set(p, e, v string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail {
		return &auth.KeyringError{Op: "save the sign-in", Err: errors.New("the keyring is locked")}
	}
	return s.MemoryStore.Set(p, e, v)
}

func TestKeyringWriteFailureWarnsAndContinues(t *testing.T) {
	store := &failingStore{MemoryStore: auth.NewMemoryStore()}
	h := newUIHarness(t, hrRobot(), store)
	p, secret := h.profile("Sandbox", sandbox.ClientDesktopOnDemand, nil)
	a := h.newApp(p)
	signInWith(t, a, secret)
	before, _ := store.Get("Sandbox", auth.EntryRefreshToken)
	store.mu.Lock()
	store.fail = true
	store.mu.Unlock()
	test.Tap(findButton(t, a, "Refresh now"))
	v := a.signedIn
	if v == nil || !v.banner.Visible() || !strings.Contains(v.banner.Text, "signed in for this session only") {
		t.Fatalf("no warning after a failed keyring write: %+v", v)
	}
	if v.session.kept.Text != "For this session only: the keyring could not be written" {
		t.Fatalf("kept %q", v.session.kept.Text)
	}
	test.Tap(findButton(t, a, "Reload"))
	if a.signedIn == nil || a.signedIn.people.rows() == 0 {
		t.Fatal("session did not continue in memory")
	}
	if after, _ := store.Get("Sandbox", auth.EntryRefreshToken); after != before {
		t.Fatal("store changed although writes fail")
	}
}

func TestRevokedGrantPromptsOnce(t *testing.T) {
	h := newUIHarness(t, hrRobot(), nil)
	p, secret := h.profile("Sandbox", sandbox.ClientDesktopOnDemand, nil)
	a := h.newApp(p)
	signInWith(t, a, secret)
	h.srv.RevokeGrants("")
	test.Tap(findButton(t, a, "Reload"))
	if a.signedIn != nil {
		t.Fatal("still in the signed-in view after the grant was revoked")
	}
	if msg := a.form.message.Text; msg != "Your sign-in to Sandbox has expired or was revoked. Please sign in again." {
		t.Fatalf("prompt %q", msg)
	}
	if h.browserOpens() != 1 {
		t.Fatal("the browser was opened without the person asking")
	}
	if h.mem.Has("Sandbox", auth.EntryRefreshToken) {
		t.Fatal("revoked sign-in kept")
	}
}

func TestServiceAccountProfileInUI(t *testing.T) {
	h := newUIHarness(t, nil, nil)
	a := h.app
	a.Start()
	f := a.form
	f.picker.SetSelected(choiceNew)
	f.kind.SetSelected(kindService)
	if f.redirectForm.Visible() || f.browserForm.Visible() {
		t.Fatal("service account shows browser-only settings")
	}
	f.name.SetText("Payroll sync")
	f.tenant.SetText(h.tenant.BaseURL())
	f.clientID.SetText(sandbox.ClientService)
	f.secret.SetText(h.secretOf(sandbox.ClientService))
	test.Tap(f.signIn)
	if a.signedIn == nil {
		t.Fatalf("service account: %q", f.message.Text)
	}
	if h.browserOpens() != 0 {
		t.Fatal("service account opened the browser")
	}
	if a.ctl.session.Profile.GrantType != auth.GrantServiceAccount || a.signedIn.session.kept.Text != "Service account: a new token is requested when needed" {
		t.Fatalf("kept %q", a.signedIn.session.kept.Text)
	}
	// Relaunch: a service account needs no stored refresh token.
	again := h.newApp(nil)
	again.Start()
	if again.signedIn == nil {
		t.Fatalf("service account relaunch: %q", again.form.message.Text)
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

func TestKeyringWaitIsExplained(t *testing.T) {
	h := newUIHarness(t, nil, nil)
	a := h.app
	a.showProgress("Signing you in…", "Using the sign-in saved in your system keyring.")
	a.ctl.keyringWaiting("read the sign-in (refresh token)", true)
	if !a.progressNote.Visible() || !strings.Contains(a.progressNote.Text, "it may be asking for your password") {
		t.Fatalf("waiting note: %q", a.progressNote.Text)
	}
	a.ctl.keyringWaiting("read the sign-in (refresh token)", false)
	if a.progressNote.Visible() {
		t.Fatal("note stays after the keyring answered")
	}
}
