package auth

import (
	"errors"
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
	}{
		{"environment first", "from-env", "from-keyring", "from-env", false, nil},
		{"then the keyring", "", "from-keyring", "from-keyring", true, nil},
		{"neither", "", "", "", false, ErrNoClientSecret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(SecretEnv, tt.env)
			store := keyring.NewMemoryStore()
			if tt.stored != "" {
				_ = store.Set(p.Name, keyring.EntryClientSecret, tt.stored)
			}
			got, fromKeyring, err := ClientSecret(store, p)
			if got != tt.want || fromKeyring != tt.fromKeyring || !errors.Is(err, tt.wantErr) {
				t.Fatalf("ClientSecret = %q, %v, %v", got, fromKeyring, err)
			}
		})
	}
}
