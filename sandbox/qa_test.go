package sandbox

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

var adminTokenRE = regexp.MustCompile(`name="token" value="([^"]+)"`)

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

func TestAdminControls(t *testing.T) {
	h := newHarness(t, Config{})
	c, _ := h.srv.OAuthClient(ClientDesktopOnDemand)
	refresh := func(rt string) (int, map[string]any) {
		return h.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {c.ID}, "client_secret": {c.Secret}})
	}

	t.Run("mode switch", func(t *testing.T) {
		if err := h.srv.SetAutoApproveMode(ClientDesktopOnDemand, AutoApproveAutomatic); err != nil {
			t.Fatal(err)
		}
		defer h.srv.SetAutoApproveMode(ClientDesktopOnDemand, AutoApproveOnDemand)
		rb := &Robot{}
		h.authorize(rb, h.authorizeURL(ClientDesktopOnDemand, nil))
		if _, res := h.authorize(rb, h.authorizeURL(ClientDesktopOnDemand, nil)); res.ConsentShown {
			t.Fatal("Automatic mode still shows consent on the second authorisation")
		}
		if err := h.srv.SetAutoApproveMode("nobody", AutoApproveDisabled); err == nil {
			t.Fatal("unknown client accepted")
		}
		if err := h.srv.SetAutoApproveMode(ClientDesktopOnDemand, "Sometimes"); err == nil {
			t.Fatal("unknown mode accepted")
		}
	})
	t.Run("clear consents", func(t *testing.T) {
		h.srv.SetAutoApproveMode(ClientDesktopAutomatic, AutoApproveAutomatic)
		rb := &Robot{}
		h.authorize(rb, h.authorizeURL(ClientDesktopAutomatic, nil))
		if n := h.srv.ClearConsents("hrprof@sandbox.cezannehr.com"); n == 0 {
			t.Fatal("nothing cleared")
		}
		if _, res := h.authorize(rb, h.authorizeURL(ClientDesktopAutomatic, nil)); !res.ConsentShown {
			t.Fatal("consent not shown after clearing")
		}
	})
	t.Run("revoke grants", func(t *testing.T) {
		tok := h.signIn()
		if n := h.srv.RevokeGrants("hrprof@sandbox.cezannehr.com"); n == 0 {
			t.Fatal("nothing revoked")
		}
		if status, body := refresh(tok["refresh_token"].(string)); status != 400 || body["error"] != "invalid_grant" {
			t.Fatalf("refresh after revoke: %d %v", status, body)
		}
		if status, _ := h.get("/OAuth/TokenInfo", tok["access_token"].(string)); status != 401 {
			t.Fatalf("access token after revoke: %d", status)
		}
	})
	t.Run("token lifetime and rotation", func(t *testing.T) {
		if err := h.srv.SetAccessTokenTTL(3 * time.Second); err != nil {
			t.Fatal(err)
		}
		h.srv.SetRotation(false)
		defer h.srv.SetRotation(true)
		tok := h.signIn()
		if tok["expires_in"] != float64(3) {
			t.Fatalf("expires_in %v", tok["expires_in"])
		}
		rt := tok["refresh_token"].(string)
		for i := 0; i < 2; i++ {
			if status, body := refresh(rt); status != 200 || body["refresh_token"] != rt {
				t.Fatalf("refresh without rotation: %d %v", status, body)
			}
		}
		h.clock.Add(4 * time.Second)
		if status, _ := h.get("/OAuth/TokenInfo", tok["access_token"].(string)); status != 401 {
			t.Fatal("3-second token still valid after 4 s")
		}
		if err := h.srv.SetAccessTokenTTL(0); err == nil {
			t.Fatal("zero lifetime accepted")
		}
		h.srv.SetAccessTokenTTL(600 * time.Second)
	})
	t.Run("faults", func(t *testing.T) {
		at := h.signIn()["access_token"].(string)
		if err := h.srv.SetFaults(Faults{Fail401: 1, Fail500: 1, Malformed: 1}); err != nil {
			t.Fatal(err)
		}
		want := []int{401, 500}
		for _, w := range want {
			if status, _ := h.get("/OAuth/TokenInfo", at); status != w {
				t.Fatalf("fault: got %d, want %d", status, w)
			}
		}
		req, _ := http.NewRequest(http.MethodGet, h.base+"/DataService.svc/People?$format=json", nil)
		req.Header.Set("Authorization", "Bearer "+at)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.HasPrefix(string(b), `{"d":{"results":[{`) || strings.HasSuffix(string(b), "}") {
			t.Fatalf("malformed fault: %d %s", resp.StatusCode, b)
		}
		if status, _ := h.get("/OAuth/TokenInfo", at); status != 200 {
			t.Fatalf("faults did not run out: %d", status)
		}
		h.srv.SetFaults(Faults{Latency: 150 * time.Millisecond})
		start := time.Now()
		h.get("/OAuth/TokenInfo", at)
		if d := time.Since(start); d < 150*time.Millisecond {
			t.Fatalf("latency not injected: %v", d)
		}
		h.srv.SetFaults(Faults{})
		var sawFault bool
		for _, r := range h.srv.Requests() {
			sawFault = sawFault || r.Fault == "401"
		}
		if !sawFault {
			t.Fatal("request log does not say which fault fired")
		}
	})
	t.Run("request log has no secrets", func(t *testing.T) {
		var all strings.Builder
		for _, r := range h.srv.Requests() {
			all.WriteString(r.Query + " " + r.Form + "\n")
		}
		for _, secret := range []string{c.Secret, "qZR6!I", "Pzw5!I", "gAAAA", DemoPassword} {
			if strings.Contains(all.String(), secret) || strings.Contains(all.String(), url.QueryEscape(secret)) {
				t.Fatalf("request log contains %.6s…", secret)
			}
		}
		if !strings.Contains(all.String(), "grant_type=refresh_token") {
			t.Fatal("request log lacks the token requests")
		}
	})
}

