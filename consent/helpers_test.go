package consent

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
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
		Profile: p, ClientSecret: secret, OpenBrowser: tn.oracle.Browser(nil, 0), Oracle: tn.oracle,
		Timeout: 20 * time.Second, AppVersion: "test",
	}
}

func boolp(b bool) *bool { return &b }

// tokenTap is the token requests' transport in tests: it keeps every
// secret that passes (so a test can look for it in a report) and lets a
// test change the token response, as a tenant that differs would.
type tokenTap struct {
	mu      sync.Mutex
	secrets []string
	// change edits the decoded token response before the app sees it.
	change func(map[string]any)
}

func (tt *tokenTap) client() *http.Client {
	return &http.Client{Transport: tt, Timeout: 20 * time.Second}
}

func (tt *tokenTap) RoundTrip(req *http.Request) (*http.Response, error) {
	body, _ := io.ReadAll(req.Body)
	req.Body = io.NopCloser(bytes.NewReader(body))
	form, _ := url.ParseQuery(string(body))
	tt.keep(form.Get("code"), form.Get("code_verifier"), form.Get("client_secret"), form.Get("refresh_token"))
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var m map[string]any
	if json.Unmarshal(out, &m) == nil {
		for _, k := range []string{"access_token", "refresh_token"} {
			if s, ok := m[k].(string); ok {
				tt.keep(s)
			}
		}
		if tt.change != nil && resp.StatusCode == http.StatusOK {
			tt.change(m)
			out, _ = json.Marshal(m)
		}
	}
	resp.Body = io.NopCloser(bytes.NewReader(out))
	resp.ContentLength = int64(len(out))
	resp.Header.Del("Content-Length")
	return resp, nil
}

func (tt *tokenTap) keep(vals ...string) {
	tt.mu.Lock()
	defer tt.mu.Unlock()
	for _, v := range vals {
		if v != "" {
			tt.secrets = append(tt.secrets, v)
		}
	}
}

func (tt *tokenTap) all() []string {
	tt.mu.Lock()
	defer tt.mu.Unlock()
	return slices.Clone(tt.secrets)
}

// wantNoSecret fails when an export holds any of the secrets, as the trace
// export's test of the same name does.
func wantNoSecret(t *testing.T, exports map[string]string, secrets ...string) {
	t.Helper()
	if len(secrets) == 0 {
		t.Fatal("no secrets were collected: the test would prove nothing")
	}
	for name, out := range exports {
		for _, secret := range secrets {
			if secret != "" && strings.Contains(out, secret) {
				t.Errorf("the %s report contains a secret (%s…)", name, secret[:4])
			}
		}
	}
}
