package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox/sandboxtest"
)

// tenantHarness is a real sandbox tenant on loopback, optionally behind a
// proxy that can cut the connection (to play "offline").
type tenantHarness struct {
	t       *testing.T
	srv     *sandbox.Server
	tenant  *sandbox.Running
	proxy   *httptest.Server
	down    atomic.Bool
	profile *Profile
	secret  string
}

func newTenantHarness(t *testing.T, cfg sandbox.Config, service bool) *tenantHarness {
	t.Helper()
	retryDelays = []time.Duration{10 * time.Millisecond, 20 * time.Millisecond}
	t.Cleanup(func() { retryDelays = []time.Duration{300 * time.Millisecond, time.Second, 3 * time.Second} })
	cfg.LoopbackRedirect = freeRedirect(t)
	tenant := sandboxtest.Start(t, cfg)
	srv := tenant.Server
	h := &tenantHarness{t: t, srv: srv, tenant: tenant}
	target, _ := url.Parse(tenant.BaseURL())
	rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host})
	h.proxy = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.down.Load() {
			// Drop the connection, as a network outage would.
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			conn.Close()
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(h.proxy.Close)
	clientID := sandbox.ClientDesktopOnDemand
	if service {
		clientID = sandbox.ClientService
	}
	c, _ := srv.OAuthClient(clientID)
	h.secret = c.Secret
	h.profile = &Profile{Name: "Sandbox", BaseURL: h.proxy.URL + sandbox.RootPath, ClientID: c.ID, RedirectURI: cfg.LoopbackRedirect, Scopes: []string{"APIRead"}}
	if service {
		h.profile.GrantType = GrantServiceAccount
	}
	if err := h.profile.Normalize(); err != nil {
		t.Fatal(err)
	}
	return h
}

func (h *tenantHarness) options(store SecretStore) Options {
	return Options{
		Profile: h.profile, ClientSecret: h.secret, Store: store,
		OpenBrowser: func(u string) error {
			go func() {
				if _, err := (&sandbox.Robot{Username: "hrprof@sandbox.cezannehr.com", Password: sandbox.DemoPassword}).Run(context.Background(), u); err != nil {
					h.t.Errorf("robot: %v", err)
				}
			}()
			return nil
		},
	}
}

func (h *tenantHarness) signIn(store SecretStore) *Session {
	h.t.Helper()
	s, err := SignIn(context.Background(), h.options(store))
	if err != nil {
		h.t.Fatal(err)
	}
	return s
}

// tokenRequests counts the sandbox's token endpoint calls of a grant type.
func (h *tenantHarness) tokenRequests(grant string) int {
	n := 0
	for _, r := range h.srv.Requests() {
		if strings.HasSuffix(r.Path, "/OAuth/Token") && r.Grant == grant {
			n++
		}
	}
	return n
}

func (h *tenantHarness) apiGet(s *Session, path string) (int, error) {
	resp, err := s.Client().Get(h.profile.Root() + path)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

func TestConcurrentCallsAcrossExpiryRefreshOnce(t *testing.T) {
	h := newTenantHarness(t, sandbox.Config{AccessTokenTTL: 3 * time.Second}, false)
	s := h.signIn(NewMemoryStore())
	// Wait until the token is inside its refresh window (the last fifth).
	time.Sleep(time.Until(s.Expiry()) - 400*time.Millisecond)
	var wg sync.WaitGroup
	var failures atomic.Int32
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if status, err := h.apiGet(s, "/OAuth/TokenInfo"); err != nil || status != 200 {
				failures.Add(1)
			}
		}()
	}
	wg.Wait()
	if failures.Load() != 0 {
		t.Fatalf("%d of 100 calls failed", failures.Load())
	}
	if n := h.tokenRequests("refresh_token"); n != 1 {
		t.Fatalf("%d refreshes for 100 concurrent calls across an expiry, want 1", n)
	}
}

func TestFiftyRotationsNeverReuse(t *testing.T) {
	h := newTenantHarness(t, sandbox.Config{AccessTokenTTL: 3 * time.Second}, false)
	store := NewMemoryStore()
	s := h.signIn(store)
	seen := map[string]bool{}
	for i := 0; i < 50; i++ {
		if err := s.Refresh(context.Background()); err != nil {
			t.Fatalf("refresh %d: %v", i, err)
		}
		rt, _ := store.Get(h.profile.Name, EntryRefreshToken)
		if seen[rt] {
			t.Fatalf("refresh %d: refresh token did not rotate", i)
		}
		seen[rt] = true
		if status, err := h.apiGet(s, "/OAuth/TokenInfo"); err != nil || status != 200 {
			t.Fatalf("call after refresh %d: %d %v", i, status, err)
		}
	}
	// Reuse detection revokes the grant; it must never have fired.
	if g := h.srv.Grants(); len(g) != 1 || g[0].Active != 1 {
		t.Fatalf("grants after 50 rotations: %+v", g)
	}
}

