package auth

import (
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"testing"
)

func TestAuthorizeURL(t *testing.T) {
	off := false
	tests := []authorizeCase{
		{"documented parameters", nil, map[string]string{
			"response_type": "code", "client_id": "oauth2democlient.app.cezannehr.com",
			"redirect_uri": "http://127.0.0.1:47613/oauth-callback/", "scope": ScopeRead + " " + ScopeWrite,
			"code_challenge_method": "S256",
		}, []string{"auto_approve", "access_type"}, true, "https://w3.cezanneondemand.com/CezanneOnDemand/OAuth/Authorize"},
		{"auto_approve true", func(p *Profile) { p.AutoApprove = "true" }, map[string]string{"auto_approve": "true"}, nil, true, ""},
		{"auto_approve false", func(p *Profile) { p.AutoApprove = "false" }, map[string]string{"auto_approve": "false"}, nil, true, ""},
		{"auto_approve omit", func(p *Profile) { p.AutoApprove = "omit" }, nil, []string{"auto_approve"}, true, ""},
		{"PKCE off", func(p *Profile) { p.PKCE = &off }, nil, []string{"code_challenge", "code_challenge_method"}, false, ""},
		{"subdomain", func(p *Profile) { p.BaseURL = ""; p.Subdomain = "W3" }, nil, nil, true, "https://w3.cezanneondemand.com/CezanneOnDemand/OAuth/Authorize"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newAttempt(testProfile(t, tt.mutate), "")
			u, err := url.Parse(a.URL)
			if err != nil {
				t.Fatal(err)
			}
			tt.checkParams(t, u.Query())
			tt.checkEndpoint(t, u)
			checkAttemptSecrets(t, a, u.Query(), tt.pkce)
		})
	}
}

func TestAttemptsDoNotShareSecrets(t *testing.T) {
	if a, b := newAttempt(testProfile(t, nil), ""), newAttempt(testProfile(t, nil), ""); a.State == b.State || a.Verifier == b.Verifier {
		t.Fatal("state or verifier reused between attempts")
	}
}

// authorizeCase is a profile and what its Authorize URL must hold.
type authorizeCase struct {
	name     string
	mutate   func(*Profile)
	want     map[string]string // query parameters and their values
	absent   []string          // query parameters that must not be sent
	pkce     bool
	endpoint string // the URL without its query, when set
}

func (tt authorizeCase) checkParams(t *testing.T, q url.Values) {
	t.Helper()
	for k, v := range tt.want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
	for _, k := range tt.absent {
		if q.Has(k) {
			t.Errorf("%s sent, want it absent", k)
		}
	}
	if q.Has("access_token") || q.Has("client_secret") {
		t.Error("secrets in the Authorize URL")
	}
}

func (tt authorizeCase) checkEndpoint(t *testing.T, u *url.URL) {
	t.Helper()
	if got := u.Scheme + "://" + u.Host + u.Path; tt.endpoint != "" && got != tt.endpoint {
		t.Errorf("endpoint %s, want %s", got, tt.endpoint)
	}
}

// checkAttemptSecrets checks the state and the PKCE verifier of a against
// the URL's query q.
func checkAttemptSecrets(t *testing.T, a *Attempt, q url.Values, pkce bool) {
	t.Helper()
	if q.Get("state") != a.State || len(a.State) < 40 {
		t.Errorf("state %q not high-entropy or not in URL", a.State)
	}
	if pkce {
		sum := sha256.Sum256([]byte(a.Verifier))
		if q.Get("code_challenge") != base64.RawURLEncoding.EncodeToString(sum[:]) {
			t.Error("code_challenge is not S256 of the verifier")
		}
	} else if a.Verifier != "" {
		t.Error("verifier kept although PKCE is off")
	}
}
