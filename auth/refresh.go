package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptrace"
	"sync/atomic"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// refresh gets a new access token: with the refresh token, or for a
// service account with the client credentials. The caller holds refreshMu.
// With rotation, the new refresh token is saved to the keyring before the
// new access token is handed out, so a crash between the two can never
// leave only a dead token stored. Failures before the request left (dial,
// proxy, TLS) and tenant outages (5xx) are retried with backoff and then
// reported as offline; the session survives them. A refresh whose request
// was sent but whose answer was lost is not retried: it ends the session.
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
	var lost *LostAnswerError
	switch {
	case err == nil:
	case errors.As(err, &offline):
		return err
	case errors.As(err, &lost):
		s.stop("refresh answer lost; not asking again with the old refresh token")
		return err
	case oauthErrorCode(err) == "invalid_grant" && !service:
		s.stop("stored sign-in no longer valid")
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
			sctx, sent := watchSent(ctx)
			t, err = s.cfg.TokenSource(sctx, &oauth2.Token{RefreshToken: old}).Token()
			if err != nil && sent.Load() && !answered(err) {
				return nil, &LostAnswerError{Err: err}
			}
		}
		if err == nil || !temporary(ctx, err) || attempt == len(s.retryDelays) {
			return t, err
		}
		s.logger.Info("token request failed; retrying", "profile", s.Profile.Name, "attempt", attempt+1, "err", logText(err))
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
	var rd *RedirectError
	return !errors.As(err, &rd)
}

// answered is true when the tenant's answer arrived, whatever it said: an
// OAuth error, an outage page, or a redirect the app refused. Only then is
// it known that no new refresh token was lost on the way.
func answered(err error) bool {
	var re *oauth2.RetrieveError
	var rd *RedirectError
	return errors.As(err, &re) || errors.As(err, &rd)
}

// watchSent notes whether any of the request was written. Until then the
// tenant provably never saw the refresh token (the dial, proxy or TLS
// handshake failed), so asking again cannot look like reuse; after it, a
// lost answer may have carried a rotated token the tenant now expects.
func watchSent(ctx context.Context) (context.Context, *atomic.Bool) {
	sent := new(atomic.Bool)
	mark := func() { sent.Store(true) }
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteHeaders: mark,
		WroteRequest: func(httptrace.WroteRequestInfo) { mark() },
	}), sent
}

// stop ends the session for good and forgets the stored refresh token: the
// tenant refused it, or may have rotated it away, and replaying it at the
// next start would at best fail and at worst make the tenant revoke the
// grant as stolen.
func (s *Session) stop(why string) {
	s.mu.Lock()
	s.dead = true
	s.mu.Unlock()
	s.logger.Info(why, "profile", s.Profile.Name)
	if derr := s.forgetRefreshToken(); derr != nil {
		s.logger.Warn("could not forget the stored refresh token", "err", derr)
	}
}

// forgetRefreshToken deletes the stored refresh token; one already gone
// is no error.
func (s *Session) forgetRefreshToken() error {
	err := s.store.Delete(s.Profile.Name, keyring.EntryRefreshToken)
	if errors.Is(err, keyring.ErrNotStored) {
		return nil
	}
	return err
}

// logText is an error short enough for a log line: a tenant's 5xx page
// comes back whole inside oauth2's error, and a log is no place for
// hundreds of kilobytes of someone else's HTML.
func logText(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		return fmt.Sprintf("HTTP %d: %s", re.Response.StatusCode, clip(string(re.Body), maxLoggedBody))
	}
	return clip(err.Error(), maxLoggedBody)
}

// maxLoggedBody is how much of a tenant's answer a log line keeps.
const maxLoggedBody = 200

// clip is shorten that also says how long s was.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return shorten(s, n) + fmt.Sprintf(" (%d bytes in all)", len(s))
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
		// Keep working from memory; never fall back to a plain file. The
		// entry still holds the token rt replaced: replayed at the next
		// start, a rotating tenant would take it for a stolen one and
		// revoke the grant, this session's too. So it goes, if it can.
		err = &SessionOnlyError{Err: err, StaleKept: s.forgetRefreshToken()}
		s.logger.Warn("refresh token not saved", "profile", s.Profile.Name, "err", err)
	}
	s.mu.Lock()
	s.warning = err
	s.mu.Unlock()
}
