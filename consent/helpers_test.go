package consent

import (
	"context"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox/sandboxtest"
)

// tenant is a sandbox for one test, on its own loopback redirect so tests
// can run side by side.
type tenant struct {
	*sandbox.Running
	oracle *SandboxOracle
}

func startTenant(t *testing.T) *tenant {
	t.Helper()
	redirect := sandbox.FreeLoopbackRedirect(0, "/oauth-callback/")
	r := sandboxtest.Start(t, sandbox.Config{LoopbackRedirect: redirect, People: 20})
	tn := &tenant{Running: r}
	var err error
	tn.oracle, err = NewSandboxOracle(context.Background(), tn.profile(t, sandbox.ClientDesktopOnDemand), nil)
	if err != nil {
		t.Fatal(err)
	}
	return tn
}

// profile is a browser profile for one of the sandbox's desktop clients.
func (tn *tenant) profile(t *testing.T, clientID string) *auth.Profile {
	t.Helper()
	c, ok := tn.OAuthClient(clientID)
	if !ok {
		t.Fatalf("no client %s", clientID)
	}
	p := &auth.Profile{Name: "Consent check " + clientID, BaseURL: tn.BaseURL(), ClientID: c.ID,
		RedirectURI: c.RedirectURIs[0], Scopes: []string{auth.ScopeRead}}
	if err := p.Normalize(); err != nil {
		t.Fatal(err)
	}
	return p
}

// runner is an unattended Runner against the tenant's client.
func (tn *tenant) runner(t *testing.T, clientID string) *Runner {
	t.Helper()
	p := tn.profile(t, clientID)
	secret, _ := tn.oracle.ClientSecret(clientID)
	return &Runner{
		Profile: p, ClientSecret: secret, OpenBrowser: tn.oracle.Browser(nil), Oracle: tn.oracle,
		Timeout: 20 * time.Second, AppVersion: "test",
	}
}

func boolp(b bool) *bool { return &b }
