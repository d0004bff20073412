package sandbox

import (
	"context"
	"encoding/json"
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
	return doJSON(h.t, h.getRequest(path, bearer))
}

// getRaw is get for answers that are not JSON (or must be read as bytes).
func (h *harness) getRaw(path, bearer string) (int, []byte) {
	h.t.Helper()
	resp, err := http.DefaultClient.Do(h.getRequest(path, bearer))
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func (h *harness) getRequest(path, bearer string) *http.Request {
	req, _ := http.NewRequest(http.MethodGet, h.base+path, nil)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return req
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

func ptr(s string) *string { return &s }

// refresh uses a refresh token of client c.
func (h *harness) refresh(c *OAuthClient, rt string) (int, map[string]any) {
	return h.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {c.ID}, "client_secret": {c.Secret}})
}

// v2Page fetches a People page in the v2 dialect: its rows, count and next link.
func (h *harness) v2Page(t *testing.T, path, bearer string) (results []any, count string, next string) {
	t.Helper()
	status, body := h.get(path, bearer)
	if status != 200 {
		t.Fatalf("%s: %d %v", path, status, body)
	}
	d := body["d"].(map[string]any)
	results = d["results"].([]any)
	count, _ = d["__count"].(string)
	next, _ = d["__next"].(string)
	return results, count, next
}