func TestAdminHTTP(t *testing.T) {
	h := newHarness(t, Config{})
	get := func(path string) (int, string) {
		resp, err := http.Get(h.ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, page := get(adminPath)
	if status != 200 || !strings.Contains(page, ClientDesktopAutomatic) {
		t.Fatalf("admin page: %d", status)
	}
	token := firstMatch(adminTokenRE, page)
	post := func(action string, form url.Values, origin string) int {
		req, _ := http.NewRequest(http.MethodPost, h.ts.URL+adminPath+"/"+action, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	tests := []struct {
		name   string
		action string
		form   url.Values
		origin string
		want   int
	}{
		{"set mode", "mode", url.Values{"token": {token}, "client_id": {ClientDesktopDisabled}, "mode": {"ondemand"}}, "", 200},
		{"no token", "mode", url.Values{"client_id": {ClientDesktopDisabled}, "mode": {"Automatic"}}, "", 403},
		{"cross-origin", "mode", url.Values{"token": {token}, "client_id": {ClientDesktopDisabled}, "mode": {"Automatic"}}, "http://evil.example", 403},
		{"bad mode", "mode", url.Values{"token": {token}, "client_id": {ClientDesktopDisabled}, "mode": {"Never"}}, "", 400},
		{"faults", "faults", url.Values{"token": {token}, "latency_ms": {"5"}, "fail_500": {"2"}}, h.ts.URL, 200},
		{"settings", "settings", url.Values{"token": {token}, "ttl": {"30"}}, "", 200},
		{"bad ttl", "settings", url.Values{"token": {token}, "ttl": {"soon"}}, "", 400},
		{"unknown action", "explode", url.Values{"token": {token}}, "", 404},
	}
	for _, tt := range tests {
		if got := post(tt.action, tt.form, tt.origin); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
	if h.srv.AutoApproveMode(ClientDesktopDisabled) != AutoApproveOnDemand || h.srv.Faults().Fail500 != 2 ||
		h.srv.AccessTokenTTL() != 30*time.Second || h.srv.Rotation() {
		t.Fatalf("admin changes not applied: %v %+v %v %v", h.srv.AutoApproveMode(ClientDesktopDisabled), h.srv.Faults(), h.srv.AccessTokenTTL(), h.srv.Rotation())
	}
	// From another computer the admin page does not exist.
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, adminPath, nil)
	req.RemoteAddr = "192.0.2.7:40000"
	h.srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Fatalf("remote admin: %d", rec.Code)
	}
	if status, body := get(adminPath + "/log"); status != 200 || !strings.Contains(body, "request log") {
		t.Fatalf("log page: %d", status)
	}
}
