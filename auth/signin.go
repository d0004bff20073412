package auth

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/oauth2"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
)

// SignIn runs the installed-application flow: it listens on the loopback
// redirect, opens the system browser on the Authorize URL, waits for the
// code, exchanges it, and stores the refresh token in the keyring. For a
// service-account profile it requests a client_credentials token instead.
func SignIn(ctx context.Context, o Options) (s *Session, err error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	defer func() { o.Trace.done(DoneInfo{Err: err}) }()
	p := o.Profile
	s = newSession(o)
	if p.ServiceAccount() {
		if err := s.Refresh(ctx); err != nil {
			return nil, err
		}
	} else {
		tok, err := browserSignIn(ctx, o, s.cfg)
		if err != nil {
			return nil, err
		}
		// Nobody else holds s yet: no lock is needed, and the refresh
		// token is saved before the session is handed out.
		if tok.RefreshToken != "" {
			s.saveRefreshToken(tok.RefreshToken)
		}
		s.setToken(tok)
	}
	if o.SaveClientSecret {
		if err := o.Store.Set(p.Name, keyring.EntryClientSecret, o.ClientSecret); err != nil {
			o.Logger.Warn("client secret not saved", "profile", p.Name, "err", err)
		}
	}
	o.Logger.Info("signed in", "profile", p.Name, "service_account", p.ServiceAccount(), "expires_in_s", int(s.lifetime().Seconds()))
	return s, nil
}

// browserSignIn gets an authorization code through the browser and
// redeems it.
func browserSignIn(ctx context.Context, o Options, cfg *oauth2.Config) (*oauth2.Token, error) {
	if o.OpenBrowser == nil {
		return nil, errors.New("auth: SignIn needs OpenBrowser")
	}
	attempt := newAttempt(o.Profile, o.State)
	code, err := receiveCode(ctx, o, attempt)
	if err != nil {
		return nil, err
	}
	o.Logger.Info("authorization response received", "profile", o.Profile.Name)
	exCtx, cancel := context.WithTimeout(ctx, tokenCallTimeout)
	defer cancel()
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

// receiveCode starts the receiver for the attempt's answer, then opens the
// browser and waits for the code: the receiver is ready, with its state,
// before the browser can answer.
func receiveCode(ctx context.Context, o Options, attempt *Attempt) (string, error) {
	p := o.Profile
	redirect, err := ParseRedirectURI(p.RedirectURI)
	if err != nil {
		return "", err
	}
	var wait func(context.Context) (string, error)
	switch redirect.Kind {
	case RedirectLoopback:
		receiver, err := listenLoopback(redirect, attempt.State, o.Trace)
		if err != nil {
			return "", err
		}
		defer receiver.Close()
		wait = receiver.answer.wait
	default:
		if o.SchemeInbox == nil {
			return "", fmt.Errorf("this app cannot receive %s:// links here; use a loopback redirect URI such as http://127.0.0.1:47613/oauth-callback/", redirect.URL.Scheme)
		}
		var stop func()
		wait, stop = o.SchemeInbox.expect(redirect, attempt.State, o.Trace)
		defer stop()
	}
	o.Trace.authorizeURL(attempt.URL, o.State != "")
	if o.OnAttempt != nil {
		o.OnAttempt(attempt)
	}
	o.Logger.Info("opening the browser to sign in", "profile", p.Name, "authorize", p.AuthorizeEndpoint(), "pkce", p.UsePKCE(), "auto_approve", p.AutoApprove)
	waitCtx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	opened := openBrowser(o, attempt.URL)
	answered := make(chan codeResult, 1)
	go func() {
		code, err := wait(waitCtx)
		answered <- codeResult{code, err}
	}()
	for {
		select {
		case res := <-answered:
			return res.code, res.err
		case err := <-opened:
			opened = nil
			if o.OnBrowser != nil {
				// From here, not the opener's goroutine: the caller hears
				// from one goroutine, and of nothing once SignIn returned.
				o.OnBrowser(err)
			} else if err != nil {
				return "", fmt.Errorf("could not open your web browser (%v); copy the sign-in link into a browser instead", err)
			}
		}
	}
}

type codeResult struct {
	code string
	err  error
}

// openBrowser opens the browser on the attempt in a goroutine of its own:
// an opener may return only when the browser quits (xdg-open with no
// browser running), and the callback must be handled the moment it
// arrives. The channel gets the opener's error.
func openBrowser(o Options, url string) chan error {
	opened := make(chan error, 1)
	o.Trace.browserStart()
	go func() {
		err := o.OpenBrowser(url)
		o.Trace.browserDone(err)
		if err != nil {
			o.Logger.Warn("the browser could not be opened", "profile", o.Profile.Name, "err", err)
		}
		opened <- err
	}()
	return opened
}
