package auth

import (
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
)

func TestSignOut(t *testing.T) {
	p := testProfile(t, nil)
	tests := []struct {
		forgetSecret bool
		keepsSecret  bool
	}{{false, true}, {true, false}}
	for _, tt := range tests {
		store := keyring.NewMemoryStore()
		_ = Secrets(store, p).Set(p.Name, keyring.EntryRefreshToken, "r")
		_ = Secrets(store, p).Set(p.Name, keyring.EntryClientSecret, "s")
		if err := SignOut(store, p, tt.forgetSecret); err != nil {
			t.Fatal(err)
		}
		if stored(store, p.Name, keyring.EntryRefreshToken) || stored(store, p.Name, keyring.EntryClientSecret) != tt.keepsSecret {
			t.Errorf("forgetSecret=%v: refresh token kept %v, secret kept %v", tt.forgetSecret,
				stored(store, p.Name, keyring.EntryRefreshToken), stored(store, p.Name, keyring.EntryClientSecret))
		}
	}
}
