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
	browser := startChromium(t)
	redirect := freeLoopbackURI(t)
	tenant := sandboxtest.Start(t, sandbox.Config{LoopbackRedirect: redirect})
	srv := tenant.Server
	traces := filepath.Join(outputDir(t), "qa-traces")
	if err := os.MkdirAll(traces, 0o755); err != nil {
		t.Fatal(err)
	}
	clients := map[sandbox.AutoApproveMode]string{
		sandbox.AutoApproveDisabled: sandbox.ClientDesktopDisabled, sandbox.AutoApproveAutomatic: sandbox.ClientDesktopAutomatic,
		sandbox.AutoApproveOnDemand: sandbox.ClientDesktopOnDemand,
	}
	tests := []struct {
		mode          sandbox.AutoApproveMode
		param         string // auth.AutoApproveOmit, True, False
		first, second bool   // consent page shown?
	}{
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
	profile := func(clientID, autoApprove string) (*auth.Profile, string) {
		c, ok := srv.OAuthClient(clientID)
		if !ok {
			t.Fatalf("no sandbox client %s", clientID)
		}
		p := &auth.Profile{Name: "QA " + clientID, BaseURL: tenant.BaseURL(), ClientID: c.ID, RedirectURI: redirect,
			Scopes: []string{auth.ScopeRead}, AutoApprove: autoApprove}
		if err := p.Normalize(); err != nil {
			t.Fatal(err)
		}
		return p, c.Secret
	}
	for _, tt := range tests {
		name := string(tt.mode) + "-auto_approve-" + tt.param
		t.Run(name, func(t *testing.T) {
			srv.ClearConsents("")
			p, secret := profile(clients[tt.mode], tt.param)
			who := browser.newPerson(t, "hrprof@sandbox.cezannehr.com", sandbox.DemoPassword)
			for i, wantConsent := range []bool{tt.first, tt.second} {
				run := signInWithChromium(t, p, secret, who, false, filepath.Join(traces, name+[]string{"-first", "-second"}[i]+".json"))
				if run.err != nil {
					t.Fatalf("authorisation %d: %v", i+1, run.err)
				}
				if run.visit.ConsentShown != wantConsent {
					t.Errorf("authorisation %d: consent page shown = %v, want %v", i+1, run.visit.ConsentShown, wantConsent)
				}
				if run.visit.LoginShown != (i == 0) {
					t.Errorf("authorisation %d: login page shown = %v", i+1, run.visit.LoginShown)
				}
				if run.visit.AppTitle == "" || !strings.Contains(run.visit.AppTitle, "Sign-in received") {
					t.Errorf("authorisation %d: the app's page says %q", i+1, run.visit.AppTitle)
				}
				checkSignedInTrace(t, run.steps, tt.param)
			}
		})
	}
	t.Run("deny", func(t *testing.T) {
		srv.ClearConsents("")
		p, secret := profile(sandbox.ClientDesktopOnDemand, auth.AutoApproveOmit)
		who := browser.newPerson(t, "hrprof@sandbox.cezannehr.com", sandbox.DemoPassword)
		run := signInWithChromium(t, p, secret, who, true, filepath.Join(traces, "deny.json"))
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
		if cb.Field("state matched") != "yes" || cb.Field("error") != "access_denied" || !strings.HasPrefix(cb.Error, "access_denied") {
			t.Errorf("callback step %+v", cb)
		}
		if out.Title != "Failed" || out.Error == "" {
			t.Errorf("outcome %+v", out)
		}
	})
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
	want := autoApprove
	if autoApprove == auth.AutoApproveOmit {
		want = ""
	}
	if authz.Field("auto_approve") != want || authz.Field("client_id") == "" || authz.Field("code_challenge") == "" {
		t.Errorf("Authorize URL fields %+v", authz.Fields)
	}
	if cb.Field("state matched") != "yes" || cb.Error != "" || !strings.Contains(cb.Field("code"), "…") {
		t.Errorf("callback %+v", cb)
	}
	if req.Field("grant_type") != "authorization_code" || !strings.Contains(req.Field("client_secret"), "…") {
		t.Errorf("token request %+v", req.Fields)
	}
	if resp.Status != 200 || resp.Field("expires_in") == "" || !strings.Contains(resp.Field("scope"), "APIRead") {
		t.Errorf("token response %+v", resp)
	}
	if out.Title != "Signed in" || out.Error != "" {
		t.Errorf("outcome %+v", out)
	}
}
