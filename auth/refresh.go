package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// refresh gets a new access token: with the refresh token, or for a
// service account with the client credentials. The caller holds refreshMu.
// With rotation, the new refresh token is saved to the keyring before the
// new access token is handed out, so a crash between the two can never
// leave only a dead token stored. Network failures are retried with backoff
// and then reported as offline; the session survives them.
func (s *Session) refresh(ctx context.Context) error {
	s.mu.Lock()
	dead, old := s.dead, ""
	if s.token != nil {
		old = s.token.RefreshToken
	}
	s.mu.Unlock()
	service := s.Profile.ServiceAccount()
	if dead || (!service && old == "") {
		return ErrSignInAgain
	}
	t, err := s.requestToken(ctx, service, old)
	var offline *OfflineError
	switch {
	case err == nil:
	case errors.As(err, &offline):
		return err
	case oauthErrorCode(err) == "invalid_grant" && !service:
		s.mu.Lock()
		s.dead = true
		s.mu.Unlock()
		s.logger.Info("stored sign-in no longer valid", "profile", s.Profile.Name)
		if derr := s.store.Delete(s.Profile.Name, keyring.EntryRefreshToken); derr != nil {
			s.logger.Warn("could not forget the refused refresh token", "err", derr)
		}
		return ErrSignInAgain
	case temporary(ctx, err):
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			err = describeTokenError("refresh your sign-in", err)
		}
		return &OfflineError{Err: err}
	default:
		return describeTokenError("refresh your sign-in", err)
	}
	if t.RefreshToken != "" && t.RefreshToken != old {
		s.saveRefreshToken(t.RefreshToken)
	}
	s.setToken(t)
	s.logger.Info("access token refreshed", "profile", s.Profile.Name, "expires_in_s", int(s.lifetime().Seconds()))
	return nil
}

// requestToken asks the token endpoint, trying again after each of the
// session's retry delays while the failure is worth retrying. A ctx that
// ends during a pause is reported as offline.
func (s *Session) requestToken(ctx context.Context, service bool, old string) (*oauth2.Token, error) {
	ctx = context.WithValue(ctx, oauth2.HTTPClient, s.http)
	for attempt := 0; ; attempt++ {
		var t *oauth2.Token
		var err error
		if service {
			t, err = s.serviceConfig().Token(ctx)
		} else {
			t, err = s.cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: old}).Token()
		}
		if err == nil || !temporary(ctx, err) || attempt == len(s.retryDelays) {
			return t, err
		}
		s.logger.Info("token request failed; retrying", "profile", s.Profile.Name, "attempt", attempt+1, "err", err)
		select {
		case <-time.After(s.retryDelays[attempt]):
		case <-ctx.Done():
			return nil, &OfflineError{Err: ctx.Err()}
		}
	}
}

// temporary is true for failures worth retrying: no answer at all, or a
// tenant outage (HTTP 5xx), but not a refusal.
func temporary(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		return re.Response != nil && re.Response.StatusCode >= 500
	}
	return true
}

// serviceConfig requests tokens for a service account: client_credentials
// with the credentials in a Basic header, as Cezanne requires.
func (s *Session) serviceConfig() *clientcredentials.Config {
	return &clientcredentials.Config{
		ClientID: s.Profile.ClientID, ClientSecret: s.secret, TokenURL: s.Profile.TokenEndpoint(),
		Scopes: s.Profile.Scopes, AuthStyle: oauth2.AuthStyleInHeader,
	}
}

// saveRefreshToken writes rt to the keyring, outside the state lock (the
// keyring may be showing an unlock prompt), and records whether it worked.
func (s *Session) saveRefreshToken(rt string) {
	err := s.store.Set(s.Profile.Name, keyring.EntryRefreshToken, rt)
	if err != nil {
		// Keep working from memory; the person is told they will have to
		// sign in again next time. Never fall back to a plain file.
		err = fmt.Errorf("you are signed in for this session only: %w", err)
		s.logger.Warn("refresh token not saved", "profile", s.Profile.Name, "err", err)
	}
	s.mu.Lock()
	s.warning = err
	s.mu.Unlock()
}
