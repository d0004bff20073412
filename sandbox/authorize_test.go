package sandbox

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAuthorizeErrorPagesNeverRedirect(t *testing.T) {
	h := newHarness(t, Config{})
	tests := []struct {
		name, client, redirect, responseType, wantTitle string
	}{
		{"unknown client", "nobody.example", testRedirect, "code", "Unknown application"},
		{"redirect without trailing slash", ClientDesktopOnDemand, strings.TrimSuffix(testRedirect, "/"), "code", "Redirect URI not registered"},
		{"redirect with other case", ClientDesktopOnDemand, strings.ToUpper(testRedirect), "code", "Redirect URI not registered"},
		{"redirect on another port", ClientDesktopOnDemand, "http://127.0.0.1:1/oauth-callback/", "code", "Redirect URI not registered"},
		{"unsupported response type", ClientDesktopOnDemand, testRedirect, "id_token", "Unsupported response type"},
		{"implicit for installed app", ClientDesktopOnDemand, testRedirect, "token", "Unsupported response type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := url.Values{"response_type": {tt.responseType}, "client_id": {tt.client}, "redirect_uri": {tt.redirect}, "scope": {ScopeRead}, "state": {"x"}}
			_, err := (&Robot{Username: "hrprof@sandbox.cezannehr.com", Password: DemoPassword, NoDeliver: true}).Run(context.Background(), h.base+"/OAuth/Authorize?"+q.Encode())
			var ep *ErrorPageError
			if !errors.As(err, &ep) || ep.Title != tt.wantTitle || ep.Status != http.StatusBadRequest {
				t.Fatalf("got %v, want error page %q", err, tt.wantTitle)
			}
		})
	}
}

// pkceChallenge is the S256 challenge of RFC 7636 appendix B's verifier.
const pkceChallenge = "E9Melhoa2OwvFrEMTJguCQaoWSCU0M3Nn3MyF9Pc0s4"

func TestAuthorizeStateAndOutcomes(t *testing.T) {
	tests := []struct {
		name      string
		params    url.Values
		deny      bool
		wantError string
		wantState *string
	}{
		{"approve echoes state", url.Values{"state": {"a b&c=d/é"}}, false, "", ptr("a b&c=d/é")},
		{"approve without state returns none", nil, false, "", nil},
		{"empty state is echoed empty", url.Values{"state": {""}}, false, "", ptr("")},
		{"deny", url.Values{"state": {"xyz"}}, true, "access_denied", ptr("xyz")},
		{"scope not allowed", url.Values{"state": {"q"}, "scope": {"http://www.cezannehr.com/auth-scope/Admin"}}, false, "invalid_scope", ptr("q")},
		// A strict server takes S256 only (RFC 9700 §2.1.1): plain lets
		// whoever sees the Authorize URL redeem the code.
		{"PKCE S256", url.Values{"state": {"p"}, "code_challenge": {pkceChallenge}, "code_challenge_method": {"S256"}}, false, "", ptr("p")},
		{"PKCE plain refused", url.Values{"state": {"p"}, "code_challenge": {"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"}, "code_challenge_method": {"plain"}}, false, "invalid_request", ptr("p")},
		{"PKCE without method (plain) refused", url.Values{"state": {"p"}, "code_challenge": {"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"}}, false, "invalid_request", ptr("p")},
		{"PKCE method without challenge refused", url.Values{"state": {"p"}, "code_challenge_method": {"S256"}}, false, "invalid_request", ptr("p")},
		{"PKCE unknown method refused", url.Values{"state": {"p"}, "code_challenge": {pkceChallenge}, "code_challenge_method": {"S512"}}, false, "invalid_request", ptr("p")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, Config{})
			q, _ := h.authorize(&Robot{Deny: tt.deny}, h.authorizeURL(ClientDesktopOnDemand, tt.params))
			if got := q.Get("error"); got != tt.wantError {
				t.Fatalf("error = %q, want %q", got, tt.wantError)
			}
			if tt.wantError == "" && q.Get("code") == "" {
				t.Fatal("no code")
			}
			if tt.wantState == nil && q.Has("state") {
				t.Fatalf("state returned although none was sent: %q", q.Get("state"))
			}
			if tt.wantState != nil && (!q.Has("state") || q.Get("state") != *tt.wantState) {
				t.Fatalf("state = %q, want %q", q.Get("state"), *tt.wantState)
			}
		})
	}
}

func TestLoginFailureStaysOnLoginPage(t *testing.T) {
	h := newHarness(t, Config{})
	_, err := (&Robot{Username: "hrprof@sandbox.cezannehr.com", Password: "wrong"}).Run(context.Background(), h.authorizeURL(ClientDesktopOnDemand, nil))
	if err == nil || !strings.Contains(err.Error(), "user name or password is incorrect") {
		t.Fatalf("got %v", err)
	}
}

