package auth

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
)

// Session is a signed-in profile. It is an oauth2.TokenSource that refreshes
// ahead of expiry, one refresh at a time, and persists every new refresh
// token before the access token that came with it is used.
type Session struct {
	Profile *Profile

	cfg         *oauth2.Config
	secret      string
	store       keyring.Store
	http        *http.Client
	logger      *slog.Logger
	retryDelays []time.Duration
	now         func() time.Time

	// refreshMu serialises refreshes, so concurrent callers near expiry
	// share one. It is held across the token request and the keyring
	// write, which can take seconds (a slow tenant, an unlock prompt), so
	// nothing the UI reads may wait for it.
	refreshMu sync.Mutex

	// mu guards the fields below. It is held only to read or write them,
	// never across a call to the tenant or the keyring, so Status and the
	// other accessors answer at once, even during a refresh.
	mu          sync.Mutex
	token       *oauth2.Token
	life        time.Duration
	lastRefresh time.Time
	warning     error
	dead        bool // the tenant refused the sign-in: never ask again
	onChange    func()
}

// newSession starts a session from defaulted Options, before any token.
func newSession(o Options) *Session {
	p := o.Profile
	return &Session{Profile: p, cfg: oauthConfig(p, o.ClientSecret), secret: o.ClientSecret, store: o.Store,
		http: o.HTTPClient, logger: o.Logger, retryDelays: o.RetryDelays, now: time.Now}
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

// Status reports the session's current state without waiting for a
// refresh in flight.
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
	if t := s.usableToken(); t != nil {
		return t, nil
	}
	s.refreshMu.Lock()
	// A refresh that ended while this caller waited has done its work.
	if t := s.usableToken(); t != nil {
		s.refreshMu.Unlock()
		return t, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), tokenCallTimeout)
	err := s.refresh(ctx)
	cancel()
	s.refreshMu.Unlock()
	s.changed()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.token, nil
}

// Refresh gets a new access token now ("Refresh now" in the UI).
func (s *Session) Refresh(ctx context.Context) error {
	s.refreshMu.Lock()
	err := s.refresh(ctx)
	s.refreshMu.Unlock()
	s.changed()
	return err
}

// usableToken is the current token when it can be sent as it is, else nil.
func (s *Session) usableToken() *oauth2.Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token != nil && s.token.AccessToken != "" && !s.expiringLocked() && !s.dead {
		return s.token
	}
	return nil
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

func (s *Session) setToken(t *oauth2.Token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token = t
	s.lastRefresh = s.now()
	s.life = 0
	if !t.Expiry.IsZero() {
		s.life = t.Expiry.Sub(s.now())
	}
}

// lifetime is how long the current access token was valid for when it came.
func (s *Session) lifetime() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.life
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
