package sandbox

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

const testRedirect = "http://127.0.0.1:47613/oauth-callback/"

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

type harness struct {
	t     *testing.T
	srv   *Server
	ts    *httptest.Server
	base  string
	clock *fakeClock
}

func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	clock := &fakeClock{now: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}
	cfg.Now = clock.Now
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &harness{t: t, srv: srv, ts: ts, base: ts.URL + RootPath, clock: clock}
}

func (h *harness) authorizeURL(client string, extra url.Values) string {
	q := url.Values{"response_type": {"code"}, "client_id": {client}, "redirect_uri": {testRedirect}, "scope": {ScopeRead + " " + ScopeWrite}}
	for k, v := range extra {
		q[k] = v
	}
	return h.base + "/OAuth/Authorize?" + q.Encode()
}

// authorize runs the robot as the HR professional and returns the redirect's query.
func (h *harness) authorize(rb *Robot, authURL string) (url.Values, *RobotResult) {
	h.t.Helper()
	rb.NoDeliver = true
	if rb.Username == "" {
		rb.Username, rb.Password = "hrprof@sandbox.cezannehr.com", DemoPassword
	}
	res, err := rb.Run(context.Background(), authURL)
	if err != nil {
		h.t.Fatalf("robot: %v", err)
	}
	u, err := url.Parse(res.RedirectURL)
	if err != nil || !strings.HasPrefix(res.RedirectURL, testRedirect) {
		h.t.Fatalf("redirected to %q, want the registered redirect", res.RedirectURL)
	}
	return u.Query(), res
}

func (h *harness) token(form url.Values, basic ...string) (int, map[string]any) {
	h.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, h.base+"/OAuth/Token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if len(basic) == 2 {
		req.SetBasicAuth(basic[0], basic[1])
	}
	return doJSON(h.t, req)
}

func (h *harness) get(path, bearer string) (int, map[string]any) {
	h.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, h.base+path, nil)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return doJSON(h.t, req)
}

func doJSON(t *testing.T, req *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s %s: not JSON (%d): %s", req.Method, req.URL.Path, resp.StatusCode, b)
	}
	return resp.StatusCode, m
}

func (h *harness) codeForm(code string, extra url.Values) url.Values {
	c, _ := h.srv.OAuthClient(ClientDesktopOnDemand)
	f := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {c.ID},
		"client_secret": {c.Secret}, "redirect_uri": {testRedirect}}
	for k, v := range extra {
		f[k] = v
	}
	return f
}

// signIn completes a full authorization code flow and returns the token response.
func (h *harness) signIn() map[string]any {
	q, _ := h.authorize(&Robot{}, h.authorizeURL(ClientDesktopOnDemand, url.Values{"state": {"s1"}}))
	status, tok := h.token(h.codeForm(q.Get("code"), nil))
	if status != 200 {
		h.t.Fatalf("exchange: %d %v", status, tok)
	}
	return tok
}

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

func ptr(s string) *string { return &s }

func TestLoginFailureStaysOnLoginPage(t *testing.T) {
	h := newHarness(t, Config{})
	_, err := (&Robot{Username: "hrprof@sandbox.cezannehr.com", Password: "wrong"}).Run(context.Background(), h.authorizeURL(ClientDesktopOnDemand, nil))
	if err == nil || !strings.Contains(err.Error(), "user name or password is incorrect") {
		t.Fatalf("got %v", err)
	}
}

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

func TestPeoplePaging(t *testing.T) {
	h := newHarness(t, Config{People: 450, PageSize: 200})
	at := h.signIn()["access_token"].(string)
	page := func(path string) (results []any, count string, next string) {
		t.Helper()
		status, body := h.get(path, at)
		if status != 200 {
			t.Fatalf("%s: %d %v", path, status, body)
		}
		d := body["d"].(map[string]any)
		results = d["results"].([]any)
		count, _ = d["__count"].(string)
		next, _ = d["__next"].(string)
		return
	}
	tests := []struct {
		name      string
		query     string
		wantLen   int
		wantCount string
		wantNext  bool
	}{
		{"first server page", "$format=json", 200, "", true},
		{"inline count", "$format=json&$inlinecount=allpages", 200, "450", true},
		{"top below page size", "$format=json&$top=20", 20, "", false},
		{"skip to last page", "$format=json&$skip=400", 50, "", false},
		{"top across pages", "$format=json&$top=300", 200, "", true},
		{"skip past end", "$format=json&$skip=1000&$inlinecount=allpages", 0, "450", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			results, count, next := page("/DataService.svc/People?" + tt.query)
			if len(results) != tt.wantLen || count != tt.wantCount || (next != "") != tt.wantNext {
				t.Fatalf("len=%d count=%q next=%q", len(results), count, next)
			}
		})
	}
	// Following next links visits everyone exactly once.
	seen := map[string]bool{}
	path := "/DataService.svc/People?$format=json&$orderby=LastName,FirstName%20desc"
	for path != "" {
		results, _, next := page(path)
		for _, r := range results {
			seen[r.(map[string]any)["PersonGuid"].(string)] = true
		}
		path = strings.TrimPrefix(next, h.base)
	}
	if len(seen) != 450 {
		t.Fatalf("crawl saw %d people, want 450", len(seen))
	}
	// $top across pages stops at top.
	results, _, next := page("/DataService.svc/People?$format=json&$top=300")
	results2, _, next2 := page(strings.TrimPrefix(next, h.base))
	if len(results)+len(results2) != 300 || next2 != "" {
		t.Fatalf("$top=300 gave %d+%d next=%q", len(results), len(results2), next2)
	}
	// $orderby sorts.
	sorted, _, _ := page("/DataService.svc/People?$format=json&$orderby=StartDate%20desc&$top=50")
	prev := ""
	for _, r := range sorted {
		d := r.(map[string]any)["StartDate"].(string)
		if prev != "" && len(d) == len(prev) && d > prev {
			t.Fatalf("not sorted desc: %s after %s", d, prev)
		}
		prev = d
	}
	for _, bad := range []string{"$top=-1", "$skip=x", "$orderby=Salary", "$orderby=LastName%20sideways", "$inlinecount=some"} {
		if status, _ := h.get("/DataService.svc/People?$format=json&"+bad, at); status != 400 {
			t.Errorf("%s: got %d, want 400", bad, status)
		}
	}
}

