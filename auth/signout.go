package auth

import (
	"errors"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
)

// SignOut forgets the profile's stored sign-in, and its client secret too
// when forgetSecret is set.
func SignOut(store keyring.Store, p *Profile, forgetSecret bool) error {
	store = Secrets(store, p)
	err := store.Delete(p.Name, keyring.EntryRefreshToken)
	if forgetSecret {
		err = errors.Join(err, store.Delete(p.Name, keyring.EntryClientSecret))
	}
	return err
}
