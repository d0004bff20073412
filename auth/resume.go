package auth

import (
	"context"
	"errors"

	"golang.org/x/oauth2"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
)

// Resume signs in without a browser: from the refresh token in the keyring,
// or for a service account from its client credentials.
// ErrNoStoredSignIn: there is no refresh token; ErrSignInAgain: the tenant refused it.
func Resume(ctx context.Context, o Options) (s *Session, err error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	defer func() {
		if !errors.Is(err, ErrNoStoredSignIn) {
			o.Trace.done(DoneInfo{Resumed: true, Err: err})
		}
	}()
	s = newSession(o)
	if !o.Profile.ServiceAccount() {
		rt, err := o.Store.Get(o.Profile.Name, keyring.EntryRefreshToken)
		if errors.Is(err, keyring.ErrNotStored) {
			return nil, ErrNoStoredSignIn
		}
		if err != nil {
			return nil, err
		}
		s.token = &oauth2.Token{RefreshToken: rt}
	}
	ctx, cancel := context.WithTimeout(ctx, tokenCallTimeout)
	defer cancel()
	if err = s.Refresh(ctx); err != nil {
		return nil, err
	}
	o.Logger.Info("signed in from the keyring", "profile", o.Profile.Name)
	return s, nil
}
