package auth

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
)

// TestStoredSecretsStayWithTheirTenant: the refresh token and client
// secret saved for a profile are never handed to a profile of the same
// name that names another tenant origin or client ID (a crafted profile
// file): it gets "not stored", and the other host hears nothing.
func TestStoredSecretsStayWithTheirTenant(t *testing.T) {
	var mu sync.Mutex
	var heard []string
	other := fakeTenant(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		heard = append(heard, r.URL.Path+" "+string(b))
		mu.Unlock()
		http.Error(w, "no", http.StatusBadRequest)
	})
	saved := testProfile(t, func(p *Profile) { p.Name = "Production" })
	tests := []struct {
		name   string
		mutate func(p *Profile)
	}{
		{"another origin", func(p *Profile) { p.BaseURL = other.BaseURL }},
		{"another client ID", func(p *Profile) { p.ClientID = "attacker-client" }},
		{"another port", func(p *Profile) { p.BaseURL = "https://w3.cezanneondemand.com:8443/CezanneOnDemand" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(SecretEnv, "")
			store := keyring.NewMemoryStore()
			saveSecrets(t, store, saved, "rt-saved-for-w3", "secret-saved-for-w3")
			crafted := *saved
			tt.mutate(&crafted)
			if secret, _, err := ClientSecret(store, &crafted); !errors.Is(err, ErrNoClientSecret) || secret != "" {
				t.Fatalf("ClientSecret for the crafted profile = %q, %v; want ErrNoClientSecret", secret, err)
			}
			o := Options{Profile: &crafted, Store: store, ClientSecret: "typed", RetryDelays: []time.Duration{}}
			if _, err := Resume(context.Background(), o); !errors.Is(err, ErrNoStoredSignIn) {
				t.Fatalf("Resume with the crafted profile = %v, want ErrNoStoredSignIn", err)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(heard) != 0 {
				t.Fatalf("the other host received %q", heard)
			}
			// The profile it was saved for still has it.
			if secret, fromKeyring, err := ClientSecret(store, saved); secret != "secret-saved-for-w3" || !fromKeyring || err != nil {
				t.Fatalf("ClientSecret for the saved profile = %q, %v, %v", secret, fromKeyring, err)
			}
		})
	}
}

// saveSecrets saves as signing in does: through the Options' store.
func saveSecrets(t *testing.T, store keyring.Store, p *Profile, rt, secret string) {
	t.Helper()
	o := Options{Profile: p, Store: store, ClientSecret: secret}
	if err := o.defaults(); err != nil {
		t.Fatal(err)
	}
	newSession(o).saveRefreshToken(rt)
	if err := o.Store.Set(p.Name, keyring.EntryClientSecret, secret); err != nil {
		t.Fatal(err)
	}
}

func TestSecretsOrigin(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *Profile)
		want   string
	}{
		{"subdomain", func(p *Profile) { p.BaseURL, p.Subdomain = "", "w3" }, "https://w3.cezanneondemand.com:443"},
		{"base URL with case", func(p *Profile) { p.BaseURL = "HTTPS://W3.CezanneOnDemand.com/CezanneOnDemand" }, "https://w3.cezanneondemand.com:443"},
		{"explicit port", func(p *Profile) { p.BaseURL = "https://w3.cezanneondemand.com:443/X" }, "https://w3.cezanneondemand.com:443"},
		{"loopback http", func(p *Profile) { p.BaseURL = "http://127.0.0.1:8765/CezanneOnDemand" }, "http://127.0.0.1:8765"},
		{"loopback http default port", func(p *Profile) { p.BaseURL = "http://localhost/CezanneOnDemand" }, "http://localhost:80"},
		{"IPv6", func(p *Profile) { p.BaseURL = "http://[::1]:8765/CezanneOnDemand" }, "http://[::1]:8765"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testProfile(t, tt.mutate)
			if got := p.TenantOrigin(); got != tt.want {
				t.Fatalf("TenantOrigin = %q, want %q", got, tt.want)
			}
		})
	}
	// Two spellings of one tenant share their secrets.
	store := keyring.NewMemoryStore()
	a := testProfile(t, func(p *Profile) { p.BaseURL, p.Subdomain = "", "w3" })
	b := testProfile(t, func(p *Profile) { p.BaseURL = "https://W3.cezanneondemand.com:443/CezanneOnDemand" })
	if err := Secrets(store, a).Set(a.Name, keyring.EntryClientSecret, "s"); err != nil {
		t.Fatal(err)
	}
	if v, err := Secrets(store, b).Get(b.Name, keyring.EntryClientSecret); v != "s" || err != nil {
		t.Fatalf("same tenant spelt differently: %q, %v", v, err)
	}
	if !strings.HasPrefix(a.TenantOrigin(), "https://") {
		t.Fatal(a.TenantOrigin())
	}
}

func TestDisplayOrigin(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://w3.cezanneondemand.com:443", "https://w3.cezanneondemand.com"},
		{"https://w3.cezanneondemand.com:8443", "https://w3.cezanneondemand.com:8443"},
		{"http://localhost:80", "http://localhost"},
		{"http://127.0.0.1:443", "http://127.0.0.1:443"},
		{"http://[::1]:8765", "http://[::1]:8765"},
	}
	for _, tt := range tests {
		if got := DisplayOrigin(tt.in); got != tt.want {
			t.Errorf("DisplayOrigin(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
