package auth

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
)

// tokenCallTimeout bounds every request to the token endpoint.
const tokenCallTimeout = 30 * time.Second

// Options configure signing in. Profile and Store are required.
type Options struct {
	Profile      *Profile
	ClientSecret string
	// SaveClientSecret stores ClientSecret in the keyring after a successful
	// sign-in (it was typed by the person, not taken from the environment).
	SaveClientSecret bool
	Store            keyring.Store
	// OpenBrowser opens the system browser (default: none; required for SignIn).
	OpenBrowser func(url string) error
	// OnAttempt is told the attempt's URL before the browser opens, so the UI
	// can offer to copy it or open it again.
	OnAttempt func(a *Attempt)
	// OnBrowser hears whether the browser opened (nil) or why not. With it
	// set, a browser that cannot be opened does not end the sign-in: the
	// listener keeps waiting while the person pastes the link into a
	// browser. It is called on the goroutine that called SignIn, and not
	// once the code has arrived.
	OnBrowser func(err error)
	// HTTPClient is used for token requests (default NewHTTPClient()).
	HTTPClient *http.Client
	// Timeout bounds the wait for the browser (default 5 minutes).
	Timeout time.Duration
	Logger  *slog.Logger
	// Trace, when set, hears of every step of the run and wraps the
	// transport of every call the session makes afterwards.
	Trace *SignInTrace
	// SchemeInbox receives custom-scheme redirects (x-cez://…) handed to
	// the app by the OS; needed when the profile's redirect URI is one.
	SchemeInbox *SchemeInbox
	// State replaces the random state parameter (QA runs only: a fixed
	// state gives up its protection against forged answers).
	State string
	// RetryDelays are the pauses between attempts of a token request that
	// failed for network reasons or a tenant outage; one more attempt is
	// made than there are delays (default 300 ms, 1 s, 3 s).
	RetryDelays []time.Duration
}

// defaultRetryDelays ride out a short outage without keeping the person
// waiting much longer than they would notice.
var defaultRetryDelays = []time.Duration{300 * time.Millisecond, time.Second, 3 * time.Second}

func (o *Options) defaults() error {
	if o.Profile == nil || o.Store == nil {
		return errors.New("auth: Options need a Profile and a Store")
	}
	if err := o.Profile.CheckDataService(); err != nil {
		return err
	}
	// Everything below reads and writes the keyring through o.Store, so
	// binding it here keeps every secret with its tenant and client.
	o.Store = Secrets(o.Store, o.Profile)
	if o.HTTPClient == nil {
		o.HTTPClient = NewHTTPClient()
	}
	// Made once here for every token request, sign-in and refresh alike.
	o.HTTPClient = tokenClient(o.Trace.wrapClient(o.HTTPClient))
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Minute
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.RetryDelays == nil {
		o.RetryDelays = defaultRetryDelays
	}
	for _, d := range o.RetryDelays {
		if d < 0 {
			return fmt.Errorf("auth: a retry delay of %v is negative", d)
		}
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
