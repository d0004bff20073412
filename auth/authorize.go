package auth

import (
	"crypto/rand"
	"encoding/base64"

	"golang.org/x/oauth2"
)

// Attempt is one authorization request: its URL and the secrets the app must
// keep to check and redeem the answer. Every attempt has fresh values.
type Attempt struct {
	URL      string
	State    string
	Verifier string // empty when PKCE is off
}

// oauthConfig describes the profile to x/oauth2. Client credentials go in the
// form body, as Cezanne documents for the code and refresh grants.
func oauthConfig(p *Profile, clientSecret string) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     p.ClientID,
		ClientSecret: clientSecret,
		RedirectURL:  p.RedirectURI,
		Scopes:       p.Scopes,
		Endpoint: oauth2.Endpoint{
			AuthURL:   p.AuthorizeEndpoint(),
			TokenURL:  p.TokenEndpoint(),
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
}

// newAttempt builds the Authorize URL as Cezanne documents it: response_type
// code, client_id, redirect_uri, space-delimited scope, the state, and
// auto_approve only when the profile sets it. PKCE S256 is added unless the
// profile switches it off; Cezanne ignores parameters it does not know. The
// state is a fresh random one unless state is set (a QA run checking how
// the tenant echoes a chosen value).
func newAttempt(p *Profile, state string) *Attempt {
	if state == "" {
		state = randomString(32)
	}
	a := &Attempt{State: state}
	var opts []oauth2.AuthCodeOption
	if p.AutoApprove == AutoApproveTrue || p.AutoApprove == AutoApproveFalse {
		opts = append(opts, oauth2.SetAuthURLParam("auto_approve", p.AutoApprove))
	}
	if p.UsePKCE() {
		a.Verifier = oauth2.GenerateVerifier()
		opts = append(opts, oauth2.S256ChallengeOption(a.Verifier))
	}
	a.URL = oauthConfig(p, "").AuthCodeURL(a.State, opts...)
	return a
}

// randomString returns n bytes of crypto randomness, base64url-encoded.
func randomString(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("auth: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
