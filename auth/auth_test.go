package auth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

func testProfile(t *testing.T, mutate func(*Profile)) *Profile {
	t.Helper()
	p := &Profile{Name: "Test", BaseURL: "https://w3.cezanneondemand.com/CezanneOnDemand", ClientID: "oauth2democlient.app.cezannehr.com",
		RedirectURI: "http://127.0.0.1:47613/oauth-callback/", Scopes: []string{"APIRead", "APIWrite"}}
	if mutate != nil {
		mutate(p)
	}
	if err := p.Normalize(); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAuthorizeURL(t *testing.T) {
	off := false
	tests := []struct {
		name     string
		mutate   func(*Profile)
		want     map[string]string
		absent   []string
		pkce     bool
		endpoint string
	}{
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
			p := testProfile(t, tt.mutate)
			a := NewAttempt(p)
			u, err := url.Parse(a.URL)
			if err != nil {
				t.Fatal(err)
			}
			q := u.Query()
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
			if q.Get("state") != a.State || len(a.State) < 40 {
				t.Errorf("state %q not high-entropy or not in URL", a.State)
			}
			if tt.pkce {
				sum := sha256.Sum256([]byte(a.Verifier))
				if q.Get("code_challenge") != base64.RawURLEncoding.EncodeToString(sum[:]) {
					t.Error("code_challenge is not S256 of the verifier")
				}
			} else if a.Verifier != "" {
				t.Error("verifier kept although PKCE is off")
			}
			if tt.endpoint != "" && u.Scheme+"://"+u.Host+u.Path != tt.endpoint {
				t.Errorf("endpoint %s, want %s", u.Scheme+"://"+u.Host+u.Path, tt.endpoint)
			}
			if q.Has("access_token") || q.Has("client_secret") {
				t.Error("secrets in the Authorize URL")
			}
		})
	}
	if a, b := NewAttempt(testProfile(t, nil)), NewAttempt(testProfile(t, nil)); a.State == b.State || a.Verifier == b.Verifier {
		t.Fatal("state or verifier reused between attempts")
	}
}

func TestParseCallback(t *testing.T) {
	tests := []struct {
		name     string
		query    string
		wantCode string
		wantErr  error
		wantAuth string
	}{
		{"ok", "code=Pzw5!IAAA&state=S", "Pzw5!IAAA", nil, ""},
		{"wrong state", "code=c&state=T", "", ErrStateMismatch, ""},
		{"missing state", "code=c", "", ErrStateMismatch, ""},
		{"empty state", "code=c&state=", "", ErrStateMismatch, ""},
		{"missing code", "state=S", "", ErrMissingCode, ""},
		{"empty code", "code=&state=S", "", ErrMissingCode, ""},
		{"denied", "error=access_denied&error_description=The+user+denied&state=S", "", nil, "access_denied"},
		{"error with wrong state is a mismatch", "error=access_denied&state=X", "", ErrStateMismatch, ""},
		{"extra parameters ignored", "code=c&state=S&session_state=zz", "c", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, _ := url.ParseQuery(tt.query)
			code, err := ParseCallback(q, "S")
			if code != tt.wantCode {
				t.Errorf("code = %q, want %q", code, tt.wantCode)
			}
			var ae *AuthorizeError
			switch {
			case tt.wantAuth != "":
				if !errors.As(err, &ae) || ae.Code != tt.wantAuth {
					t.Fatalf("err = %v, want AuthorizeError %s", err, tt.wantAuth)
				}
				if !strings.Contains(err.Error(), "denied") || !strings.Contains(err.Error(), "The user denied") {
					t.Errorf("message lacks the server's words: %v", err)
				}
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
			case err != nil:
				t.Fatalf("unexpected error %v", err)
			}
		})
	}
}

