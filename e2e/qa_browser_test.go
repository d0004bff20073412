package e2e

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/trace"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox/sandboxtest"
)

// qaRun is one browser sign-in of the matrix: the auth layer runs the flow
// with a trace while Chromium plays the person.
type qaRun struct {
	visit browserVisit
	steps []trace.Step
	err   error
}

// signInWithChromium runs auth.SignIn for the profile with who in the
// browser, exports the run's trace as JSON to file and reads it back.
func signInWithChromium(t *testing.T, p *auth.Profile, secret string, who *person, deny bool, file string) qaRun {
	t.Helper()
	tr := trace.New(trace.Meta{App: "e2e", Profile: p})
	visits := make(chan browserVisit, 1)
	browserErr := make(chan error, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := auth.SignIn(ctx, auth.Options{
		Profile: p, ClientSecret: secret, Store: keyring.NewMemoryStore(), Trace: tr.SignInHooks(), Timeout: time.Minute,
		OpenBrowser: func(u string) error {
			go func() {
				v, err := who.authorize(u, p.RedirectURI, deny)
				if err != nil {
					cancel() // the app would wait in vain
				}
				browserErr <- err
				visits <- v
			}()
			return nil
		},
	})
	if berr := <-browserErr; berr != nil {
		t.Fatalf("browser: %v", berr)
	}
	run := qaRun{visit: <-visits, err: err}
	if err := tr.Save(file); err != nil {
		t.Fatal(err)
	}
	_, run.steps = readTraceFile(t, file)
	return run
}

// readTraceFile reads an exported JSON trace back.
func readTraceFile(t *testing.T, path string) (trace.Meta, []trace.Step) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("no trace written: %v", err)
	}
	defer f.Close()
	meta, steps, err := trace.ReadJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	return meta, steps
}

// kinds lists the step kinds of a trace, for messages and comparisons.
func kinds(steps []trace.Step) string {
	var k []string
	for _, s := range steps {
		k = append(k, string(s.Kind))
	}
	return strings.Join(k, ",")
}

// TestAutoApproveMatrixInChromium: Debian's Chromium signs in on the
// sandbox's login page and sees (or does not see) the consent page by the
// documented rules — 3 modes × auto_approve omitted/true/false × first and
// second authorisation — while the app's auth layer completes each flow;
// then a denial. Every run's exported trace must show the expected steps.
func TestAutoApproveMatrixInChromium(t *testing.T) {
	m := newQAMatrix(t)
	tests := []qaCase{
		{sandbox.AutoApproveDisabled, auth.AutoApproveOmit, true, true},
		{sandbox.AutoApproveDisabled, auth.AutoApproveTrue, true, true},
		{sandbox.AutoApproveDisabled, auth.AutoApproveFalse, true, true},
		{sandbox.AutoApproveAutomatic, auth.AutoApproveOmit, true, false},
		{sandbox.AutoApproveAutomatic, auth.AutoApproveTrue, true, false},
		{sandbox.AutoApproveAutomatic, auth.AutoApproveFalse, true, false},
		{sandbox.AutoApproveOnDemand, auth.AutoApproveOmit, true, true},
		{sandbox.AutoApproveOnDemand, auth.AutoApproveTrue, true, false},
		{sandbox.AutoApproveOnDemand, auth.AutoApproveFalse, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name(), func(t *testing.T) { m.signInTwice(t, tt) })
	}
	t.Run("deny", m.deny)
}

// qaCase is one cell of the auto-approve matrix.
type qaCase struct {
	mode          sandbox.AutoApproveMode
	param         string // auth.AutoApproveOmit, True, False
	first, second bool   // consent page shown?
}

func (tt qaCase) name() string { return string(tt.mode) + "-auto_approve-" + tt.param }

// qaClients are the sandbox's desktop clients, one for each auto-approve mode.
var qaClients = map[sandbox.AutoApproveMode]string{
	sandbox.AutoApproveDisabled: sandbox.ClientDesktopDisabled, sandbox.AutoApproveAutomatic: sandbox.ClientDesktopAutomatic,
	sandbox.AutoApproveOnDemand: sandbox.ClientDesktopOnDemand,
}

// qaMatrix is the browser and the sandbox tenant the matrix signs in with,
// and the folder that keeps every run's trace.
type qaMatrix struct {
	browser  *chromium
	tenant   *sandbox.Running
	redirect string
	traces   string
}

func newQAMatrix(t *testing.T) *qaMatrix {
	t.Helper()
	m := &qaMatrix{browser: startChromium(t), redirect: freeLoopbackURI(t), traces: filepath.Join(outputDir(t), "qa-traces")}
	m.tenant = sandboxtest.Start(t, sandbox.Config{LoopbackRedirect: m.redirect})
	if err := os.MkdirAll(m.traces, 0o755); err != nil {
		t.Fatal(err)
	}
	return m
}

// profile is a profile for the sandbox client clientID, and its secret.
func (m *qaMatrix) profile(t *testing.T, clientID, autoApprove string) (*auth.Profile, string) {
	t.Helper()
	c, ok := m.tenant.OAuthClient(clientID)
	if !ok {
		t.Fatalf("no sandbox client %s", clientID)
	}
	p := &auth.Profile{Name: "QA " + clientID, BaseURL: m.tenant.BaseURL(), ClientID: c.ID, RedirectURI: m.redirect,
		Scopes: []string{auth.ScopeRead}, AutoApprove: autoApprove}
	if err := p.Normalize(); err != nil {
		t.Fatal(err)
	}
	return p, c.Secret
}

