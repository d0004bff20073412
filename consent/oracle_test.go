package consent

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

// TestNewSandboxOracleRefusesOtherTenants: only a sandbox on this computer
// answers for the person; anything else is ErrNotSandbox, in words.
func TestNewSandboxOracleRefusesOtherTenants(t *testing.T) {
	notSandbox := httptest.NewServer(http.NotFoundHandler())
	defer notSandbox.Close()
	tests := []struct {
		name, base, want string
	}{
		{"real tenant", "https://w3.cezanneondemand.com/CezanneOnDemand", "not a sandbox tenant"},
		{"http elsewhere", "http://10.1.2.3:8765/CezanneOnDemand", "is not on this computer"},
		{"loopback, not a sandbox", notSandbox.URL + "/CezanneOnDemand", "answered HTTP 404"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := &auth.Profile{Name: "x", BaseURL: tc.base, ClientID: "c", RedirectURI: "http://127.0.0.1:47613/oauth-callback/", Scopes: []string{auth.ScopeRead}}
			// Normalize refuses plain http elsewhere itself: the oracle
			// must refuse it too, for a profile that was never normalized.
			if err := p.Normalize(); err != nil && !strings.HasPrefix(tc.base, "http://10.") {
				t.Fatal(err)
			}
			_, err := NewSandboxOracle(context.Background(), p, nil)
			if !errors.Is(err, ErrNotSandbox) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("NewSandboxOracle = %v; want ErrNotSandbox saying %q", err, tc.want)
			}
		})
	}
}

// TestSandboxOracle reads decisions by state, clears one client's consents
// and no other's, and gives the published secret.
func TestSandboxOracle(t *testing.T) {
	tn := startTenant(t)
	ctx := context.Background()
	authorize := func(client, state string, deny bool) {
		p := tn.profile(t, client)
		u := p.AuthorizeEndpoint() + "?response_type=code&client_id=" + client + "&redirect_uri=" + p.RedirectURI +
			"&scope=" + sandbox.ScopeRead + "&state=" + state
		rb := &sandbox.Robot{Username: "hrprof@sandbox.cezannehr.com", Password: sandbox.DemoPassword, Deny: deny, NoDeliver: true}
		if _, err := rb.Run(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	authorize(sandbox.ClientDesktopOnDemand, "s1", false)
	authorize(sandbox.ClientDesktopAutomatic, "s2", false)
	authorize(sandbox.ClientDesktopAutomatic, "s3", false)
	authorize(sandbox.ClientDesktopOnDemand, "s4", true)
	tests := []struct {
		client, state string
		shown, denied bool
		err           string
	}{
		{sandbox.ClientDesktopOnDemand, "s1", true, false, ""},
		{sandbox.ClientDesktopAutomatic, "s2", true, false, ""},
		{sandbox.ClientDesktopAutomatic, "s3", false, false, ""},
		{sandbox.ClientDesktopOnDemand, "s4", true, true, ""},
		{sandbox.ClientDesktopOnDemand, "s2", false, false, "no decision for this run"},
		{sandbox.ClientDesktopOnDemand, "", false, false, "no decision for this run"},
	}
	for _, tc := range tests {
		shown, denied, err := tn.oracle.ConsentShown(ctx, tc.client, tc.state)
		if shown != tc.shown || denied != tc.denied || (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("ConsentShown(%s, %q) = %v, %v, %v; want %v, %v, %q", tc.client, tc.state, shown, denied, err, tc.shown, tc.denied, tc.err)
		}
	}
	if err := tn.oracle.ClearConsents(ctx, sandbox.ClientDesktopOnDemand); err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, c := range tn.Consents() {
		left = append(left, c.ClientID)
	}
	if !slices.Equal(left, []string{sandbox.ClientDesktopAutomatic}) {
		t.Errorf("consents left %v, want only the other client's", left)
	}
	c, _ := tn.OAuthClient(sandbox.ClientDesktopDisabled)
	if got, ok := tn.oracle.ClientSecret(c.ID); !ok || got != c.Secret {
		t.Errorf("ClientSecret = %q, %v", got, ok)
	}
	if _, ok := tn.oracle.ClientSecret("nobody"); ok {
		t.Error("a secret for an unknown client")
	}
}

// TestUnattendedCheckThroughTheCustomScheme: for an x-cez:// client the
// oracle's browser hands the redirect to the app's inbox, as the OS would.
func TestUnattendedCheckThroughTheCustomScheme(t *testing.T) {
	tn := startTenant(t)
	r := tn.runner(t, sandbox.ClientDesktopScheme)
	r.SchemeInbox = &auth.SchemeInbox{}
	r.OpenBrowser = tn.oracle.Browser(r.SchemeInbox, 0)
	rep, err := r.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Verdict.Matches, []Mode{OnDemand}) || rep.Cells[0].Outcome != Granted {
		t.Errorf("verdict %q, cell 1 %+v", rep.Verdict.Summary, rep.Cells[0])
	}
}

// TestSandboxBrowserGivesUpWithTheRun: the robot playing the person stops
// at the run's own timeout, not at its own longer bound: a robot still
// busy after its run timed out could answer into a later run.
func TestSandboxBrowserGivesUpWithTheRun(t *testing.T) {
	tn := startTenant(t)
	// A sign-in page that never answers.
	stalled := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	t.Cleanup(stalled.Close)
	tests := []struct {
		name  string
		bound time.Duration
		want  time.Duration // it must give up before this
	}{
		{"the run's timeout", 300 * time.Millisecond, 5 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			open := tn.oracle.Browser(nil, tt.bound)
			start := time.Now()
			err := open(stalled.URL + "/OAuth/Authorize?client_id=x")
			if took := time.Since(start); err == nil || took < tt.bound || took > tt.want {
				t.Fatalf("the robot gave up after %v with %v; want an error between %v and %v", took, err, tt.bound, tt.want)
			}
		})
	}
}