func TestPeopleFollowUserRights(t *testing.T) {
	h := newHarness(t, Config{People: 300})
	q, _ := h.authorize(&Robot{Username: "uk.manager@sandbox.cezannehr.com", Password: DemoPassword}, h.authorizeURL(ClientDesktopOnDemand, nil))
	_, tok := h.token(h.codeForm(q.Get("code"), nil))
	_, body := h.get("/DataService.svc/People?$format=json&$inlinecount=allpages", tok["access_token"].(string))
	d := body["d"].(map[string]any)
	for _, r := range d["results"].([]any) {
		if c := r.(map[string]any)["CountryName"]; c != "United Kingdom" {
			t.Fatalf("UK manager sees someone in %v", c)
		}
	}
	if d["__count"] == "300" || d["__count"] == "0" {
		t.Fatalf("UK manager count %v", d["__count"])
	}
}

func TestReadOnlyTokenCannotWrite(t *testing.T) {
	h := newHarness(t, Config{})
	q, _ := h.authorize(&Robot{}, h.authorizeURL(ClientDesktopOnDemand, url.Values{"scope": {ScopeRead}}))
	_, tok := h.token(h.codeForm(q.Get("code"), nil))
	req, _ := http.NewRequest(http.MethodPost, h.base+"/DataService.svc/People", strings.NewReader("{}"))
	req.Header.Set("Authorization", "Bearer "+tok["access_token"].(string))
	if status, _ := doJSON(t, req); status != http.StatusForbidden {
		t.Fatalf("read-only write: %d", status)
	}
}

func TestMetadataDescribesPeople(t *testing.T) {
	h := newHarness(t, Config{})
	at := h.signIn()["access_token"].(string)
	req, _ := http.NewRequest(http.MethodGet, h.base+"/DataService.svc/$metadata", nil)
	req.Header.Set("Authorization", "Bearer "+at)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`EntitySet Name="People"`, `PropertyRef Name="PersonGuid"`, `Name="StartDate" Type="Edm.DateTime"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("$metadata lacks %s", want)
		}
	}
}

func TestPeopleAreDeterministic(t *testing.T) {
	a, b := generatePeople(1000), generatePeople(1000)
	apostrophe := false
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("person %d differs between runs", i)
		}
		apostrophe = apostrophe || strings.Contains(a[i].LastName, "'")
	}
	if !apostrophe {
		t.Fatal("no O'Brien-style names generated; filters need them")
	}
}

func TestRedactQuery(t *testing.T) {
	got := redactQuery(url.Values{"code": {"Pzw5!secret"}, "state": {"abc"}, "$top": {"5"}, "client_id": {"c"}})
	if strings.Contains(got, "secret") || strings.Contains(got, "abc") || !strings.Contains(got, "client_id=c") {
		t.Fatalf("redactQuery = %q", got)
	}
}

// TestFormActionAllowsTheRedirect: browsers apply CSP form-action to the
// redirect answering a form, so the login and consent pages must allow the
// client's redirect URI or a real browser never reaches the app (Chromium
// found this).
func TestFormActionAllowsTheRedirect(t *testing.T) {
	tests := []struct{ uri, want string }{
		{"http://127.0.0.1:47613/oauth-callback/", " http://127.0.0.1:47613"},
		{"x-cez://oauth-callback/", " x-cez://oauth-callback"},
		{"com.example.app:/callback", " com.example.app:"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := formTarget(tt.uri); got != tt.want {
			t.Errorf("formTarget(%q) = %q, want %q", tt.uri, got, tt.want)
		}
	}
}
