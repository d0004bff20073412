package trace

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

// TestTraceOfASignIn signs in against the sandbox with a trace, refreshes,
// calls the API, and checks every step the QA workbench shows, and that no
// export contains a secret.
func TestTraceOfASignIn(t *testing.T) {
	h := newTenantHarness(t)
	p := *h.profile
	tr := New(Meta{App: "test", Profile: &p})
	o := h.options(keyring.NewMemoryStore())
	o.Trace, o.State = tr.SignInHooks(), "qa-state-1"
	codes := make(chan string, 1)
	o.OpenBrowser = func(u string) error {
		go func() {
			res, err := (&sandbox.Robot{Username: "hrprof@sandbox.cezannehr.com", Password: sandbox.DemoPassword}).Run(context.Background(), u)
			if err != nil {
				t.Errorf("robot: %v", err)
				return
			}
			back, _ := url.Parse(res.RedirectURL)
			codes <- back.Query().Get("code")
		}()
		return nil
	}
	s, err := auth.SignIn(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if status, err := h.apiGet(s, "/OAuth/TokenInfo"); err != nil || status != 200 {
		t.Fatal(status, err)
	}
	apiReq, _ := http.NewRequest(http.MethodGet, h.profile.DataService()+"/People?$top=2", nil)
	apiReq.Header.Set("Accept", "application/json")
	res, err := s.HTTPClient().Do(apiReq)
	if err != nil || res.StatusCode != 200 {
		t.Fatal(res, err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()

	steps := tr.Steps()
	var kinds []string
	for _, st := range steps {
		kinds = append(kinds, string(st.Kind))
	}
	want := []StepKind{StepAuthorize, StepBrowser, StepCallback, StepTokenRequest, StepTokenResponse, StepOutcome,
		StepTokenRequest, StepTokenResponse, StepTokenInfo, StepAPICall}
	if len(steps) != len(want) {
		t.Fatalf("steps %v, want %v", kinds, want)
	}
	for i, k := range want {
		if steps[i].Kind != k {
			t.Fatalf("step %d is %s, want %s (all: %v)", i+1, steps[i].Kind, k, kinds)
		}
	}
	byKind := func(k StepKind) Step {
		for _, st := range steps {
			if st.Kind == k {
				return st
			}
		}
		return Step{}
	}
	authz := byKind(StepAuthorize)
	if authz.Field("state") != "qa-state-1" || authz.Field("code_challenge_method") != "S256" || authz.Field("response_type") != "code" {
		t.Errorf("authorize fields %+v", authz.Fields)
	}
	cb := byKind(StepCallback)
	if cb.Field("state matched") != "yes" || cb.Error != "" || !strings.Contains(cb.Field("code"), "…") {
		t.Errorf("callback %+v", cb)
	}
	req := byKind(StepTokenRequest)
	if req.Field("grant_type") != "authorization_code" || req.Field("client_id") != p.ClientID {
		t.Errorf("token request %+v", req.Fields)
	}
	for _, name := range []string{"code", "client_secret", "code_verifier"} {
		if f := req.Field(name); f == "" || !strings.Contains(f, "…") {
			t.Errorf("token request %s = %q, want it redacted", name, f)
		}
	}
	if !strings.Contains(req.Curl, `"client_secret=$CLIENT_SECRET"`) || !strings.Contains(req.Curl, `"code=$CODE"`) {
		t.Errorf("curl: %s", req.Curl)
	}
	resp := byKind(StepTokenResponse)
	if resp.Status != 200 || resp.Field("expires_in") == "" || resp.Field("token_type") == "" || resp.Field("scope requested") == "" {
		t.Errorf("token response %+v", resp)
	}
	if steps[6].Title != "Refresh: token request" || steps[6].Field("grant_type") != "refresh_token" {
		t.Errorf("refresh step %+v", steps[6])
	}
	info := steps[8]
	if info.Status != 200 || info.Field("Username") != "hrprof@sandbox.cezannehr.com" || !strings.HasPrefix(info.Field("Authorization"), "Bearer ") {
		t.Errorf("TokenInfo step %+v", info)
	}
	call := steps[9]
	if call.Title != "GET People" || call.Status != 200 || call.Size == 0 || !strings.Contains(call.Curl, "$ACCESS_TOKEN") {
		t.Errorf("API call %+v", call)
	}

	access, _ := s.Token()
	if tr.RevealAccessToken() != access.AccessToken {
		t.Error("reveal does not give the current access token")
	}
	var js, md bytes.Buffer
	if err := tr.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	if err := tr.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	secrets := []string{h.secret, access.AccessToken, access.RefreshToken, <-codes}
	for _, out := range []string{js.String(), md.String()} {
		for _, secret := range secrets {
			if secret != "" && strings.Contains(out, secret) {
				t.Fatalf("an export contains a secret (%s…)", secret[:4])
			}
		}
	}
	meta, back, err := ReadJSON(&js)
	if err != nil || len(back) != len(steps) || meta.Profile.ClientID != p.ClientID {
		t.Fatalf("JSON round trip: %v, %d steps", err, len(back))
	}
	for _, want := range []string{"# Cezanne HR Desktop flow trace", "| 3 |", "Callback received", "```sh", "state matched"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
}

// TestTraceCallbackAndErrors: an answer with a foreign state is recorded
// as ignored, a denial with its error_description, and the outcome says
// why the run failed.
func TestTraceCallbackAndErrors(t *testing.T) {
	p := testProfile(t, func(p *auth.Profile) { p.RedirectURI = freeRedirect(t) })
	tr := New(Meta{Profile: p})
	open := func(authURL string) error {
		u, _ := url.Parse(authURL)
		q := u.Query()
		go func() {
			for _, query := range []string{"code=stolen-code-1234567890&state=forged", "error=access_denied&error_description=The+user+denied+access&state=" + q.Get("state")} {
				resp, err := http.Get(q.Get("redirect_uri") + "?" + query)
				if err == nil {
					resp.Body.Close()
				}
			}
		}()
		return nil
	}
	_, err := auth.SignIn(context.Background(), auth.Options{Profile: p, ClientSecret: "s3cret-s3cret-s3cret", Store: keyring.NewMemoryStore(), OpenBrowser: open, Trace: tr.SignInHooks(), Timeout: 5 * time.Second})
	if err == nil {
		t.Fatal("signed in after a denial")
	}
	steps := tr.Steps()
	var callbacks []Step
	for _, st := range steps {
		if st.Kind == StepCallback {
			callbacks = append(callbacks, st)
		}
	}
	if len(callbacks) != 2 {
		t.Fatalf("%d callback steps, want 2: %+v", len(callbacks), steps)
	}
	if callbacks[0].Field("state matched") != "no" || !strings.Contains(callbacks[0].Error, "ignored") || strings.Contains(callbacks[0].Field("code"), "stolen-code") {
		t.Errorf("forged callback %+v", callbacks[0])
	}
	if callbacks[1].Field("error") != "access_denied" || callbacks[1].Error != "access_denied: The user denied access" {
		t.Errorf("denied callback %+v", callbacks[1])
	}
	last := steps[len(steps)-1]
	if last.Kind != StepOutcome || last.Title != "Failed" || last.Error == "" {
		t.Errorf("outcome %+v", last)
	}
}
