package sandbox

import (
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"testing"
	"time"
)

func TestTokenExchange(t *testing.T) {
	verifier := "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	sum := sha256.Sum256([]byte(verifier))
	challenge := base64.RawURLEncoding.EncodeToString(sum[:])
	tests := []struct {
		name       string
		pkce       bool
		mutate     func(h *harness, f url.Values)
		wantStatus int
		wantError  string
	}{
		{"valid", false, nil, 200, ""},
		{"valid with PKCE", true, func(_ *harness, f url.Values) { f.Set("code_verifier", verifier) }, 200, ""},
		{"PKCE verifier missing", true, nil, 400, "invalid_grant"},
		{"PKCE verifier wrong", true, func(_ *harness, f url.Values) { f.Set("code_verifier", verifier+"x") }, 400, "invalid_grant"},
		// PKCE downgrade (RFC 9700 §2.1.1): the Authorize request carried no
		// challenge, yet the exchange sends a verifier. A strict server
		// refuses, so a client that stops sending the challenge is caught.
		{"PKCE downgrade: verifier without challenge", false, func(_ *harness, f url.Values) { f.Set("code_verifier", verifier) }, 400, "invalid_grant"},
		{"PKCE downgrade: empty verifier without challenge", false, func(_ *harness, f url.Values) { f.Set("code_verifier", "") }, 400, "invalid_grant"},
		{"wrong secret", false, func(_ *harness, f url.Values) { f.Set("client_secret", "nope") }, 401, "invalid_client"},
		{"other client", false, func(h *harness, f url.Values) {
			c, _ := h.srv.OAuthClient(ClientDesktopAutomatic)
			f.Set("client_id", c.ID)
			f.Set("client_secret", c.Secret)
		}, 400, "invalid_grant"},
		{"redirect mismatch", false, func(_ *harness, f url.Values) { f.Set("redirect_uri", "http://127.0.0.1:47613/oauth-callback") }, 400, "invalid_grant"},
		{"expired code", false, func(h *harness, _ url.Values) { h.clock.Add(61 * time.Second) }, 400, "invalid_grant"},
		{"unknown code", false, func(_ *harness, f url.Values) { f.Set("code", "Pzw5!Inope") }, 400, "invalid_grant"},
		{"missing grant type", false, func(_ *harness, f url.Values) { f.Del("grant_type") }, 400, "invalid_request"},
		{"unsupported grant type", false, func(_ *harness, f url.Values) { f.Set("grant_type", "password") }, 400, "unsupported_grant_type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, Config{})
			extra := url.Values{"state": {"s"}}
			if tt.pkce {
				extra.Set("code_challenge", challenge)
				extra.Set("code_challenge_method", "S256")
			}
			q, _ := h.authorize(&Robot{}, h.authorizeURL(ClientDesktopOnDemand, extra))
			form := h.codeForm(q.Get("code"), nil)
			if tt.mutate != nil {
				tt.mutate(h, form)
			}
			status, body := h.token(form)
			if status != tt.wantStatus || (tt.wantError != "" && body["error"] != tt.wantError) {
				t.Fatalf("got %d %v, want %d %s", status, body, tt.wantStatus, tt.wantError)
			}
			if tt.wantStatus == 200 {
				if body["token_type"] != "bearer" || body["expires_in"] != float64(600) || body["refresh_token"] == "" || body["scope"] != ScopeRead+" "+ScopeWrite {
					t.Fatalf("token response not as documented: %v", body)
				}
			}
		})
	}
}

func TestCodeIsSingleUseAndReplayRevokes(t *testing.T) {
	h := newHarness(t, Config{})
	q, _ := h.authorize(&Robot{}, h.authorizeURL(ClientDesktopOnDemand, nil))
	form := h.codeForm(q.Get("code"), nil)
	status, tok := h.token(form)
	if status != 200 {
		t.Fatalf("first exchange: %d %v", status, tok)
	}
	if status, body := h.token(form); status != 400 || body["error"] != "invalid_grant" {
		t.Fatalf("replay: %d %v", status, body)
	}
	if status, _ := h.get("/OAuth/TokenInfo", tok["access_token"].(string)); status != 401 {
		t.Fatalf("token from a replayed code still works: %d", status)
	}
}

func TestRefreshRotationAndReuseDetection(t *testing.T) {
	h := newHarness(t, Config{})
	c, _ := h.srv.OAuthClient(ClientDesktopOnDemand)
	tok := h.signIn()
	refresh := func(rt string) (int, map[string]any) {
		return h.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {c.ID}, "client_secret": {c.Secret}})
	}
	first := tok["refresh_token"].(string)
	status, tok2 := refresh(first)
	if status != 200 || tok2["refresh_token"] == first || tok2["refresh_token"] == "" {
		t.Fatalf("refresh did not rotate: %d %v", status, tok2)
	}
	if status, _ := h.get("/OAuth/TokenInfo", tok2["access_token"].(string)); status != 200 {
		t.Fatalf("new access token refused: %d", status)
	}
	if status, body := refresh(first); status != 400 || body["error"] != "invalid_grant" {
		t.Fatalf("reuse not detected: %d %v", status, body)
	}
	// Reuse revokes the whole grant, including the newest tokens.
	if status, body := refresh(tok2["refresh_token"].(string)); status != 400 || body["error"] != "invalid_grant" {
		t.Fatalf("grant not revoked after reuse: %d %v", status, body)
	}
	if status, _ := h.get("/OAuth/TokenInfo", tok2["access_token"].(string)); status != 401 {
		t.Fatalf("access token of a revoked grant still works: %d", status)
	}
}