func TestRedirectURIs(t *testing.T) {
	tests := []struct {
		raw      string
		kind     RedirectKind
		bind     string
		port     int
		warn     bool
		wantErr  string
		wantPath string
	}{
		{"http://127.0.0.1:47613/oauth-callback/", RedirectLoopback, "127.0.0.1", 47613, false, "", "/oauth-callback/"},
		{"http://localhost:8080/cb", RedirectLoopback, "127.0.0.1", 8080, true, "", "/cb"},
		{"http://[::1]:9000/", RedirectLoopback, "::1", 9000, false, "", "/"},
		{"http://127.0.0.1:9000", RedirectLoopback, "127.0.0.1", 9000, false, "", "/"},
		{"x-cez://oauth-callback/", RedirectCustomScheme, "", 0, false, "", ""},
		{"com.example.hr:/cb", RedirectCustomScheme, "", 0, false, "", ""},
		{"x-cez:oauth-callback", 0, "", 0, false, "must look like", ""},
		{"http://127.0.0.1/cb", 0, "", 0, false, "needs a port", ""},
		{"http://example.com:80/cb", 0, "", 0, false, "this computer", ""},
		{"https://127.0.0.1:443/cb", 0, "", 0, false, "https", ""},
		{"http://127.0.0.1:70000/", 0, "", 0, false, "port", ""},
		{"", 0, "", 0, false, "enter the redirect URI", ""},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			r, err := ParseRedirectURI(tt.raw)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Kind != tt.kind || r.BindHost != tt.bind || r.Port != tt.port || (r.Warning != "") != tt.warn {
				t.Fatalf("got %+v", r)
			}
			if tt.wantPath != "" && r.CallbackPath() != tt.wantPath {
				t.Fatalf("path %q", r.CallbackPath())
			}
		})
	}
}

