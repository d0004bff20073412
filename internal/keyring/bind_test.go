package keyring

import (
	"errors"
	"strings"
	"testing"
)

// TestBind: a value saved for one tenant origin and client ID is given back
// only to the same pair; any other pair, and a value saved before entries
// were bound, reads as "not stored" and never yields the secret.
func TestBind(t *testing.T) {
	const origin, client = "https://w3.cezanneondemand.com:443", "hrdesktop.app.cezannehr.com"
	tests := []struct {
		name     string
		save     func(raw Store) error
		origin   string
		clientID string
		want     string // "" means not given
		bindErr  bool   // the error says it was saved for another tenant or client
	}{
		{"same tenant and client", func(raw Store) error { return Bind(raw, origin, client).Set("P", EntryRefreshToken, "rt-1") }, origin, client, "rt-1", false},
		{"another origin", func(raw Store) error { return Bind(raw, origin, client).Set("P", EntryRefreshToken, "rt-1") }, "https://evil.example:443", client, "", true},
		{"another port", func(raw Store) error { return Bind(raw, origin, client).Set("P", EntryRefreshToken, "rt-1") }, "https://w3.cezanneondemand.com:8443", client, "", true},
		{"another client", func(raw Store) error { return Bind(raw, origin, client).Set("P", EntryRefreshToken, "rt-1") }, origin, "other-client", "", true},
		{"origin and client run together differently", func(raw Store) error { return Bind(raw, "https://a:443", "b\x00c").Set("P", EntryRefreshToken, "rt-1") }, "https://a:443\x00b", "c", "", true},
		{"saved before binding", func(raw Store) error { return raw.Set("P", EntryRefreshToken, "rt-old") }, origin, client, "", true},
		{"looks bound but is not", func(raw Store) error { return raw.Set("P", EntryRefreshToken, boundPrefix+"zz") }, origin, client, "", true},
		{"nothing saved", func(Store) error { return nil }, origin, client, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := NewMemoryStore()
			if err := tt.save(raw); err != nil {
				t.Fatal(err)
			}
			got, err := Bind(raw, tt.origin, tt.clientID).Get("P", EntryRefreshToken)
			if got != tt.want {
				t.Fatalf("Get = %q, %v; want %q", got, err, tt.want)
			}
			if tt.want != "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, ErrNotStored) {
				t.Fatalf("Get error %v, want one that is ErrNotStored", err)
			}
			var be *BindingError
			if errors.As(err, &be) != tt.bindErr {
				t.Fatalf("Get error %v: binding error %v, want %v", err, !tt.bindErr, tt.bindErr)
			}
			if strings.Contains(err.Error(), "rt-") {
				t.Fatalf("the error shows the secret: %v", err)
			}
		})
	}
}

// TestBindStoresFingerprint: what reaches the keyring carries the binding,
// never the origin or client ID in clear, and Delete removes the entry
// whatever it was bound to.
func TestBindStoresFingerprint(t *testing.T) {
	raw := NewMemoryStore()
	a := Bind(raw, "https://a.example:443", "client-a")
	if err := a.Set("P", EntryClientSecret, "s3cret"); err != nil {
		t.Fatal(err)
	}
	v, _ := raw.Get("P", EntryClientSecret)
	if !strings.HasPrefix(v, boundPrefix) || !strings.HasSuffix(v, ":s3cret") || strings.Contains(v, "a.example") || strings.Contains(v, "client-a") {
		t.Fatalf("raw entry %q", v)
	}
	if err := Bind(raw, "https://b.example:443", "client-b").Delete("P", EntryClientSecret); err != nil || stored(raw, "P", EntryClientSecret) {
		t.Fatalf("Delete through another binding: %v", err)
	}
	if Bind(a, "https://b.example:443", "client-b") == a || Bind(a, "https://a.example:443", "client-a") != a {
		t.Fatal("binding a bound store again should rebind the underlying store")
	}
}