func TestRefreshWithoutRotationKeepsToken(t *testing.T) {
	h := newHarness(t, Config{NoRotation: true})
	c, _ := h.srv.OAuthClient(ClientDesktopOnDemand)
	rt := h.signIn()["refresh_token"].(string)
	for i := 0; i < 3; i++ {
		status, body := h.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {c.ID}, "client_secret": {c.Secret}})
		if status != 200 || body["refresh_token"] != rt {
			t.Fatalf("refresh %d: %d %v", i, status, body)
		}
	}
}

func TestClientCredentials(t *testing.T) {
	h := newHarness(t, Config{})
	svc, _ := h.srv.OAuthClient(ClientService)
	desk, _ := h.srv.OAuthClient(ClientDesktopOnDemand)
	tests := []struct {
		name       string
		form       url.Values
		basic      []string
		wantStatus int
		wantError  string
	}{
		{"basic header", url.Values{"grant_type": {"client_credentials"}, "scope": {ScopeRead}}, []string{svc.ID, svc.Secret}, 200, ""},
		{"credentials in body refused", url.Values{"grant_type": {"client_credentials"}, "scope": {ScopeRead}, "client_id": {svc.ID}, "client_secret": {svc.Secret}}, nil, 401, "invalid_client"},
		{"wrong secret", url.Values{"grant_type": {"client_credentials"}}, []string{svc.ID, "x"}, 401, "invalid_client"},
		{"scope beyond the client's", url.Values{"grant_type": {"client_credentials"}, "scope": {ScopeWrite}}, []string{svc.ID, svc.Secret}, 400, "invalid_scope"},
		{"no service account", url.Values{"grant_type": {"client_credentials"}}, []string{desk.ID, desk.Secret}, 400, "unauthorized_client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := h.token(tt.form, tt.basic...)
			if status != tt.wantStatus || (tt.wantError != "" && body["error"] != tt.wantError) {
				t.Fatalf("got %d %v", status, body)
			}
			if status != 200 {
				return
			}
			if _, has := body["refresh_token"]; has {
				t.Fatal("client_credentials must not issue a refresh token")
			}
			_, info := h.get("/OAuth/TokenInfo", body["access_token"].(string))
			if info["Username"] != ServiceAccountUsername {
				t.Fatalf("service account TokenInfo: %v", info)
			}
		})
	}
}

func TestTokenInfoAndAPIAuth(t *testing.T) {
	h := newHarness(t, Config{AccessTokenTTL: 5 * time.Second})
	at := h.signIn()["access_token"].(string)
	status, info := h.get("/OAuth/TokenInfo", at)
	if status != 200 {
		t.Fatalf("TokenInfo: %d", status)
	}
	for _, k := range []string{"PersonGuid", "TenantGuid", "RoleGuid", "UserGuid", "Username", "CountryId", "CountryName",
		"EmailAddress", "FirstName", "FormattedName", "LastName", "LocaleId", "LocaleName", "RoleHierarchy", "TimeZone"} {
		if _, ok := info[k]; !ok {
			t.Errorf("TokenInfo lacks %s", k)
		}
	}
	if info["FormattedName"] != "Cheryl Abrahams" || info["LocaleId"] != float64(2057) {
		t.Errorf("TokenInfo for the wrong user: %v", info)
	}
	tests := []struct {
		name, path, token string
		advance           time.Duration
		want              int
	}{
		{"people ok", "/DataService.svc/People?$format=json", at, 0, 200},
		{"missing token", "/DataService.svc/People?$format=json", "", 0, 401},
		{"garbage token", "/DataService.svc/People?$format=json", "gAAAAnope", 0, 401},
		{"query parameter token is accepted on the wire", "/DataService.svc/People?$format=json&access_token=" + url.QueryEscape(at), "", 0, 200},
		{"expired", "/DataService.svc/People?$format=json", at, 6 * time.Second, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.clock.Add(tt.advance)
			status, body := h.get(tt.path, tt.token)
			if status != tt.want {
				t.Fatalf("got %d %v, want %d", status, body, tt.want)
			}
			if status == 401 {
				msg := body["error"].(map[string]any)["message"].(map[string]any)["value"]
				if msg == "" {
					t.Fatal("401 without a message")
				}
			}
		})
	}
}