// TestAutoApproveMatrix walks Cezanne's documented auto-approve rules: 3
// modes × auto_approve omitted/true/false × first/second authorisation.
func TestAutoApproveMatrix(t *testing.T) {
	clients := map[AutoApproveMode]string{
		AutoApproveDisabled: ClientDesktopDisabled, AutoApproveAutomatic: ClientDesktopAutomatic, AutoApproveOnDemand: ClientDesktopOnDemand,
	}
	tests := []struct {
		mode          AutoApproveMode
		param         string // "" means omitted
		first, second bool   // consent page shown?
	}{
		{AutoApproveDisabled, "", true, true},
		{AutoApproveDisabled, "true", true, true},
		{AutoApproveDisabled, "false", true, true},
		{AutoApproveAutomatic, "", true, false},
		{AutoApproveAutomatic, "true", true, false},
		{AutoApproveAutomatic, "false", true, false},
		{AutoApproveOnDemand, "", true, true},
		{AutoApproveOnDemand, "true", true, false},
		{AutoApproveOnDemand, "false", true, true},
	}
	for _, tt := range tests {
		name := string(tt.mode) + "/auto_approve=" + tt.param
		if tt.param == "" {
			name = string(tt.mode) + "/auto_approve omitted"
		}
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, Config{})
			rb := &Robot{}
			extra := url.Values{"state": {"m"}}
			if tt.param != "" {
				extra.Set("auto_approve", tt.param)
			}
			for i, want := range []bool{tt.first, tt.second} {
				q, res := h.authorize(rb, h.authorizeURL(clients[tt.mode], extra))
				if res.ConsentShown != want {
					t.Fatalf("authorisation %d: consent shown = %v, want %v", i+1, res.ConsentShown, want)
				}
				if q.Get("code") == "" || q.Get("state") != "m" {
					t.Fatalf("authorisation %d: redirect %v", i+1, q)
				}
				if i == 1 && res.LoginShown {
					t.Fatal("second authorisation asked to log in again within the browser session")
				}
			}
		})
	}
}

func TestConsentIsPerUserClientAndScope(t *testing.T) {
	h := newHarness(t, Config{})
	read := url.Values{"scope": {ScopeRead}}
	both := url.Values{"scope": {ScopeRead + " " + ScopeWrite}}
	hr := &Robot{}
	steps := []struct {
		name   string
		robot  *Robot
		client string
		params url.Values
		want   bool
	}{
		{"first, read", hr, ClientDesktopAutomatic, read, true},
		{"again, read", hr, ClientDesktopAutomatic, read, false},
		{"new scope", hr, ClientDesktopAutomatic, both, true},
		{"again, both", hr, ClientDesktopAutomatic, both, false},
		{"subset of granted", hr, ClientDesktopAutomatic, read, false},
		{"another client", hr, ClientDesktopOnDemand, url.Values{"scope": {ScopeRead}, "auto_approve": {"true"}}, true},
		{"another user", &Robot{Username: "uk.manager@sandbox.cezannehr.com", Password: DemoPassword}, ClientDesktopAutomatic, read, true},
	}
	for _, st := range steps {
		_, res := h.authorize(st.robot, h.authorizeURL(st.client, st.params))
		if res.ConsentShown != st.want {
			t.Fatalf("%s: consent shown = %v, want %v", st.name, res.ConsentShown, st.want)
		}
	}
	if n := len(h.srv.Consents()); n != 3 {
		t.Fatalf("%d consents remembered, want 3: %+v", n, h.srv.Consents())
	}
}

func TestImplicitFlowReturnsFragment(t *testing.T) {
	h := newHarness(t, Config{})
	q := url.Values{"response_type": {"token"}, "client_id": {ClientJavaScript}, "redirect_uri": {"http://127.0.0.1:47614/org-chart/"},
		"scope": {ScopeRead}, "state": {"js"}}
	res, err := (&Robot{Username: "hrprof@sandbox.cezannehr.com", Password: DemoPassword, NoDeliver: true}).Run(context.Background(), h.base+"/OAuth/Authorize?"+q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(res.RedirectURL)
	frag, _ := url.ParseQuery(u.Fragment)
	if u.RawQuery != "" || frag.Get("token_type") != "bearer" || frag.Get("expires_in") != "600" || frag.Get("state") != "js" || frag.Get("scope") != ScopeRead {
		t.Fatalf("fragment response %q", res.RedirectURL)
	}
	if status, _ := h.get("/OAuth/TokenInfo", frag.Get("access_token")); status != 200 {
		t.Fatalf("fragment token refused: %d", status)
	}
}
