package auth

import (
	"errors"
	"fmt"
	"os"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
)

// SecretEnv is the environment variable that may carry the client secret,
// for IT deployments and automation.
const SecretEnv = "CEZANNE_CLIENT_SECRET"

// ClientSecret finds the profile's client secret: the environment first (IT
// deployments), then the keyring, only if it was saved for p's tenant and
// client ID. The bool says whether it came from the keyring.
func ClientSecret(store keyring.Store, p *Profile) (string, bool, error) {
	if v := os.Getenv(SecretEnv); v != "" {
		return v, false, nil
	}
	v, err := Secrets(store, p).Get(p.Name, keyring.EntryClientSecret)
	var be *keyring.BindingError
	switch {
	case errors.As(err, &be):
		return "", false, fmt.Errorf("%w; %w", be, ErrNoClientSecret)
	case errors.Is(err, keyring.ErrNotStored):
		return "", false, ErrNoClientSecret
	}
	return v, err == nil, err
}
