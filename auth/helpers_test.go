package auth

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox/sandboxtest"
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

// memStore is a MemoryStore whose writes can be made to fail.
type memStore struct {
	*keyring.MemoryStore
	failSet error
}

func newMemStore() *memStore { return &memStore{MemoryStore: keyring.NewMemoryStore()} }

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

// tenantHarness is a real sandbox tenant on loopback, behind a proxy, with
// a client that can be made to find the network down (to play "offline").
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
	cfg.LoopbackRedirect = freeRedirect(t)
	tenant := sandboxtest.Start(t, cfg)
	srv := tenant.Server
	h := &tenantHarness{t: t, srv: srv, tenant: tenant}
	target, _ := url.Parse(tenant.BaseURL())
	rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host})
	h.proxy = httptest.NewServer(rp)
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

func (h *tenantHarness) options(store keyring.Store) Options {
	// An outage refuses the connection: nothing is sent, so a refresh may be
	// retried (a request that was sent and lost ends the session instead).
	hc := NewHTTPClient()
	tr := hc.Transport.(*http.Transport)
	tr.DisableKeepAlives = true
	dial := tr.DialContext
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if h.down.Load() {
			return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("connection refused")}
		}
		return dial(ctx, network, addr)
	}
	return Options{
		Profile: h.profile, ClientSecret: h.secret, Store: store, HTTPClient: hc,
		RetryDelays: []time.Duration{10 * time.Millisecond, 20 * time.Millisecond},
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

func (h *tenantHarness) signIn(store keyring.Store) *Session {
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
	resp, err := s.HTTPClient().Get(h.profile.Root() + path)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// hookRecorder keeps what the SignInTrace hooks were told.
type hookRecorder struct {
	mu        sync.Mutex
	events    []string
	callbacks []CallbackInfo
	done      []DoneInfo
}

func (r *hookRecorder) note(e string) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

func (r *hookRecorder) hooks() *SignInTrace {
	return &SignInTrace{
		AuthorizeURL: func(string, bool) { r.note("authorize") },
		BrowserStart: func() { r.note("browser start") },
		BrowserDone:  func(error) { r.note("browser done") },
		CallbackReceived: func(info CallbackInfo) {
			r.mu.Lock()
			r.callbacks = append(r.callbacks, info)
			r.mu.Unlock()
			r.note("callback")
		},
		Done: func(info DoneInfo) {
			r.mu.Lock()
			r.done = append(r.done, info)
			r.mu.Unlock()
			r.note("done")
		},
	}
}

func (r *hookRecorder) seen() ([]string, []CallbackInfo, []DoneInfo) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.events), slices.Clone(r.callbacks), slices.Clone(r.done)
}

// stored reports whether the store holds an entry for the profile.
func stored(s keyring.Store, profile, entry string) bool {
	_, err := s.Get(profile, entry)
	return err == nil
}

// storeRefreshToken saves rt as p's stored sign-in, the way the session
// itself would find it.
func storeRefreshToken(t *testing.T, store keyring.Store, p *Profile, rt string) {
	t.Helper()
	if err := Secrets(store, p).Set(p.Name, keyring.EntryRefreshToken, rt); err != nil {
		t.Fatal(err)
	}
}