// signInTwice signs in for the first time, with no consent remembered, and
// again as the same person, checking what the browser showed and traced.
func (m *qaMatrix) signInTwice(t *testing.T, tt qaCase) {
	m.tenant.ClearConsents("")
	p, secret := m.profile(t, qaClients[tt.mode], tt.param)
	who := m.browser.newPerson(t, "hrprof@sandbox.cezannehr.com", sandbox.DemoPassword)
	for i, wantConsent := range []bool{tt.first, tt.second} {
		run := signInWithChromium(t, p, secret, who, false, filepath.Join(m.traces, tt.name()+[]string{"-first", "-second"}[i]+".json"))
		if run.err != nil {
			t.Fatalf("authorisation %d: %v", i+1, run.err)
		}
		checkVisit(t, i+1, run.visit, wantConsent)
		checkSignedInTrace(t, run.steps, tt.param)
	}
}

// checkVisit checks what the browser showed in authorisation n: the login
// page only the first time, the consent page as the matrix says, and then
// the app's page.
func checkVisit(t *testing.T, n int, v browserVisit, wantConsent bool) {
	t.Helper()
	if v.ConsentShown != wantConsent {
		t.Errorf("authorisation %d: consent page shown = %v, want %v", n, v.ConsentShown, wantConsent)
	}
	if v.LoginShown != (n == 1) {
		t.Errorf("authorisation %d: login page shown = %v", n, v.LoginShown)
	}
	if v.AppTitle == "" || !strings.Contains(v.AppTitle, "Sign-in received") {
		t.Errorf("authorisation %d: the app's page says %q", n, v.AppTitle)
	}
}

// deny: the person refuses on the consent page; the sign-in fails with the
// tenant's access_denied, and the trace ends at the callback.
func (m *qaMatrix) deny(t *testing.T) {
	m.tenant.ClearConsents("")
	p, secret := m.profile(t, sandbox.ClientDesktopOnDemand, auth.AutoApproveOmit)
	who := m.browser.newPerson(t, "hrprof@sandbox.cezannehr.com", sandbox.DemoPassword)
	run := signInWithChromium(t, p, secret, who, true, filepath.Join(m.traces, "deny.json"))
	var ae *auth.AuthorizeError
	if !errors.As(run.err, &ae) || ae.Code != "access_denied" {
		t.Fatalf("a denial gave %v", run.err)
	}
	if !run.visit.ConsentShown || !strings.Contains(run.visit.AppTitle, "did not complete") {
		t.Errorf("visit %+v", run.visit)
	}
	if got := kinds(run.steps); got != "authorize_url,browser_opened,callback,outcome" {
		t.Fatalf("steps %s", got)
	}
	cb, out := run.steps[2], run.steps[3]
	wantFields(t, "callback", cb, map[string]string{"state matched": "yes", "error": "access_denied"}, nil)
	if !strings.HasPrefix(cb.Error, "access_denied") {
		t.Errorf("callback error %q, want access_denied", cb.Error)
	}
	wantOutcome(t, out, "Failed", true)
}

// checkSignedInTrace: a successful browser sign-in traces the Authorize URL
// (with auto_approve only when set), the browser, a callback whose state
// matched, the code exchange and a 200 token response with the scope.
func checkSignedInTrace(t *testing.T, steps []trace.Step, autoApprove string) {
	t.Helper()
	if got := kinds(steps); got != "authorize_url,browser_opened,callback,token_request,token_response,outcome" {
		t.Fatalf("trace steps %s", got)
	}
	authz, cb, req, resp, out := steps[0], steps[2], steps[3], steps[4], steps[5]
	// An omitted auto_approve is shown as such in the trace, and is not on
	// the wire.
	want := autoApprove
	if autoApprove == auth.AutoApproveOmit {
		want = "(omitted)"
		if strings.Contains(authz.URL, "auto_approve") {
			t.Errorf("auto_approve was sent although omitted: %s", authz.URL)
		}
	}
	wantFields(t, "Authorize URL", authz, map[string]string{"auto_approve": want}, map[string]string{"client_id": "", "code_challenge": ""})
	wantFields(t, "callback", cb, map[string]string{"state matched": "yes"}, map[string]string{"code": "…"})
	if cb.Error != "" {
		t.Errorf("callback error %q", cb.Error)
	}
	wantFields(t, "token request", req, map[string]string{"grant_type": "authorization_code"}, map[string]string{"client_secret": "…"})
	if resp.Status != 200 {
		t.Errorf("token response status %d", resp.Status)
	}
	wantFields(t, "token response", resp, nil, map[string]string{"expires_in": "", "scope": "APIRead"})
	wantOutcome(t, out, "Signed in", false)
}

// wantFields checks the fields of a step: each in is must have exactly its
// value, and each in has must have a value that contains its value ("" asks
// only for a value; "…" for a redacted one).
func wantFields(t *testing.T, step string, st trace.Step, is, has map[string]string) {
	t.Helper()
	for name, want := range is {
		if got := st.Field(name); got != want {
			t.Errorf("%s: %s = %q, want %q (fields %+v)", step, name, got, want, st.Fields)
		}
	}
	for name, want := range has {
		if got := st.Field(name); got == "" || !strings.Contains(got, want) {
			t.Errorf("%s: %s = %q, want a value containing %q (fields %+v)", step, name, got, want, st.Fields)
		}
	}
}

// wantOutcome checks the title of the outcome step, and that it has an
// error if and only if the sign-in failed.
func wantOutcome(t *testing.T, out trace.Step, title string, failed bool) {
	t.Helper()
	if out.Title != title || (out.Error != "") != failed {
		t.Errorf("outcome %+v, want %q (failed %v)", out, title, failed)
	}
}
