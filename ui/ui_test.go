package ui

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

// uiHarness runs the app's UI against a real sandbox tenant on loopback,
// with background work inline so that -race sees one UI goroutine.
type uiHarness struct {
	t       *testing.T
	app     *App
	tenant  *sandbox.Running
	browser func(string) error
	store   *auth.MemoryStore
	opened  []string
}

func newUIHarness(t *testing.T, robot *sandbox.Robot, profile *auth.Profile) *uiHarness {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	redirect := fmt.Sprintf("http://%s/oauth-callback/", ln.Addr())
	ln.Close()
	srv, err := sandbox.New(sandbox.Config{LoopbackRedirect: redirect, People: 500})
	if err != nil {
		t.Fatal(err)
	}
	tenant, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tenant.Close() })
	h := &uiHarness{t: t, tenant: tenant, store: auth.NewMemoryStore()}
	c, _ := tenant.Client(sandbox.ClientDesktopOnDemand)
	demo := func(context.Context) (*auth.Profile, string, error) {
		p := &auth.Profile{Name: "Demo tenant", Demo: true, BaseURL: tenant.BaseURL(), ClientID: c.ID, RedirectURI: redirect, Scopes: []string{auth.ScopeRead}}
		return p, c.Secret, p.Normalize()
	}
	h.browser = func(u string) error {
		h.opened = append(h.opened, u)
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
	a := test.NewTempApp(t)
	h.app = New(a, Options{
		Profile: profile, Store: h.store, Demo: demo, Go: func(f func()) { f() },
		OpenBrowser: func(u string) error { return h.browser(u) },
	})
	return h
}

func hrRobot() *sandbox.Robot {
	return &sandbox.Robot{Username: "hrprof@sandbox.cezannehr.com", Password: sandbox.DemoPassword}
}

func TestDemoSignInShowsTokenInfoAndPeople(t *testing.T) {
	h := newUIHarness(t, hrRobot(), nil)
	h.app.Start()
	f := h.app.form
	if f.choice.Selected != choiceDemo || f.tenantForm.Visible() {
		t.Fatal("with nothing configured the demo tenant should be preselected")
	}
	test.Tap(f.signIn)
	v := h.app.signedIn
	if v == nil {
		t.Fatalf("not signed in; form says %q", f.message.Text)
	}
	if got := v.people.len(); got != 200 {
		t.Fatalf("%d people in the table, want the first page of 200", got)
	}
	if v.status.Text != "Showing 200 of 500 people" {
		t.Fatalf("status %q", v.status.Text)
	}
	if !v.more.Visible() {
		t.Fatal("no way to load more")
	}
	test.Tap(v.more)
	if got := v.people.len(); got != 400 || v.status.Text != "Showing 400 of 500 people" {
		t.Fatalf("after Load more: %d rows, %q", got, v.status.Text)
	}
	if len(h.opened) != 1 || !strings.Contains(h.opened[0], "/OAuth/Authorize?") {
		t.Fatalf("browser opened %v", h.opened)
	}
	// The demo never writes to the real store.
	if _, err := h.store.Get("Demo tenant", auth.EntryRefreshToken); err == nil {
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
	f.choice.SetSelected(choiceTenant)
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
	c, _ := h.tenant.Client(sandbox.ClientDesktopOnDemand)
	p := &auth.Profile{Name: "Sandbox", BaseURL: h.tenant.BaseURL(), ClientID: c.ID, RedirectURI: c.RedirectURIs[0], Scopes: []string{"APIRead"}}
	if err := p.Normalize(); err != nil {
		t.Fatal(err)
	}
	h.app.opts.Profile = p
	h.app.Start()
	// No stored sign-in and no secret yet: the form, filled from the profile.
	f := h.app.form
	if f.choice.Selected != choiceTenant || f.clientID.Text != c.ID {
		t.Fatalf("form not filled from the profile: %q %q", f.choice.Selected, f.clientID.Text)
	}
	test.Type(f.secret, c.Secret)
	test.Tap(f.signIn)
	if h.app.signedIn == nil {
		t.Fatalf("not signed in: %q", f.message.Text)
	}
	if rt, err := h.store.Get("Sandbox", auth.EntryRefreshToken); err != nil || !strings.HasPrefix(rt, "qZR6!I") {
		t.Fatalf("refresh token not stored: %v", err)
	}
	if s, _ := h.store.Get("Sandbox", auth.EntryClientSecret); s != c.Secret {
		t.Fatal("typed client secret not stored")
	}
	// A second launch with the same store opens signed in, with no browser.
	h.opened = nil
	again := New(test.NewTempApp(t), Options{Profile: p, Store: h.store, Go: func(f func()) { f() },
		OpenBrowser: func(u string) error { h.opened = append(h.opened, u); return nil }})
	again.Start()
	if again.signedIn == nil || again.signedIn.people.len() == 0 {
		t.Fatalf("relaunch did not sign in from the store: %q", again.form.message.Text)
	}
	if len(h.opened) != 0 {
		t.Fatal("relaunch opened the browser")
	}
	// Sign out asks first; with the box ticked it forgets the secret too.
	test.Tap(findButton(t, again, "Sign out"))
	if again.signOutDialog == nil {
		t.Fatal("no confirmation before signing out")
	}
	again.signOutDialog.Hide()
	if again.signedIn == nil || h.store.Has("Sandbox", auth.EntryRefreshToken) == false {
		t.Fatal("cancelled sign-out still signed out")
	}
	again.signOut(true)
	if h.store.Has("Sandbox", auth.EntryRefreshToken) || h.store.Has("Sandbox", auth.EntryClientSecret) {
		t.Fatal("sign out everywhere kept keyring entries")
	}
	if !strings.Contains(again.form.message.Text, "client secret was removed") {
		t.Fatalf("message %q", again.form.message.Text)
	}
}

func findButton(t *testing.T, a *App, label string) *widgetButton {
	t.Helper()
	for _, o := range test.LaidOutObjects(a.win.Content()) {
		if b, ok := o.(*widgetButton); ok && b.Text == label {
			return b
		}
	}
	t.Fatalf("no %q button on screen", label)
	return nil
}

type widgetButton = widget.Button
