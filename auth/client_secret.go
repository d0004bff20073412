package auth

import (
	"errors"
	"os"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
)

// SecretEnv is the environment variable that may carry the client secret,
// for IT deployments and automation.
const SecretEnv = "CEZANNE_CLIENT_SECRET"

// ClientSecret finds the profile's client secret: the environment first (IT
// deployments), then the keyring. The bool says whether it came from the keyring.
func ClientSecret(store keyring.Store, p *Profile) (string, bool, error) {
	if v := os.Getenv(SecretEnv); v != "" {
		return v, false, nil
	}
	v, err := store.Get(p.Name, keyring.EntryClientSecret)
	if errors.Is(err, keyring.ErrNotStored) {
		return "", false, ErrNoClientSecret
	}
	return v, err == nil, err
}
