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
	"golang.org/x/oauth2/clientcredentials"
)

// ErrSignInAgain means the stored sign-in can no longer be used (expired,
// revoked, or rotated away): the person has to sign in in the browser again.
var ErrSignInAgain = errors.New("your sign-in has expired or was revoked; please sign in again")

// ErrOffline means the tenant could not be reached. The session is kept and
// the next call tries again.
var ErrOffline = errors.New("offline")

// OfflineError is a token request that failed for network reasons (or a
// tenant outage) even after retrying.
type OfflineError struct{ Err error }

func (e *OfflineError) Error() string {
	return "cannot reach the Cezanne tenant right now (" + e.Err.Error() + "); you are still signed in and the app will try again"
}
func (e *OfflineError) Unwrap() error        { return e.Err }
func (e *OfflineError) Is(target error) bool { return target == ErrOffline }

// retryDelays are the pauses between attempts of a token request that
// failed for network reasons.
var retryDelays = []time.Duration{300 * time.Millisecond, time.Second, 3 * time.Second}

// Session is a signed-in profile. It is an oauth2.TokenSource that refreshes
// ahead of expiry under one lock and persists every new refresh token before
// the access token that came with it is used.
type Session struct {
	Profile *Profile

	cfg    *oauth2.Config
	secret string
	store  SecretStore
	http   *http.Client
	logger *slog.Logger

	mu          sync.Mutex
	token       *oauth2.Token
	life        time.Duration
	lastRefresh time.Time
	warning     error
	dead        bool // the tenant refused the sign-in: never ask again
	onChange    func()
	now         func() time.Time
}

func newSession(p *Profile, secret string, store SecretStore, hc *http.Client, logger *slog.Logger) *Session {
	return &Session{Profile: p, cfg: oauthConfig(p, secret), secret: secret, store: store, http: hc, logger: logger, now: time.Now}
}

// Status is a snapshot of the session for the UI.
type Status struct {
	Expiry      time.Time
	LastRefresh time.Time
	Granted     []string
	Requested   []string
	Warning     error
	// RefreshToken says whether there is one (service accounts have none).
	RefreshToken bool
}

// Status reports the session's current state.
func (s *Session) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Status{LastRefresh: s.lastRefresh, Granted: s.grantedLocked(), Requested: s.Profile.Scopes, Warning: s.warning}
	if s.token != nil {
		st.Expiry, st.RefreshToken = s.token.Expiry, s.token.RefreshToken != ""
	}
	return st
}

// OnChange registers f to be called (from any goroutine) after every token
// change or keyring warning, so the UI can show the session's state.
func (s *Session) OnChange(f func()) {
	s.mu.Lock()
	s.onChange = f
	s.mu.Unlock()
}

func (s *Session) changed() {
	s.mu.Lock()
	f := s.onChange
	s.mu.Unlock()
	if f != nil {
		f()
	}
}

// Token returns a valid access token, refreshing it first when it is close
// to expiry. Concurrent callers wait for the one refresh in flight.
func (s *Session) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	if s.token != nil && s.token.AccessToken != "" && !s.expiringLocked() && !s.dead {
		t := s.token
		s.mu.Unlock()
		return t, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), tokenCallTimeout)
	defer cancel()
	err := s.refreshLocked(ctx)
	t := s.token
	s.mu.Unlock()
	s.changed()
	if err != nil {
		return nil, err
	}
	return t, nil
}

// Refresh gets a new access token now ("Refresh now" in the UI).
func (s *Session) Refresh(ctx context.Context) error {
	s.mu.Lock()
	err := s.refreshLocked(ctx)
	s.mu.Unlock()
	s.changed()
	return err
}

// invalidate forgets an access token the tenant refused, so the next call
// refreshes; a token already replaced by a concurrent refresh is left alone.
func (s *Session) invalidate(access string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token != nil && s.token.AccessToken == access {
		t := *s.token
		t.Expiry = s.now().Add(-time.Second)
		s.token = &t
	}
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
	s.lastRefresh = s.now()
	s.life = 0
	if !t.Expiry.IsZero() {
		s.life = t.Expiry.Sub(s.now())
	}
}

// refreshLocked gets a new access token: with the refresh token, or for a
// service account with the client credentials. With rotation, the new
// refresh token is saved to the keyring before the new access token is
// handed out, so a crash between the two can never leave only a dead token
// stored. Network failures are retried with backoff and then reported as
// offline; the session survives them.
func (s *Session) refreshLocked(ctx context.Context) error {
	if s.dead {
		return ErrSignInAgain
	}
	service := s.Profile.ServiceAccount()
	if !service && (s.token == nil || s.token.RefreshToken == "") {
		return ErrSignInAgain
	}
	var old string
	if s.token != nil {
		old = s.token.RefreshToken
	}
	ctx = context.WithValue(ctx, oauth2.HTTPClient, s.http)
	var t *oauth2.Token
	var err error
	for attempt := 0; ; attempt++ {
		if service {
			t, err = s.serviceConfig().Token(ctx)
		} else {
			t, err = s.cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: old}).Token()
		}
		if err == nil || !temporary(ctx, err) || attempt == len(retryDelays) {
			break
		}
		s.logger.Info("token request failed; retrying", "profile", s.Profile.Name, "attempt", attempt+1, "err", err)
		select {
		case <-time.After(retryDelays[attempt]):
		case <-ctx.Done():
			return &OfflineError{Err: ctx.Err()}
		}
	}
	switch {
	case err == nil:
	case oauthErrorCode(err) == "invalid_grant" && !service:
		s.dead = true
		s.logger.Info("stored sign-in no longer valid", "profile", s.Profile.Name)
		if derr := s.store.Delete(s.Profile.Name, EntryRefreshToken); derr != nil {
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
		s.saveRefreshTokenLocked(t.RefreshToken)
	}
	s.setTokenLocked(t)
	s.logger.Info("access token refreshed", "profile", s.Profile.Name, "expires_in_s", int(s.life.Seconds()))
	return nil
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
	return s.grantedLocked()
}

func (s *Session) grantedLocked() []string {
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
// A 401 on a request that can be replayed makes it refresh once and retry
// once: tokens can be revoked or expire early, and that must not show as an
// error when a refresh would fix it.
func (s *Session) Client() *http.Client {
	return &http.Client{
		Transport: &retryOn401{session: s, base: s.http.Transport},
		Timeout:   s.http.Timeout,
	}
}

type retryOn401 struct {
	session *Session
	base    http.RoundTripper
}

func (rt *retryOn401) RoundTrip(req *http.Request) (*http.Response, error) {
	send := func() (*http.Response, string, error) {
		tok, err := rt.session.Token()
		if err != nil {
			return nil, "", err
		}
		r := req.Clone(req.Context())
		tok.SetAuthHeader(r)
		base := rt.base
		if base == nil {
			base = http.DefaultTransport
		}
		resp, err := base.RoundTrip(r)
		return resp, tok.AccessToken, err
	}
	resp, used, err := send()
	if err != nil || resp.StatusCode != http.StatusUnauthorized || (req.Body != nil && req.GetBody == nil) {
		return resp, err
	}
	resp.Body.Close()
	rt.session.invalidate(used)
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		req = req.Clone(req.Context())
		req.Body = body
	}
	resp, _, err = send()
	return resp, err
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
