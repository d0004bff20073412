package auth

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
)

func TestOrigin(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"https://w3.cezanneondemand.com/CezanneOnDemand", "https://W3.cezanneondemand.com:443/x", true},
		{"http://127.0.0.1/a", "http://127.0.0.1:80/b", true},
		{"https://w3.cezanneondemand.com/", "http://w3.cezanneondemand.com/", false},
		{"https://w3.cezanneondemand.com/", "https://w3.cezanneondemand.com:8443/", false},
		{"https://w3.cezanneondemand.com/", "https://w3.cezanneondemand.com.evil.example/", false},
		{"https://w3.cezanneondemand.com/", "https://evil.example/", false},
		{"https://w3.cezanneondemand.com/", "/relative", false},
	}
	for _, tt := range tests {
		t.Run(tt.a+" "+tt.b, func(t *testing.T) {
			a, b := originOf(tt.a), originOf(tt.b)
			if (a == b) != tt.same {
				t.Errorf("origins %q and %q: same = %v, want %v", a, b, a == b, tt.same)
			}
		})
	}
}

func TestTokenOrigins(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		target  string
		carries bool
	}{
		{"tenant", "", "https://w3.cezanneondemand.com/CezanneOnDemand/OAuth/TokenInfo", true},
		{"default data service", "", "https://w3.cezanneondemand.com/CezanneOnDemand/DataService.svc/People", true},
		{"tenant over http", "", "http://w3.cezanneondemand.com/CezanneOnDemand/OAuth/TokenInfo", false},
		{"tenant on another port", "", "https://w3.cezanneondemand.com:444/CezanneOnDemand/OAuth/TokenInfo", false},
		{"another host", "", "https://evil.example/People", false},
		{"own data service", "https://data.example/svc", "https://data.example/svc/People", true},
		{"tenant next to own data service", "https://data.example/svc", "https://w3.cezanneondemand.com/CezanneOnDemand/OAuth/TokenInfo", true},
		{"data service over http", "https://data.example/svc", "http://data.example/svc/People", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testProfile(t, func(p *Profile) { p.DataServiceURL = tt.data })
			u, _ := url.Parse(tt.target)
			if got := p.mayCarryToken(u); got != tt.carries {
				t.Errorf("mayCarryToken(%s) = %v, want %v", tt.target, got, tt.carries)
			}
		})
	}
}

// stranger is a server that must never hear from the app: it records every
// request and answers as a tenant would, so that following it succeeds.
type stranger struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string // method, path, Authorization header and body
}

func newStranger(t *testing.T) *stranger {
	s := &stranger{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.seen = append(s.seen, r.Method+" "+r.URL.Path+" auth="+r.Header.Get("Authorization")+" body="+string(body))
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"stolen","token_type":"bearer","expires_in":600,"refresh_token":"stolen"}`)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *stranger) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.seen...)
}

// TestBearerStaysWithTenantOrigin: a redirect (or a link) elsewhere never
// carries the access token; redirects within the tenant's origin still work.
func TestBearerStaysWithTenantOrigin(t *testing.T) {
	other := newStranger(t)
	otherHost := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
	var tenantURL string
	p := fakeTenant(t, hoppingTenant(&tenantURL, other.URL, otherHost))
	tenantURL = p.Root()
	store := keyring.NewMemoryStore()
	storeRefreshToken(t, store, p, "r0")
	s, err := Resume(context.Background(), Options{Profile: p, ClientSecret: "s", Store: store})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		target  string
		wantErr string // "" means a 200 from the tenant
	}{
		{"redirect within the tenant", p.Root() + "/hop/same", ""},
		{"redirect to another port", p.Root() + "/hop/port", "redirected the app to " + originOf(other.URL)},
		{"redirect to another host", p.Root() + "/hop/host", "redirected the app to " + originOf(otherHost)},
		{"request to another origin", other.URL + "/api", "does not send your sign-in to " + originOf(other.URL)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := s.HTTPClient().Get(tt.target)
			if err == nil {
				resp.Body.Close()
			}
			switch {
			case tt.wantErr == "" && (err != nil || resp.StatusCode != 200):
				t.Fatalf("got %v %v, want 200", resp, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("got error %v, want one saying %q", err, tt.wantErr)
			}
			if got := other.requests(); len(got) > 0 {
				t.Fatalf("another origin was sent %q", got)
			}
		})
	}
}

// hoppingTenant gives tokens, answers /api when the token comes with the
// call, and redirects /hop/same there, /hop/port to other (another port)
// and /hop/host to otherHost (another host name).
func hoppingTenant(tenantURL *string, other, otherHost string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		hops := map[string]string{"/hop/same": *tenantURL, "/hop/port": other, "/hop/host": otherHost}
		path := strings.TrimPrefix(r.URL.Path, "/CezanneOnDemand")
		switch {
		case path == "/OAuth/Token":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"access_token":"a1","token_type":"bearer","expires_in":600,"refresh_token":"r1"}`)
		case hops[path] != "":
			http.Redirect(w, r, hops[path]+"/api", http.StatusTemporaryRedirect)
		case r.Header.Get("Authorization") != "Bearer a1":
			w.WriteHeader(http.StatusUnauthorized)
		}
	}
}

// TestTokenCallsFollowNoRedirects: a 307/308 from the token endpoint would
// replay the form (secret, refresh token, code and verifier) to its target.
func TestTokenCallsFollowNoRedirects(t *testing.T) {
	tests := []struct {
		name   string
		status int
		run    func(t *testing.T, p *Profile) error
	}{
		{"refresh", http.StatusTemporaryRedirect, func(t *testing.T, p *Profile) error {
			store := keyring.NewMemoryStore()
			storeRefreshToken(t, store, p, "r0")
			_, err := Resume(context.Background(), Options{Profile: p, ClientSecret: "s3cret", Store: store})
			return err
		}},
		{"client credentials", http.StatusPermanentRedirect, func(t *testing.T, p *Profile) error {
			p.GrantType = GrantServiceAccount
			if err := p.Normalize(); err != nil {
				t.Fatal(err)
			}
			_, err := SignIn(context.Background(), Options{Profile: p, ClientSecret: "s3cret", Store: keyring.NewMemoryStore()})
			return err
		}},
		{"code exchange", http.StatusTemporaryRedirect, func(t *testing.T, p *Profile) error {
			p.RedirectURI = freeRedirect(t)
			_, err := SignIn(context.Background(), Options{Profile: p, ClientSecret: "s3cret", Store: keyring.NewMemoryStore(),
				OpenBrowser: deliver(t, func(state string) string { return "code=c0de&state=" + url.QueryEscape(state) })})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			other := newStranger(t)
			p := fakeTenant(t, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, other.URL+"/CezanneOnDemand/OAuth/Token", tt.status)
			})
			err := tt.run(t, p)
			if got := other.requests(); len(got) > 0 {
				t.Fatalf("the redirect's target was sent %q", got)
			}
			if err == nil || !strings.Contains(err.Error(), "never follow redirects") {
				t.Fatalf("got %v, want an error saying token requests follow no redirects", err)
			}
		})
	}
}
