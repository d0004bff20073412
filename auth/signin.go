package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"golang.org/x/oauth2"
)

var (
	// ErrCancelled means the person cancelled signing in.
	ErrCancelled = errors.New("signing in was cancelled")
	// ErrTimeout means no answer came back from the browser in time.
	ErrTimeout = errors.New("no answer came back from the browser in time; start signing in again")
	// ErrNoStoredSignIn means there is no refresh token to resume from.
	ErrNoStoredSignIn = errors.New("no stored sign-in")
	// ErrNoClientSecret means neither the environment nor the keyring has it.
	ErrNoClientSecret = errors.New("enter the client secret for this application")
)

// SecretEnv is the environment variable that may carry the client secret,
// for IT deployments and automation.
const SecretEnv = "CEZANNE_CLIENT_SECRET"

// tokenCallTimeout bounds every request to the token endpoint.
const tokenCallTimeout = 30 * time.Second

// Options configure signing in. Profile and Store are required.
type Options struct {
	Profile      *Profile
	ClientSecret string
	// SaveClientSecret stores ClientSecret in the keyring after a successful
	// sign-in (it was typed by the person, not taken from the environment).
	SaveClientSecret bool
	Store            SecretStore
	// OpenBrowser opens the system browser (default: none; required for SignIn).
	OpenBrowser func(url string) error
	// OnAttempt is told the attempt's URL before the browser opens, so the UI
	// can offer to copy it or open it again.
	OnAttempt func(a *Attempt)
	// HTTPClient is used for token requests (default NewHTTPClient()).
	HTTPClient *http.Client
	// Timeout bounds the wait for the browser (default 5 minutes).
	Timeout time.Duration
	Logger  *slog.Logger
	// Trace, when set, records every step of the run and every call the
	// session makes afterwards.
	Trace *Trace
	// SchemeInbox receives custom-scheme redirects (x-cez://…) handed to
	// the app by the OS; needed when the profile's redirect URI is one.
	SchemeInbox *SchemeInbox
	// State replaces the random state parameter (QA runs only: a fixed
	// state gives up its protection against forged answers).
	State string
}

func (o *Options) defaults() error {
	if o.Profile == nil || o.Store == nil {
		return errors.New("auth: Options need a Profile and a Store")
	}
	if o.HTTPClient == nil {
		o.HTTPClient = NewHTTPClient()
	}
	if o.Trace != nil {
		traced := *o.HTTPClient
		traced.Transport = o.Trace.Transport(o.HTTPClient.Transport)
		o.HTTPClient = &traced
	}
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Minute
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.ClientSecret == "" {
		return ErrNoClientSecret
	}
	return nil
}

// NewHTTPClient is the client for tenant calls: bounded connect, TLS and
// response-header waits, and an overall limit on every request.
func NewHTTPClient() *http.Client {
	return &http.Client{
		Timeout: tokenCallTimeout,
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: 30 * time.Second,
			MaxIdleConnsPerHost:   8,
			IdleConnTimeout:       90 * time.Second,
			ForceAttemptHTTP2:     true,
		},
	}
}

// ClientSecret finds the profile's client secret: the environment first (IT
// deployments), then the keyring. The bool says whether it came from the keyring.
func ClientSecret(store SecretStore, p *Profile) (string, bool, error) {
	if v := os.Getenv(SecretEnv); v != "" {
		return v, false, nil
	}
	v, err := store.Get(p.Name, EntryClientSecret)
	if errors.Is(err, ErrNotStored) {
		return "", false, ErrNoClientSecret
	}
	return v, err == nil, err
}

// SignIn runs the installed-application flow: it listens on the loopback
// redirect, opens the system browser on the Authorize URL, waits for the
// code, exchanges it, and stores the refresh token in the keyring. For a
// service-account profile it requests a client_credentials token instead.
func SignIn(ctx context.Context, o Options) (s *Session, err error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	defer func() { traceOutcome(o.Trace, "Signed in", err) }()
	p := o.Profile
	s = newSession(p, o.ClientSecret, o.Store, o.HTTPClient, o.Logger)
	if p.ServiceAccount() {
		if err := s.Refresh(ctx); err != nil {
			return nil, err
		}
	} else {
		tok, err := browserSignIn(ctx, o, s.cfg)
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		s.setTokenLocked(tok)
		if tok.RefreshToken != "" {
			s.saveRefreshTokenLocked(tok.RefreshToken)
		}
		s.mu.Unlock()
	}
	if o.SaveClientSecret {
		if err := o.Store.Set(p.Name, EntryClientSecret, o.ClientSecret); err != nil {
			o.Logger.Warn("client secret not saved", "profile", p.Name, "err", err)
		}
	}
	o.Logger.Info("signed in", "profile", p.Name, "service_account", p.ServiceAccount(), "expires_in_s", int(s.life.Seconds()))
	return s, nil
}

