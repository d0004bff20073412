package auth

import (
	"errors"
	"strings"
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
)

func TestClientSecret(t *testing.T) {
	p := testProfile(t, nil)
	tests := []struct {
		name        string
		env, stored string
		want        string
		fromKeyring bool
		wantErr     error
		// savedFor is the profile the secret was saved for (default p).
		savedFor *Profile
	}{
		{"environment first", "from-env", "from-keyring", "from-env", false, nil, nil},
		{"then the keyring", "", "from-keyring", "from-keyring", true, nil, nil},
		{"neither", "", "", "", false, ErrNoClientSecret, nil},
		{"saved for another tenant", "", "from-keyring", "", false, ErrNoClientSecret,
			testProfile(t, func(q *Profile) { q.BaseURL = "https://elsewhere.example/CezanneOnDemand" })},
		{"saved for another client", "", "from-keyring", "", false, ErrNoClientSecret, testProfile(t, func(q *Profile) { q.ClientID = "other" })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(SecretEnv, tt.env)
			store := keyring.NewMemoryStore()
			if tt.savedFor == nil {
				tt.savedFor = p
			}
			if tt.stored != "" {
				_ = Secrets(store, tt.savedFor).Set(p.Name, keyring.EntryClientSecret, tt.stored)
			}
			got, fromKeyring, err := ClientSecret(store, p)
			if got != tt.want || fromKeyring != tt.fromKeyring || !errors.Is(err, tt.wantErr) {
				t.Fatalf("ClientSecret = %q, %v, %v", got, fromKeyring, err)
			}
			if tt.savedFor != p && (err == nil || !strings.Contains(err.Error(), "another tenant or client ID")) {
				t.Fatalf("ClientSecret does not say why the saved secret is not used: %v", err)
			}
		})
	}
}
