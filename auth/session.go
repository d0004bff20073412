package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// ErrSignInAgain means the stored sign-in can no longer be used (expired,
// revoked, or rotated away): the person has to sign in in the browser again.
var ErrSignInAgain = errors.New("your sign-in has expired or was revoked; please sign in again")

// Session is a signed-in profile. It is an oauth2.TokenSource that refreshes
// ahead of expiry under one lock and persists every new refresh token before
// the access token that came with it is used.
type Session struct {
	Profile *Profile

	cfg    *oauth2.Config
	store  SecretStore
	http   *http.Client
	logger *slog.Logger

	mu      sync.Mutex
	token   *oauth2.Token
	life    time.Duration
	warning error
	now     func() time.Time
}

func newSession(p *Profile, cfg *oauth2.Config, store SecretStore, hc *http.Client, logger *slog.Logger) *Session {
	return &Session{Profile: p, cfg: cfg, store: store, http: hc, logger: logger, now: time.Now}
}

// Token returns a valid access token, refreshing it first when it is close
// to expiry. Concurrent callers wait for the one refresh in flight.
func (s *Session) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token != nil && s.token.AccessToken != "" && !s.expiringLocked() {
		return s.token, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), tokenCallTimeout)
	defer cancel()
	if err := s.refreshLocked(ctx); err != nil {
		return nil, err
	}
	return s.token, nil
}

// expiringLocked is true within a skew of the expiry: a fifth of the
// lifetime, at most a minute, so short-lived tokens are not refreshed on
// every call and long-lived ones not at the last second.
func (s *Session) expiringLocked() bool {
	if s.token.Expiry.IsZero() {
		return false
	}
	skew := min(time.Minute, s.life/5)
	return !s.now().Add(skew).Before(s.token.Expiry)
}

func (s *Session) setTokenLocked(t *oauth2.Token) {
	s.token = t
	s.life = time.Until(t.Expiry)
	if t.Expiry.IsZero() {
		s.life = 0
	}
}

// refreshLocked redeems the refresh token. With rotation, the new refresh
// token is saved to the keyring before the new access token is handed out,
// so a crash between the two can never leave only a dead token stored.
func (s *Session) refreshLocked(ctx context.Context) error {
	if s.token == nil || s.token.RefreshToken == "" {
		return ErrSignInAgain
	}
	old := s.token.RefreshToken
	ctx = context.WithValue(ctx, oauth2.HTTPClient, s.http)
	t, err := s.cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: old}).Token()
	if err != nil {
		if oauthErrorCode(err) == "invalid_grant" {
			s.logger.Info("stored sign-in no longer valid", "profile", s.Profile.Name)
			if derr := s.store.Delete(s.Profile.Name, EntryRefreshToken); derr != nil {
				s.logger.Warn("could not forget the refused refresh token", "err", derr)
			}
			return ErrSignInAgain
		}
		return describeTokenError("refresh your sign-in", err)
	}
	if t.RefreshToken != "" && t.RefreshToken != old {
		s.saveRefreshTokenLocked(t.RefreshToken)
	}
	s.setTokenLocked(t)
	s.logger.Info("access token refreshed", "profile", s.Profile.Name, "expires_in_s", int(s.life.Seconds()))
	return nil
}

func (s *Session) saveRefreshTokenLocked(rt string) {
	if err := s.store.Set(s.Profile.Name, EntryRefreshToken, rt); err != nil {
		// Keep working from memory; the person is told they will have to
		// sign in again next time. Never fall back to a plain file.
		s.warning = fmt.Errorf("you are signed in for this session only: %w", err)
		s.logger.Warn("refresh token not saved", "profile", s.Profile.Name, "err", err)
		return
	}
	s.warning = nil
}

// Warning is the last keyring problem, or nil when the sign-in is saved.
func (s *Session) Warning() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.warning
}

// GrantedScopes are the scopes the tenant reports it granted (the requested
// ones when the response did not say).
func (s *Session) GrantedScopes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token != nil {
		if sc, ok := s.token.Extra("scope").(string); ok && sc != "" {
			return strings.Fields(sc)
		}
	}
	return s.Profile.Scopes
}

// Expiry is when the current access token expires.
func (s *Session) Expiry() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token == nil {
		return time.Time{}
	}
	return s.token.Expiry
}

// Client returns an HTTP client that sends the access token in the
// Authorization header (never as a query parameter) and refreshes as needed.
func (s *Session) Client() *http.Client {
	return &http.Client{
		Transport: &oauth2.Transport{Source: s, Base: s.http.Transport},
		Timeout:   s.http.Timeout,
	}
}

// oauthErrorCode extracts the OAuth "error" of a token endpoint failure.
func oauthErrorCode(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		return re.ErrorCode
	}
	return ""
}

// TokenError is a failed token request in words a person can act on.
type TokenError struct {
	Op      string
	Code    string // OAuth error code, if the server sent one
	Status  int
	Message string // the server's own description, if any
	Err     error
}

func (e *TokenError) Error() string {
	var hint string
	switch e.Code {
	case "invalid_client":
		hint = "the tenant did not accept the client ID or client secret; check them with whoever registered the application"
	case "invalid_grant":
		hint = "the tenant refused the authorization (it may have expired or been used already); sign in again"
	case "unauthorized_client":
		hint = "this application is not allowed to sign in this way; ask Cezanne support to check its registration"
	case "invalid_scope":
		hint = "the tenant does not allow the requested scopes for this application"
	case "":
		if e.Status != 0 {
			hint = fmt.Sprintf("the tenant answered with HTTP %d", e.Status)
		} else {
			hint = "could not reach the tenant: " + e.Err.Error()
		}
	default:
		hint = "the tenant refused the request (" + e.Code + ")"
	}
	msg := "Could not " + e.Op + ": " + hint
	if e.Message != "" {
		msg += ". The server said: " + e.Message
	}
	return msg
}

func (e *TokenError) Unwrap() error { return e.Err }

func describeTokenError(op string, err error) error {
	te := &TokenError{Op: op, Err: err}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		te.Code, te.Message = re.ErrorCode, re.ErrorDescription
		if re.Response != nil {
			te.Status = re.Response.StatusCode
		}
	}
	return te
}