func browserSignIn(ctx context.Context, o Options, cfg *oauth2.Config) (*oauth2.Token, error) {
	if o.OpenBrowser == nil {
		return nil, errors.New("auth: SignIn needs OpenBrowser")
	}
	p := o.Profile
	redirect, err := ParseRedirectURI(p.RedirectURI)
	if err != nil {
		return nil, err
	}
	attempt := newAttempt(p, o.State)
	var wait func(context.Context) (string, error)
	switch redirect.Kind {
	case RedirectLoopback:
		receiver, err := ListenLoopback(redirect)
		if err != nil {
			return nil, err
		}
		defer receiver.Close()
		receiver.trace = o.Trace
		receiver.Expect(attempt.State)
		wait = receiver.Wait
	default:
		if o.SchemeInbox == nil {
			return nil, fmt.Errorf("this app cannot receive %s:// links here; use a loopback redirect URI such as http://127.0.0.1:47613/oauth-callback/", redirect.URL.Scheme)
		}
		var stop func()
		wait, stop = o.SchemeInbox.expect(redirect, attempt.State, o.Trace)
		defer stop()
	}
	o.Trace.authorizeStep(attempt.URL, o.State != "")
	if o.OnAttempt != nil {
		o.OnAttempt(attempt)
	}
	o.Logger.Info("opening the browser to sign in", "profile", p.Name, "authorize", p.AuthorizeEndpoint(), "pkce", p.UsePKCE(), "auto_approve", p.AutoApprove)
	err = o.Trace.browserStep(func() error { return o.OpenBrowser(attempt.URL) })
	if err != nil {
		return nil, fmt.Errorf("could not open your web browser (%v); copy the sign-in link into a browser instead", err)
	}
	waitCtx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	code, err := wait(waitCtx)
	if err != nil {
		return nil, err
	}
	o.Logger.Info("authorization response received", "profile", p.Name)

	exCtx, cancelEx := context.WithTimeout(ctx, tokenCallTimeout)
	defer cancelEx()
	exCtx = context.WithValue(exCtx, oauth2.HTTPClient, o.HTTPClient)
	var opts []oauth2.AuthCodeOption
	if attempt.Verifier != "" {
		opts = append(opts, oauth2.VerifierOption(attempt.Verifier))
	}
	tok, err := cfg.Exchange(exCtx, code, opts...)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ErrCancelled
		}
		return nil, describeTokenError("finish signing in", err)
	}
	return tok, nil
}

// Resume signs in without a browser: from the refresh token in the keyring,
// or for a service account from its client credentials.
// ErrNoStoredSignIn: there is no refresh token; ErrSignInAgain: the tenant refused it.
func Resume(ctx context.Context, o Options) (s *Session, err error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	defer func() {
		if !errors.Is(err, ErrNoStoredSignIn) {
			traceOutcome(o.Trace, "Signed in from the stored refresh token", err)
		}
	}()
	s = newSession(o.Profile, o.ClientSecret, o.Store, o.HTTPClient, o.Logger)
	if !o.Profile.ServiceAccount() {
		rt, err := o.Store.Get(o.Profile.Name, EntryRefreshToken)
		if errors.Is(err, ErrNotStored) {
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

func traceOutcome(t *Trace, title string, err error) {
	if t == nil {
		return
	}
	switch {
	case err == nil:
		t.Outcome(title, nil)
	case errors.Is(err, ErrCancelled):
		t.Outcome("Cancelled", err)
	default:
		t.Outcome("Failed", err)
	}
}

// SignOut forgets the profile's stored sign-in, and its client secret too
// when forgetSecret is set.
func SignOut(store SecretStore, p *Profile, forgetSecret bool) error {
	err := store.Delete(p.Name, EntryRefreshToken)
	if forgetSecret {
		err = errors.Join(err, store.Delete(p.Name, EntryClientSecret))
	}
	return err
}