func TestRelaunchUsesNewestRefreshToken(t *testing.T) {
	h := newTenantHarness(t, sandbox.Config{}, false)
	store := NewMemoryStore()
	h.signIn(store)
	for i := 0; i < 3; i++ {
		before, _ := store.Get(h.profile.Name, EntryRefreshToken)
		s, err := Resume(context.Background(), h.options(store))
		if err != nil {
			t.Fatalf("launch %d: %v", i+2, err)
		}
		after, _ := store.Get(h.profile.Name, EntryRefreshToken)
		if after == before {
			t.Fatalf("launch %d did not store the rotated token", i+2)
		}
		if status, err := h.apiGet(s, "/OAuth/TokenInfo"); status != 200 || err != nil {
			t.Fatalf("launch %d: %d %v", i+2, status, err)
		}
	}
}

func TestRevokedGrantAsksOnceToSignInAgain(t *testing.T) {
	h := newTenantHarness(t, sandbox.Config{}, false)
	store := NewMemoryStore()
	s := h.signIn(store)
	h.srv.RevokeGrants("")
	// The API refuses the access token; the client refreshes once, the
	// tenant refuses that too: sign in again.
	if _, err := h.apiGet(s, "/OAuth/TokenInfo"); !errors.Is(err, ErrSignInAgain) {
		t.Fatalf("after revoke: %v", err)
	}
	before := h.tokenRequests("refresh_token")
	for i := 0; i < 5; i++ {
		if _, err := h.apiGet(s, "/OAuth/TokenInfo"); !errors.Is(err, ErrSignInAgain) {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if after := h.tokenRequests("refresh_token"); after != before || before != 1 {
		t.Fatalf("refresh attempts: %d then %d; a dead sign-in must not be retried", before, after)
	}
	if store.Has(h.profile.Name, EntryRefreshToken) {
		t.Fatal("refused refresh token kept in the store")
	}
}

func TestUnauthorizedRetriesOnceOnly(t *testing.T) {
	h := newTenantHarness(t, sandbox.Config{}, false)
	s := h.signIn(NewMemoryStore())
	h.srv.SetFaults(sandbox.Faults{Fail401: 1})
	if status, err := h.apiGet(s, "/DataService.svc/People?$format=json&$top=1"); status != 200 || err != nil {
		t.Fatalf("one 401 should be healed by a refresh: %d %v", status, err)
	}
	h.srv.SetFaults(sandbox.Faults{Fail401: 5})
	before := h.tokenRequests("refresh_token")
	if status, _ := h.apiGet(s, "/OAuth/TokenInfo"); status != 401 {
		t.Fatalf("persistent 401: got %d", status)
	}
	if got := h.tokenRequests("refresh_token") - before; got != 1 {
		t.Fatalf("%d refreshes for one call, want exactly 1 (no loop)", got)
	}
	if f := h.srv.Faults(); f.Fail401 != 3 {
		t.Fatalf("%d injected 401s left, want 3: the call was tried more than twice", f.Fail401)
	}
}

func TestOfflineKeepsSession(t *testing.T) {
	h := newTenantHarness(t, sandbox.Config{}, false)
	store := NewMemoryStore()
	s := h.signIn(store)
	h.down.Store(true)
	err := s.Refresh(context.Background())
	if !errors.Is(err, ErrOffline) || !strings.Contains(err.Error(), "still signed in") {
		t.Fatalf("refresh while down: %v", err)
	}
	if !store.Has(h.profile.Name, EntryRefreshToken) {
		t.Fatal("offline refresh lost the stored sign-in")
	}
	h.down.Store(false)
	if err := s.Refresh(context.Background()); err != nil {
		t.Fatalf("back online: %v", err)
	}
	if status, err := h.apiGet(s, "/OAuth/TokenInfo"); status != 200 || err != nil {
		t.Fatalf("after outage: %d %v", status, err)
	}
}

func TestRetriesTransientFailures(t *testing.T) {
	var calls atomic.Int32
	p := fakeTenant(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, `<html>maintenance</html>`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"a","token_type":"bearer","expires_in":600,"refresh_token":"r2"}`)
	})
	retryDelays = []time.Duration{time.Millisecond, time.Millisecond, time.Millisecond}
	defer func() { retryDelays = []time.Duration{300 * time.Millisecond, time.Second, 3 * time.Second} }()
	store := NewMemoryStore()
	store.Set(p.Name, EntryRefreshToken, "r1")
	if _, err := Resume(context.Background(), Options{Profile: p, ClientSecret: "s", Store: store}); err != nil {
		t.Fatalf("two 503s then success: %v", err)
	}
	if calls.Load() != 3 {
		t.Fatalf("%d token calls, want 3", calls.Load())
	}
}

func TestServiceAccountProfile(t *testing.T) {
	h := newTenantHarness(t, sandbox.Config{AccessTokenTTL: 2 * time.Second}, true)
	store := NewMemoryStore()
	o := h.options(store)
	o.OpenBrowser = func(string) error { t.Error("a service account opened the browser"); return nil }
	o.SaveClientSecret = true
	s, err := SignIn(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if store.Has(h.profile.Name, EntryRefreshToken) {
		t.Fatal("service account stored a refresh token")
	}
	if !store.Has(h.profile.Name, EntryClientSecret) {
		t.Fatal("typed client secret not stored")
	}
	first := s.Expiry()
	time.Sleep(time.Until(first) + 100*time.Millisecond)
	if status, err := h.apiGet(s, "/OAuth/TokenInfo"); status != 200 || err != nil {
		t.Fatalf("after expiry: %d %v", status, err)
	}
	if !s.Expiry().After(first) || h.tokenRequests("client_credentials") != 2 {
		t.Fatalf("no new token after expiry (%d client_credentials requests)", h.tokenRequests("client_credentials"))
	}
	// Relaunch: no refresh token needed.
	if _, err := Resume(context.Background(), o); err != nil {
		t.Fatalf("service account relaunch: %v", err)
	}
	// The credentials travel in the Basic header: the sandbox refuses them in the body.
	for _, r := range h.srv.Requests() {
		if r.Grant == "client_credentials" && strings.Contains(r.Form, "client_secret") {
			t.Fatal("client secret sent in the body")
		}
	}
}

func TestKeyringWrapper(t *testing.T) {
	keyring.MockInit()
	k := &Keyring{}
	if _, err := k.Get("p", EntryRefreshToken); !errors.Is(err, ErrNotStored) {
		t.Fatalf("missing entry: %v", err)
	}
	if err := ProbeKeyring(k); err != nil {
		t.Fatalf("probe: %v", err)
	}
	if err := k.Set("p", EntryRefreshToken, "qZR6!Ivalue"); err != nil {
		t.Fatal(err)
	}
	if v, _ := k.Get("p", EntryRefreshToken); v != "qZR6!Ivalue" {
		t.Fatalf("got %q", v)
	}
	var ke *KeyringError
	if err := k.Set("p", EntryRefreshToken, strings.Repeat("x", 3000)); !errors.As(err, &ke) || !strings.Contains(err.Error(), "more than") {
		t.Fatalf("oversized value: %v", err)
	}
	if err := k.Delete("p", EntryRefreshToken); err != nil {
		t.Fatal(err)
	}
	if err := k.Delete("p", EntryRefreshToken); err != nil {
		t.Fatalf("deleting a missing entry: %v", err)
	}

	keyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	if err := ProbeKeyring(k); err == nil || !strings.Contains(err.Error(), "system keyring") {
		t.Fatalf("probe without a keyring: %v", err)
	}

	// A slow keyring (an unlock prompt) is reported while we wait, then times out clearly.
	slow := &Keyring{Timeout: 300 * time.Millisecond, SlowAfter: 50 * time.Millisecond, backend: slowBackend{}}
	var events []string
	var mu sync.Mutex
	slow.SetOnWait(func(op string, waiting bool) {
		mu.Lock()
		events = append(events, fmt.Sprint(waiting))
		mu.Unlock()
	})
	err := slow.Set("p", EntryClientSecret, "s")
	if err == nil || !strings.Contains(err.Error(), "may be locked") {
		t.Fatalf("slow keyring: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(events, ",") != "true,false" {
		t.Fatalf("wait notices %v, want true then false", events)
	}
}

type slowBackend struct{}

func (slowBackend) Get(string, string) (string, error) { time.Sleep(time.Second); return "", nil }
func (slowBackend) Set(string, string, string) error   { time.Sleep(time.Second); return nil }
func (slowBackend) Delete(string, string) error        { time.Sleep(time.Second); return nil }
