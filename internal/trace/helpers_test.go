package trace

import (
	"io"
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox/sandboxtest"
)

// tenantHarness is a real sandbox tenant on loopback with a desktop client.
type tenantHarness struct {
	t       *testing.T
	profile *auth.Profile
	secret  string
}

func newTenantHarness(t *testing.T) *tenantHarness {
	t.Helper()
	cfg := sandbox.Config{LoopbackRedirect: freeRedirect(t)}
	tenant := sandboxtest.Start(t, cfg)
	c, _ := tenant.OAuthClient(sandbox.ClientDesktopOnDemand)
	h := &tenantHarness{t: t, secret: c.Secret,
		profile: &auth.Profile{Name: "Sandbox", BaseURL: tenant.BaseURL(), ClientID: c.ID, RedirectURI: cfg.LoopbackRedirect, Scopes: []string{"APIRead"}}}
	if err := h.profile.Normalize(); err != nil {
		t.Fatal(err)
	}
	return h
}

func (h *tenantHarness) options(store keyring.Store) auth.Options {
	return auth.Options{Profile: h.profile, ClientSecret: h.secret, Store: store}
}

func (h *tenantHarness) apiGet(s *auth.Session, path string) (int, error) {
	resp, err := s.HTTPClient().Get(h.profile.Root() + path)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

func testProfile(t *testing.T, mutate func(*auth.Profile)) *auth.Profile {
	t.Helper()
	p := &auth.Profile{Name: "Test", BaseURL: "https://w3.cezanneondemand.com/CezanneOnDemand", ClientID: "oauth2democlient.app.cezannehr.com",
		RedirectURI: "http://127.0.0.1:47613/oauth-callback/", Scopes: []string{"APIRead", "APIWrite"}}
	if mutate != nil {
		mutate(p)
	}
	if err := p.Normalize(); err != nil {
		t.Fatal(err)
	}
	return p
}

func freeRedirect(*testing.T) string { return sandbox.FreeLoopbackRedirect(0, "/oauth-callback/") }
