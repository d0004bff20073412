package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
)

// TestFlowTraceTab: a sign-in with QA options shows every step in the trace
// tab; steps can be inspected, copied as curl and exported, and no export
// holds a secret.
func TestFlowTraceTab(t *testing.T) {
	h := newUIHarness(t, hrRobot(), nil)
	h.app.Start()
	f := h.app.form
	test.Type(f.qaState, "qa-state-42")
	test.Tap(f.signIn)
	v := h.app.signedIn
	if v == nil {
		t.Fatalf("not signed in: %q", f.message.Text)
	}
	if !strings.Contains(h.opened[0], "state=qa-state-42") {
		t.Fatalf("custom state not sent: %s", h.opened[0])
	}
	if len(v.tabs.Items) != 2 || v.tabs.Items[1].Text != "Flow trace" {
		t.Fatal("no Flow trace tab")
	}
	tv := v.trace
	want := []auth.StepKind{auth.StepAuthorize, auth.StepBrowser, auth.StepCallback, auth.StepTokenRequest, auth.StepTokenResponse, auth.StepOutcome, auth.StepTokenInfo}
	if len(tv.steps) < len(want)+2 {
		t.Fatalf("%d steps in the trace tab", len(tv.steps))
	}
	for i, k := range want {
		if tv.steps[i].Kind != k {
			t.Fatalf("step %d is %s, want %s", i+1, tv.steps[i].Kind, k)
		}
	}
	// $metadata and the first People page follow TokenInfo.
	if last := tv.steps[len(tv.steps)-1]; last.Kind != auth.StepAPICall || last.Status != 200 {
		t.Fatalf("last step %+v", last)
	}
	if !strings.Contains(tv.summary.Text, "API calls") {
		t.Fatalf("summary %q", tv.summary.Text)
	}

	tv.list.Select(0)
	if tv.title.Text != "Authorize URL" || !tv.copyURL.Visible() || tv.copyURL.Disabled() {
		t.Fatalf("authorize step shows %q", tv.title.Text)
	}
	test.Tap(tv.copyURL)
	if got := h.fyneApp.Clipboard().Content(); !strings.Contains(got, "/OAuth/Authorize?") {
		t.Fatalf("copied %q", got)
	}
	tv.list.Select(3)
	test.Tap(tv.curlBtn)
	if got := h.fyneApp.Clipboard().Content(); !strings.Contains(got, "$CLIENT_SECRET") || !strings.Contains(got, "$CODE") {
		t.Fatalf("curl copied %q", got)
	}
	tv.list.Select(4)
	if !tv.reveal.Visible() {
		t.Fatal("no reveal on the token response")
	}
	tok, _ := h.app.ctl.session.Token()
	if tv.trace.RevealAccessToken() != tok.AccessToken {
		t.Fatal("reveal would not show the session's access token")
	}
	for _, o := range test.LaidOutObjects(h.app.win.Content()) {
		if strings.Contains(textOf(o), tok.AccessToken) {
			t.Fatal("the access token is on screen before reveal")
		}
	}

	dir := t.TempDir()
	c, _ := h.tenant.Client("desktop-ondemand.sandbox.cezannehr.com")
	for _, name := range []string{"trace.md", "trace.json"} {
		path := filepath.Join(dir, name)
		tv.exportTo(path)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{tok.AccessToken, tok.RefreshToken, c.Secret} {
			if strings.Contains(string(b), secret) {
				t.Fatalf("%s contains a secret", name)
			}
		}
		if !strings.Contains(string(b), "qa-state-42") {
			t.Fatalf("%s lacks the custom state", name)
		}
		if !strings.Contains(tv.status.Text, "Trace exported to") {
			t.Fatalf("status %q", tv.status.Text)
		}
	}
}

// TestSignInAgainStartsAFreshAuthorisation: "Sign in again" opens the
// browser again, in a new trace, and signs in anew.
func TestSignInAgainStartsAFreshAuthorisation(t *testing.T) {
	h := newUIHarness(t, hrRobot(), nil)
	h.app.Start()
	test.Tap(h.app.form.signIn)
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
	if steps := h.app.Trace().Steps(); len(steps) == 0 || steps[0].Kind != auth.StepAuthorize {
		t.Fatalf("new trace %v", steps)
	}
}

// TestExtraScopesAreRequested: QA's extra scopes go to the tenant, and the
// trace shows what was not granted.
func TestExtraScopesAreRequested(t *testing.T) {
	h := newUIHarness(t, hrRobot(), nil)
	h.app.Start()
	test.Type(h.app.form.qaScopes, "APIWrite")
	test.Tap(h.app.form.signIn)
	if len(h.opened) == 0 || !strings.Contains(h.opened[0], "APIWrite") {
		t.Fatalf("opened %v", h.opened)
	}
	authz := h.app.Trace().Steps()[0]
	if !strings.Contains(authz.Field("scope"), auth.ScopeWrite) || !strings.Contains(authz.Field("scope"), auth.ScopeRead) {
		t.Fatalf("scope %q", authz.Field("scope"))
	}
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

// TestDemoSignInThroughCustomScheme: the QA switch moves the demo to its
// x-cez client; signing in asks to register x-cez:// links, and the link
// the OS would hand over completes the sign-in. A replay is refused.
func TestDemoSignInThroughCustomScheme(t *testing.T) {
	robot := hrRobot()
	robot.NoDeliver = true
	h := newUIHarness(t, nil, nil)
	dir := t.TempDir()
	reg := &auth.XDGRegistration{Exe: "/usr/bin/cezanne-desktop", DataHome: filepath.Join(dir, "data"), ConfigHome: filepath.Join(dir, "config")}
	inbox := &auth.SchemeInbox{}
	h.app = h.newApp(nil, func(o *Options) { o.Schemes, o.SchemeInbox = reg, inbox })
	links := make(chan string, 1)
	h.browser = func(u string) error {
		go func() {
			res, err := robot.Run(context.Background(), u)
			if err != nil {
				t.Errorf("robot: %v", err)
			}
			links <- res.RedirectURL
			// What the instance channel does with the link a second
			// process forwarded (from its own goroutine).
			if err := inbox.Deliver(res.RedirectURL); err != nil {
				t.Errorf("deliver: %v", err)
			}
		}()
		return nil
	}
	h.app.Start()
	f := h.app.form
	f.callback.SetSelected(callbackScheme)
	if !f.schemeRow.Visible() || !f.register.Visible() || !strings.Contains(f.schemeNote.Text, "do not open") {
		t.Fatalf("scheme note %q", f.schemeNote.Text)
	}
	test.Tap(f.signIn)
	// The registration question is a dialog over the window: confirm it.
	confirmDialog(t, h.app, "Yes")
	if ok, _ := reg.Registered("x-cez"); !ok {
		t.Fatal("not registered after the person agreed")
	}
	link := <-links
	if !strings.HasPrefix(link, "x-cez://oauth-callback/?code=") {
		t.Fatalf("the tenant redirected to %s", link)
	}
	if h.app.signedIn == nil {
		t.Fatalf("not signed in: %q", f.message.Text)
	}
	if steps := h.app.Trace().Steps(); steps[2].Title != "Callback received on the x-cez:// link" {
		t.Fatalf("trace step 3: %s", steps[2].Title)
	}
	if err := h.app.ReceiveLink(link); !errors.Is(err, auth.ErrNoSignInWaiting) {
		t.Fatalf("a replayed link: %v", err)
	}
	if !strings.Contains(h.app.signedIn.banner.Text, "no sign-in was waiting") {
		t.Fatalf("banner %q", h.app.signedIn.banner.Text)
	}
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