func TestProfileValidation(t *testing.T) {
	tests := []struct {
		name, json, wantErr string
	}{
		{"subdomain", `{"name":"Prod","subdomain":"w3","client_id":"c","redirect_uri":"http://127.0.0.1:47613/cb/","scopes":["APIRead"]}`, ""},
		{"loopback http base", `{"base_url":"http://127.0.0.1:8765/CezanneOnDemand/","client_id":"c","redirect_uri":"http://127.0.0.1:1/","scopes":["APIRead"],"auto_approve":"true","pkce":false}`, ""},
		{"remote http base", `{"base_url":"http://hr.example.com/CezanneOnDemand","client_id":"c","redirect_uri":"http://127.0.0.1:1/","scopes":["APIRead"]}`, "must use https"},
		{"both", `{"subdomain":"w3","base_url":"https://w3.cezanneondemand.com/CezanneOnDemand","client_id":"c","redirect_uri":"http://127.0.0.1:1/","scopes":["APIRead"]}`, "not both"},
		{"neither", `{"client_id":"c","redirect_uri":"http://127.0.0.1:1/","scopes":["APIRead"]}`, "enter your tenant"},
		{"bad subdomain", `{"subdomain":"w3.cezanneondemand.com","client_id":"c","redirect_uri":"http://127.0.0.1:1/","scopes":["APIRead"]}`, "not a tenant subdomain"},
		{"no client", `{"subdomain":"w3","redirect_uri":"http://127.0.0.1:1/","scopes":["APIRead"]}`, "client ID"},
		{"no scopes", `{"subdomain":"w3","client_id":"c","redirect_uri":"http://127.0.0.1:1/","scopes":[]}`, "at least one scope"},
		{"bad auto_approve", `{"subdomain":"w3","client_id":"c","redirect_uri":"http://127.0.0.1:1/","scopes":["APIRead"],"auto_approve":"yes"}`, "auto_approve"},
		{"secret in file", `{"subdomain":"w3","client_id":"c","client_secret":"s","redirect_uri":"http://127.0.0.1:1/","scopes":["APIRead"]}`, "does not belong"},
		{"typo key", `{"subdomian":"w3","client_id":"c","redirect_uri":"http://127.0.0.1:1/","scopes":["APIRead"]}`, "unknown field"},
		{"not json", `{`, "not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseProfile([]byte(tt.json))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				again, err := ParseProfile(p.Marshal())
				if err != nil || again.Root() != p.Root() {
					t.Fatalf("profile does not round-trip: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
	p, _ := ParseProfile([]byte(`{"base_url":"http://127.0.0.1:8765/CezanneOnDemand/","client_id":"c","redirect_uri":"http://127.0.0.1:1/","scopes":["APIRead"]}`))
	if p.TokenEndpoint() != "http://127.0.0.1:8765/CezanneOnDemand/OAuth/Token" || p.DataService() != "http://127.0.0.1:8765/CezanneOnDemand/DataService.svc" || p.Name != "127.0.0.1:8765" {
		t.Fatalf("endpoints: %s %s %s", p.TokenEndpoint(), p.DataService(), p.Name)
	}
}

// memStore is a MemoryStore whose writes can be made to fail.
type memStore struct {
	*MemoryStore
	failSet error
}

func newMemStore() *memStore { return &memStore{MemoryStore: NewMemoryStore()} }

func (s *memStore) Set(p, e, v string) error {
	if s.failSet != nil {
		return s.failSet
	}
	return s.MemoryStore.Set(p, e, v)
}

// fakeTenant is a token endpoint with scripted answers, for the exchange's
// wire format; the real sandbox is exercised in the e2e tests.
func fakeTenant(t *testing.T, handler http.HandlerFunc) *Profile {
	t.Helper()
	ts := httptest.NewServer(handler)
	t.Cleanup(ts.Close)
	return testProfile(t, func(p *Profile) { p.BaseURL = ts.URL + "/CezanneOnDemand" })
}

// deliver plays the browser: it sends the redirect to the loopback receiver.
func deliver(t *testing.T, query func(state string) string) func(string) error {
	return func(authURL string) error {
		u, _ := url.Parse(authURL)
		q := u.Query()
		go func() {
			resp, err := http.Get(q.Get("redirect_uri") + "?" + query(q.Get("state")))
			if err == nil {
				resp.Body.Close()
			}
		}()
		return nil
	}
}

func freeRedirect(t *testing.T) string {
	return sandbox.FreeLoopbackRedirect(0, "/oauth-callback/")
}

func TestSignInExchangeWireFormat(t *testing.T) {
	var got url.Values
	p := fakeTenant(t, func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		got = r.PostForm
		if _, _, basic := r.BasicAuth(); basic {
			t.Error("client credentials sent in a Basic header; Cezanne documents them in the body")
		}
		w.Header().Set("Content-Type", "application/json")
		// Extra fields, trailing comma-free; expires_in as documented.
		io.WriteString(w, `{"access_token":"gAAAAtoken","token_type":"bearer","expires_in":600,"refresh_token":"qZR6!Irefresh","scope":"`+ScopeRead+`","tenant":"w3","x_extra":{"a":1}}`)
	})
	p.RedirectURI = freeRedirect(t)
	store := newMemStore()
	s, err := SignIn(context.Background(), Options{
		Profile: p, ClientSecret: "A8KbQe6Y", SaveClientSecret: true, Store: store,
		OpenBrowser: deliver(t, func(state string) string { return "code=Pzw5!Icode&state=" + url.QueryEscape(state) }),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"grant_type": "authorization_code", "code": "Pzw5!Icode", "client_id": p.ClientID,
		"client_secret": "A8KbQe6Y", "redirect_uri": p.RedirectURI}
	for k, v := range want {
		if got.Get(k) != v {
			t.Errorf("token request %s = %q, want %q", k, got.Get(k), v)
		}
	}
	if got.Get("code_verifier") == "" {
		t.Error("no code_verifier although PKCE is on")
	}
	tok, err := s.Token()
	if err != nil || tok.AccessToken != "gAAAAtoken" || tok.Type() != "Bearer" {
		t.Fatalf("token %+v %v", tok, err)
	}
	if tok.Extra("tenant") != "w3" {
		t.Error("extra fields lost")
	}
	if d := time.Until(s.Expiry()); d < 590*time.Second || d > 600*time.Second {
		t.Errorf("expiry in %v, want about 600 s", d)
	}
	if v, _ := store.Get(p.Name, EntryRefreshToken); v != "qZR6!Irefresh" {
		t.Errorf("refresh token not stored: %q", v)
	}
	if v, _ := store.Get(p.Name, EntryClientSecret); v != "A8KbQe6Y" {
		t.Errorf("client secret not stored: %q", v)
	}
	if got := s.GrantedScopes(); len(got) != 1 || got[0] != ScopeRead {
		t.Errorf("granted scopes %v", got)
	}
}

func TestSignInErrors(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		body     string
		callback func(state string) string
		wantErr  string
	}{
		{"invalid_client", 401, `{"error":"invalid_client","error_description":"Client authentication failed."}`,
			func(s string) string { return "code=c&state=" + url.QueryEscape(s) }, "client ID or client secret; check them with whoever registered the application. The server said: Client authentication failed."},
		{"invalid_grant", 400, `{"error":"invalid_grant","error_description":"The authorization code has expired."}`,
			func(s string) string { return "code=c&state=" + url.QueryEscape(s) }, "has expired"},
		{"server error page", 500, `<html>oops</html>`,
			func(s string) string { return "code=c&state=" + url.QueryEscape(s) }, "HTTP 500"},
		{"denied", 200, `{}`,
			func(s string) string {
				return "error=access_denied&error_description=No+thanks&state=" + url.QueryEscape(s)
			}, "access was denied on the consent page: No thanks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := fakeTenant(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			})
			p.RedirectURI = freeRedirect(t)
			_, err := SignIn(context.Background(), Options{Profile: p, ClientSecret: "s", Store: newMemStore(), OpenBrowser: deliver(t, tt.callback)})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestLoopbackReceiver(t *testing.T) {
	r, _ := ParseRedirectURI(freeRedirect(t))
	lr, err := ListenLoopback(r)
	if err != nil {
		t.Fatal(err)
	}
	defer lr.Close()
	lr.Expect("good")
	base := "http://" + lr.Addr()
	get := func(path string) (int, string) {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, _ := get("/other?code=x&state=good"); status != 404 {
		t.Errorf("other path served: %d", status)
	}
	if status, body := get("/oauth-callback/?code=x&state=forged"); status != 400 || !strings.Contains(body, "not recognised") {
		t.Errorf("forged state: %d", status)
	}
	// The forged response did not end the attempt: the real one still lands.
	status, body := get("/oauth-callback/?code=real&state=good")
	if status != 200 || !strings.Contains(body, "Sign-in received") || !strings.Contains(body, "You can close this tab") {
		t.Errorf("good response page: %d %s", status, body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if code, err := lr.Wait(ctx); code != "real" || err != nil {
		t.Fatalf("Wait = %q, %v", code, err)
	}
	if status, _ := get("/oauth-callback/?code=again&state=good"); status != 410 {
		t.Errorf("second callback accepted: %d", status)
	}
	// The port is held: a second receiver on it is refused clearly.
	if _, err := ListenLoopback(r); !errors.Is(err, ErrPortInUse) {
		t.Errorf("second listener: %v", err)
	}
}

func TestLoopbackWaitEnds(t *testing.T) {
	for _, tt := range []struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
		want error
	}{
		{"cancel", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx, cancel
		}, ErrCancelled},
		{"timeout", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 20*time.Millisecond)
		}, ErrTimeout},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := ParseRedirectURI(freeRedirect(t))
			lr, err := ListenLoopback(r)
			if err != nil {
				t.Fatal(err)
			}
			defer lr.Close()
			ctx, cancel := tt.ctx()
			defer cancel()
			if _, err := lr.Wait(ctx); !errors.Is(err, tt.want) {
				t.Fatalf("Wait: %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSessionRefreshPersistsRotatedToken(t *testing.T) {
	var mu sync.Mutex
	n := 0
	p := fakeTenant(t, func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		mu.Lock()
		n++
		i := n
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.PostForm.Get("refresh_token") == "dead" {
			w.WriteHeader(400)
			io.WriteString(w, `{"error":"invalid_grant","error_description":"revoked"}`)
			return
		}
		fmt.Fprintf(w, `{"access_token":"a%d","token_type":"bearer","expires_in":600,"refresh_token":"r%d"}`, i, i)
	})
	store := newMemStore()
	store.Set(p.Name, EntryRefreshToken, "r0")
	s, err := Resume(context.Background(), Options{Profile: p, ClientSecret: "s", Store: store})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := store.Get(p.Name, EntryRefreshToken); v != "r1" {
		t.Fatalf("rotated refresh token not persisted: %q", v)
	}
	// Concurrent callers near expiry share one refresh.
	s.mu.Lock()
	s.token.Expiry = time.Now().Add(time.Second)
	s.mu.Unlock()
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); _, _ = s.Token() }()
	}
	wg.Wait()
	mu.Lock()
	if n != 2 {
		t.Fatalf("%d token requests, want 2 (resume + one refresh)", n)
	}
	mu.Unlock()
	// A keyring failure keeps the session and warns.
	store.failSet = errors.New("locked")
	s.mu.Lock()
	s.token.Expiry = time.Now()
	s.mu.Unlock()
	if _, err := s.Token(); err != nil || s.Warning() == nil {
		t.Fatalf("token %v, warning %v", err, s.Warning())
	}
	// invalid_grant: sign in again, and the dead token is forgotten.
	store.failSet = nil
	store.Set(p.Name, EntryRefreshToken, "dead")
	if _, err := Resume(context.Background(), Options{Profile: p, ClientSecret: "s", Store: store}); !errors.Is(err, ErrSignInAgain) {
		t.Fatalf("Resume with a dead token: %v", err)
	}
	if _, err := store.Get(p.Name, EntryRefreshToken); !errors.Is(err, ErrNotStored) {
		t.Fatal("dead refresh token kept")
	}
}
