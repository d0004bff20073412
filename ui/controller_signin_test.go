package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/trace"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

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
		{"secret saved for another tenant", fmt.Errorf("%w; %w", &keyring.BindingError{Entry: keyring.EntryClientSecret}, auth.ErrNoClientSecret), false,
			[]string{"form: The saved client secret was saved for another tenant or client ID, so it is not used; enter the client secret for this application."}},
		{"revoked", fmt.Errorf("refresh: %w", auth.ErrSignInAgain), false,
			[]string{"form: Your sign-in to Sandbox has expired or was revoked. Please sign in again."}},
		{"revoked, --sign-in", auth.ErrSignInAgain, true,
			[]string{"form: Your sign-in to Sandbox has expired or was revoked. Please sign in again.", "submit"}},
		{"renewal answer lost", fmt.Errorf("refresh: %w", &auth.LostAnswerError{Err: errors.New("connection reset by peer")}), false,
			[]string{"form: Your sign-in to Sandbox ended: The connection to the Cezanne tenant broke while it was renewing your sign-in (connection reset by peer). The tenant may already have replaced it, and asking again with the old one could make the tenant revoke it, so the app stopped; please sign in again."}},
		{"other failure", errors.New("the tenant is down"), true, []string{"form: The tenant is down."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newControllerHarness(t)
			_ = auth.Secrets(h.store, saved("Sandbox")).Set("Sandbox", keyring.EntryClientSecret, "s3cret")
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

func TestDeniedConsentReturnsToFormWithReason(t *testing.T) {
	robot := hrRobot()
	robot.Deny = true
	h := newUIHarness(t, robot, nil)
	h.app.Start()
	test.Tap(h.app.form().signIn)
	if h.app.signedIn != nil {
		t.Fatal("signed in although consent was denied")
	}
	if msg := h.app.form().message.Text; !strings.Contains(msg, "Access was denied on the consent page") {
		t.Fatalf("message %q", msg)
	}
}

func TestProfileSignInStoresAndResumes(t *testing.T) {
	h := newUIHarness(t, hrRobot(), nil)
	p, secret := h.profile("Sandbox", sandbox.ClientDesktopOnDemand, nil)
	signInAndStore(t, h, p, secret)
	var a *App
	// Relaunches with the profile, then with none (the saved one): signed in, no browser.
	for _, prof := range []*auth.Profile{p, nil} {
		again := h.newApp(prof)
		again.Start()
		if again.signedIn == nil || again.signedIn.people.rows() == 0 {
			t.Fatalf("relaunch did not sign in from the store: %q", again.form().message.Text)
		}
		// Straight to People: the form is made only when it shows.
		if again.madeForm != nil {
			t.Fatal("a relaunch that resumed its sign-in made the profile form")
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
	if a.signedIn == nil || !stored(h.mem, "Sandbox", keyring.EntryRefreshToken) {
		t.Fatal("cancelled sign-out still signed out")
	}
	a.ctl.signOut(true)
	if stored(h.mem, "Sandbox", keyring.EntryRefreshToken) || stored(h.mem, "Sandbox", keyring.EntryClientSecret) {
		t.Fatal("sign out everywhere kept keyring entries")
	}
	if !strings.Contains(a.form().message.Text, "client secret was removed") {
		t.Fatalf("message %q", a.form().message.Text)
	}
	// Made at sign-out, the form shows the profile chosen at the start.
	if got := a.form().picker.Selected; got != "Sandbox" {
		t.Fatalf("the form made at sign-out shows %q, want Sandbox", got)
	}
}

// signInAndStore launches the app with profile p and signs in by typing its
// secret: the sign-in and the secret are kept in the keyring.
func signInAndStore(t *testing.T, h *uiHarness, p *auth.Profile, secret string) {
	t.Helper()
	a := h.newApp(p)
	h.app = a
	a.Start()
	// No stored sign-in and no secret yet: the form, filled from the profile.
	f := a.form()
	if f.picker.Selected != "Sandbox" || f.clientID.Text != p.ClientID {
		t.Fatalf("form not filled from the profile: %q %q", f.picker.Selected, f.clientID.Text)
	}
	test.Type(f.secret, secret)
	test.Tap(f.signIn)
	if a.signedIn == nil {
		t.Fatalf("not signed in: %q", f.message.Text)
	}
	if rt, err := auth.Secrets(h.mem, p).Get("Sandbox", keyring.EntryRefreshToken); err != nil || !strings.HasPrefix(rt, "qZR6!I") {
		t.Fatalf("refresh token not stored: %v", err)
	}
	if s, _ := auth.Secrets(h.mem, p).Get("Sandbox", keyring.EntryClientSecret); s != secret {
		t.Fatal("typed client secret not stored")
	}
	if a.signedIn.session.kept.Text != "In the system keyring" {
		t.Fatalf("kept: %q", a.signedIn.session.kept.Text)
	}
}

func TestServiceAccountProfileInUI(t *testing.T) {
	h := newUIHarness(t, nil, nil)
	a := h.app
	a.Start()
	f := a.form()
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
		t.Fatalf("service account relaunch: %q", again.form().message.Text)
	}
}

// TestSignInAgainStartsAFreshAuthorisation: "Sign in again" opens the
// browser again, in a new trace, and signs in anew.
func TestSignInAgainStartsAFreshAuthorisation(t *testing.T) {
	h := newUIHarness(t, hrRobot(), nil)
	h.app.Start()
	test.Tap(h.app.form().signIn)
	if h.app.signedIn == nil {
		t.Fatal("not signed in")
	}
	first := h.app.Trace()
	test.Tap(findButton(t, h.app, "Sign in again"))
	if h.app.signedIn == nil || h.browserOpens() != 2 {
		t.Fatalf("signed in %v, browser opened %d times", h.app.signedIn != nil, h.browserOpens())
	}
	if h.app.Trace() == first || h.app.signedIn.trace.trace != h.app.Trace() {
		t.Fatal("the second sign-in did not start a new trace")
	}
	if steps := h.app.Trace().Steps(); len(steps) == 0 || steps[0].Kind != trace.StepAuthorize {
		t.Fatalf("new trace %v", steps)
	}
}

// TestExtraScopesAreRequested: QA's extra scopes go to the tenant, and the
// trace shows what was not granted.
func TestExtraScopesAreRequested(t *testing.T) {
	h := newUIHarness(t, hrRobot(), nil)
	h.app.Start()
	test.Type(h.app.form().qaScopes, "APIWrite")
	test.Tap(h.app.form().signIn)
	if len(h.opened) == 0 || !strings.Contains(h.opened[0], "APIWrite") {
		t.Fatalf("opened %v", h.opened)
	}
	authz := h.app.Trace().Steps()[0]
	if !strings.Contains(authz.Field("scope"), auth.ScopeWrite) || !strings.Contains(authz.Field("scope"), auth.ScopeRead) {
		t.Fatalf("scope %q", authz.Field("scope"))
	}
}

// TestBrowserOutcomeReachesTheWaitingScreen: when the browser cannot be
// opened, the waiting screen stays (with the link) and the sign-in still
// finishes once the person has pasted the link into a browser.
func TestBrowserOutcomeReachesTheWaitingScreen(t *testing.T) {
	const link = "https://w3.cezanneondemand.com/CezanneOnDemand/OAuth/Authorize?client_id=c"
	tests := []struct {
		name string
		err  error
		want []string
	}{
		{"opened", nil, []string{"waiting: Sandbox", "attempt: " + link, "browser opened",
			"status: Signed in. Loading your details…", "signed-in: hrprof session-only=false"}},
		{"no browser", errors.New("xdg-open could not open a browser (exit status 3)"), []string{"waiting: Sandbox", "attempt: " + link,
			"browser failed: xdg-open could not open a browser (exit status 3)",
			"status: Signed in. Loading your details…", "signed-in: hrprof session-only=false"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newControllerHarness(t)
			h.c.flows.signIn = func(_ context.Context, o auth.Options) (*auth.Session, error) {
				o.OnAttempt(&auth.Attempt{URL: link})
				o.OnBrowser(tt.err)
				return &auth.Session{Profile: o.Profile}, nil
			}
			h.c.signIn(saved("Sandbox"), "typed")
			h.run()
			if got := h.since(0); !slices.Equal(got, tt.want) {
				t.Fatalf("screens %q, want %q", got, tt.want)
			}
		})
	}
}

// TestOpenTheBrowserAgainRunsInTheBackground: the opener may return only
// when the browser quits, so "Open the browser again" hands it to a
// goroutine; its outcome reaches the waiting screen only while it shows.
func TestOpenTheBrowserAgainRunsInTheBackground(t *testing.T) {
	tests := []struct {
		name  string
		err   error
		leave bool // the person cancels before the opener answers
		want  []string
	}{
		{"opened", nil, false, []string{"browser opened"}},
		{"failed", errors.New("none of xdg-open is installed"), false, []string{"browser failed: none of xdg-open is installed"}},
		{"cancelled meanwhile", nil, true, []string{"form (info): Signing in was cancelled."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opened []string
			h := newControllerHarness(t, func(o *Options) {
				o.OpenBrowser = func(u string) error { opened = append(opened, u); return tt.err }
			})
			h.c.signIn(saved("Sandbox"), "typed")
			h.queue = nil // the sign-in waits for the browser meanwhile
			n := len(h.screens.calls)
			h.c.openBrowserAgain("https://w3/authorize")
			if len(opened) != 0 || len(h.queue) != 1 {
				t.Fatalf("the opener ran on the UI goroutine (opened %q, %d queued)", opened, len(h.queue))
			}
			if tt.leave {
				h.c.cancelSignIn()
			}
			h.run()
			if !slices.Equal(opened, []string{"https://w3/authorize"}) {
				t.Fatalf("opened %q", opened)
			}
			if got := h.since(n); !slices.Equal(got, tt.want) {
				t.Fatalf("screens %q, want %q", got, tt.want)
			}
		})
	}
}
