package auth

import (
	"errors"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
)

// SignOut forgets the profile's stored sign-in, and its client secret too
// when forgetSecret is set. It deletes whatever tenant and client the
// entries were bound to (see Secrets), so it needs no binding.
func SignOut(store keyring.Store, p *Profile, forgetSecret bool) error {
	err := store.Delete(p.Name, keyring.EntryRefreshToken)
	if forgetSecret {
		err = errors.Join(err, store.Delete(p.Name, keyring.EntryClientSecret))
	}
	return err
}
