package sandbox

import (
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
		return adminCall(t, h.ts.URL+adminPath+"/"+action, form, "", origin)
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

// TestAdminHostAndOrigin models DNS rebinding: a web page whose name now
// points at 127.0.0.1 reaches the admin page from the tester's own browser,
// so the peer address is loopback; only Host and Origin tell it apart.
func TestAdminHostAndOrigin(t *testing.T) {
	h := newHarness(t, Config{})
	port := h.ts.URL[strings.LastIndex(h.ts.URL, ":")+1:]
	do := func(method, host, origin, token string) int {
		t.Helper()
		if method == http.MethodPost {
			return adminCall(t, h.ts.URL+adminPath+"/settings", url.Values{"token": {token}, "ttl": {"40"}}, host, origin)
		}
		return adminCall(t, h.ts.URL+adminPath, nil, host, origin)
	}
	resp, err := http.Get(h.ts.URL + adminPath)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("admin page: %d", resp.StatusCode)
	}
	token := firstMatch(adminTokenRE, string(page))
	tests := []struct {
		name, method, host, origin string
		want                       int
	}{
		{"127.0.0.1 with the port", http.MethodGet, "127.0.0.1:" + port, "", 200},
		{"localhost with the port", http.MethodGet, "localhost:" + port, "", 200},
		{"LOCALHOST in capitals", http.MethodGet, "LOCALHOST:" + port, "", 200},
		{"[::1] with the port", http.MethodGet, "[::1]:" + port, "", 200},
		{"rebound name", http.MethodGet, "evil.example:" + port, "", 403},
		{"rebound name without port", http.MethodGet, "evil.example", "", 403},
		{"localhost without port", http.MethodGet, "localhost", "", 403},
		{"another port", http.MethodGet, "127.0.0.1:1", "", 403},
		{"other loopback address", http.MethodGet, "127.0.0.2:" + port, "", 403},
		{"localhost subdomain", http.MethodGet, "x.localhost:" + port, "", 403},
		{"cross-origin read", http.MethodGet, "127.0.0.1:" + port, "http://evil.example:" + port, 403},
		{"same-origin read", http.MethodGet, "127.0.0.1:" + port, "http://127.0.0.1:" + port, 200},
		{"change from rebound name", http.MethodPost, "evil.example:" + port, "http://evil.example:" + port, 403},
		{"change, Origin names the listener", http.MethodPost, "127.0.0.1:" + port, "http://localhost:" + port, 200},
		{"change, Origin on another port", http.MethodPost, "127.0.0.1:" + port, "http://127.0.0.1:1", 403},
		{"change, Origin https", http.MethodPost, "127.0.0.1:" + port, "https://127.0.0.1:" + port, 403},
		{"change, Origin null", http.MethodPost, "127.0.0.1:" + port, "null", 403},
		{"change without Origin", http.MethodPost, "127.0.0.1:" + port, "", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := do(tt.method, tt.host, tt.origin, token); got != tt.want {
				t.Errorf("%s Host %q Origin %q: %d, want %d", tt.method, tt.host, tt.origin, got, tt.want)
			}
		})
	}
}

// adminCall asks the admin page at u, as a browser would: a POST of form
// when there is one, else a GET; host and origin, when set, are the Host
// and Origin headers. It returns the status.
func adminCall(t *testing.T, u string, form url.Values, host, origin string) int {
	t.Helper()
	method, body := http.MethodGet, io.Reader(nil)
	if form != nil {
		method, body = http.MethodPost, strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
	}
	if host != "" {
		req.Host = host
	}
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
