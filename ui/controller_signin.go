package ui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/data"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
)

// loaded is everything the signed-in view needs, fetched off the UI goroutine.
type loaded struct {
	session *auth.Session
	client  *data.Client
	info    *data.TokenInfo
	entity  *data.EntityType // nil when $metadata could not be read
	version data.Version
	pager   *data.Pager // nil when People could not be opened
	// peopleErr is shown in the People area; TokenInfo alone proves sign-in.
	peopleErr error
}

// load fetches TokenInfo, the DataService's metadata and the first page of
// People (sorted by name, with the total) for a session. People pages are
// fetched with fetch.
func load(ctx context.Context, s *auth.Session, log *slog.Logger, fetch func(func())) (*loaded, error) {
	c := &data.Client{HTTP: s.HTTPClient(), TokenInfoURL: s.Profile.TokenInfoEndpoint(), ServiceURL: s.Profile.DataService()}
	info, err := c.TokenInfo(ctx)
	if err != nil {
		return nil, err
	}
	l := &loaded{session: s, client: c, info: info, version: data.V2}
	if m, err := c.Metadata(ctx); err == nil {
		l.version = m.Version
		l.entity, _ = m.EntitySet(data.PeopleSet)
	} else {
		log.Warn("metadata unavailable; columns come from the data", "err", err)
	}
	q := data.Query{Version: l.version}
	q.OrderBy = nameOrder(l.entity, data.Order{Property: "LastName"})
	b := c.NewPager(data.PeopleSet, q, data.PagerOptions{Go: fetch})
	if l.peopleErr = b.Open(ctx); l.peopleErr == nil {
		l.pager = b
	}
	return l, nil
}

// nameOrder sorts by the given key, then (for a sort by last name) by first
// name, then by the entity's keys so that pages never overlap.
func nameOrder(et *data.EntityType, by data.Order) []data.Order {
	if et == nil {
		return []data.Order{by}
	}
	var out []data.Order
	if _, ok := et.Property(by.Property); ok {
		out = append(out, by)
		if _, ok := et.Property("FirstName"); ok && by.Property == "LastName" {
			out = append(out, data.Order{Property: "FirstName", Desc: by.Desc})
		}
	}
	for _, k := range et.Keys {
		if k != by.Property {
			out = append(out, data.Order{Property: k})
		}
	}
	return out
}

// secrets is where a sign-in's secrets come from, as the controller saw it
// when the sign-in started: background work uses this copy, never the
// controller's fields, which the UI goroutine may change meanwhile.
type secrets struct {
	store     keyring.Store // the keyring, or memory without one
	demoStore keyring.Store
	demo      DemoTenant
}

func (c *controller) secrets() secrets {
	return secrets{store: c.store(), demoStore: c.demoStore, demo: c.opts.Demo}
}

// credentials resolves the profile to sign in with, where to keep its
// secrets, and its client secret: the demo tenant is started on demand; a
// typed secret wins over the environment and the keyring.
func (s secrets) credentials(ctx context.Context, p *auth.Profile, typedSecret string) (*auth.Profile, keyring.Store, string, bool, error) {
	if p.Demo {
		if s.demo == nil {
			return nil, nil, "", false, errors.New("the built-in demo tenant is not available in this build")
		}
		demo, secret, err := s.demo(ctx, customScheme(p) != "")
		if err != nil {
			return nil, nil, "", false, fmt.Errorf("could not start the demo tenant: %w", err)
		}
		// What to ask for is still the person's choice on the form.
		demo.Scopes, demo.AutoApprove, demo.PKCE = p.Scopes, p.AutoApprove, p.PKCE
		// The demo tenant forgets everything when the app closes, so its
		// tokens are kept for this session only, never in the OS keyring.
		return demo, s.demoStore, secret, false, nil
	}
	if typedSecret != "" {
		return p, s.store, typedSecret, true, nil
	}
	secret, _, err := auth.ClientSecret(s.store, p)
	return p, s.store, secret, false, err
}

// withExtraScopes is p asking for extra scopes as well (QA options).
func withExtraScopes(p *auth.Profile, extra []string) (*auth.Profile, error) {
	if len(extra) == 0 {
		return p, nil
	}
	run := *p
	run.Scopes = append(append([]string(nil), p.Scopes...), extra...)
	if err := run.Normalize(); err != nil {
		return nil, err
	}
	return &run, nil
}

// signIn runs the browser flow (or the service-account token request) for p.
// A custom-scheme redirect needs the scheme to open this app: the person is
// asked to register it first.
func (c *controller) signIn(p *auth.Profile, typedSecret string) {
	if scheme := customScheme(p); scheme != "" && c.opts.Schemes != nil && !p.ServiceAccount() {
		if ok, _ := c.opts.Schemes.Registered(scheme); !ok {
			c.screens.askToRegister(scheme, func(ok bool) {
				c.registerScheme(scheme, ok, func() { c.signIn(p, typedSecret) })
			})
			return
		}
	}
	c.profile = p
	var wait waitScreen
	if p.ServiceAccount() {
		c.showProgress("Signing in to "+p.Name+"…", "Asking the tenant for a service-account token.")
	} else {
		wait = c.showWaiting(p)
	}
	c.state("signing-in", "profile", p.Name, "session_only", c.store() != c.opts.Store)
	extraScopes, state := c.screens.qaOptions()
	src, o := c.secrets(), auth.Options{
		State: state, SchemeInbox: c.opts.SchemeInbox, OpenBrowser: c.opts.OpenBrowser, Logger: c.opts.Logger,
	}
	// The waiting screen hears from the work only while it shows.
	toWait := func(f func()) {
		c.do(func() {
			if c.waiting == wait {
				f()
			}
		})
	}
	if wait != nil {
		o.OnAttempt = func(at *auth.Attempt) { toWait(func() { wait.setAttempt(at.URL) }) }
		o.OnBrowser = func(err error) { toWait(func() { c.browserOpened(wait, err) }) }
	}
	flows, newTrace := c.flows, c.newTrace
	c.background(func(ctx context.Context) func() {
		prof, store, secret, save, err := src.credentials(ctx, p, typedSecret)
		if err == nil {
			prof, err = withExtraScopes(prof, extraScopes)
		}
		if err != nil {
			return func() { c.failed(err) }
		}
		o.Profile, o.ClientSecret, o.SaveClientSecret, o.Store, o.Trace = prof, secret, save, store, newTrace(prof)
		s, err := flows.signIn(ctx, o)
		if err != nil {
			return func() { c.failed(err) }
		}
		if wait != nil {
			toWait(func() { wait.setStatus("Signed in. Loading your details…") })
		}
		l, err := flows.load(ctx, s)
		if err != nil {
			return func() { c.failed(err) }
		}
		return func() { c.showSignedIn(l) }
	})
}

// browserOpened tells the waiting screen whether the browser opened; when
// it did not, the screen offers the link and the listener keeps waiting.
func (c *controller) browserOpened(wait waitScreen, err error) {
	wait.browserOpened(err)
	if err != nil {
		c.state("browser-failed", "err", err)
	} else {
		c.state("browser-opened")
	}
}

// openBrowserAgain is the waiting screen's "Open the browser again". The
// opener runs in the background, never on the UI goroutine: it may return
// only when the browser quits.
func (c *controller) openBrowserAgain(url string) {
	wait, open := c.waiting, c.openAgain
	if wait == nil || open == nil {
		return
	}
	c.state("browser-again")
	c.opts.Go(func() {
		err := open(url)
		c.do(func() {
			if c.waiting == wait {
				c.browserOpened(wait, err)
			}
		})
	})
}

// resume signs in from the keyring without a browser. When there is no
// usable stored sign-in it shows the form, and signs in if asked to.
func (c *controller) resume(p *auth.Profile, thenSignIn bool) {
	c.profile = p
	c.showProgress("Signing you in to "+p.Name+"…", "Using the sign-in saved in your system keyring.")
	c.state("resuming", "profile", p.Name)
	src, flows, newTrace, log := c.secrets(), c.flows, c.newTrace, c.opts.Logger
	c.background(func(ctx context.Context) func() {
		_, store, secret, _, err := src.credentials(ctx, p, "")
		var s *auth.Session
		if err == nil {
			s, err = flows.resume(ctx, auth.Options{Profile: p, ClientSecret: secret, Store: store, Logger: log, Trace: newTrace(p)})
		}
		var l *loaded
		if err == nil {
			l, err = flows.load(ctx, s)
		}
		return func() { c.resumed(p, l, err, thenSignIn) }
	})
}

// resumed shows the outcome of resume.
func (c *controller) resumed(p *auth.Profile, l *loaded, err error, thenSignIn bool) {
	switch {
	case err == nil:
		c.showSignedIn(l)
		return
	case errors.Is(err, auth.ErrNoStoredSignIn), errors.Is(err, auth.ErrNoClientSecret):
		// Nothing to say when nothing was saved; something saved for
		// another tenant or client is worth a word, as it was typed once.
		var be *keyring.BindingError
		msg := ""
		if errors.As(err, &be) {
			msg = errorText(err)
		}
		c.showForm(msg)
	case errors.Is(err, auth.ErrSignInAgain):
		c.showForm(signInAgainText(p, err))
	default:
		c.showForm(errorText(err))
		return
	}
	if thenSignIn {
		c.screens.submitForm()
	}
}

// signInAgain leaves the session (its stored sign-in stays until the new
// one replaces it) and authorises afresh in the browser.
func (c *controller) signInAgain() {
	p := c.profile
	if p == nil {
		return
	}
	c.cancel()
	c.leaveSignedIn()
	c.state("sign-in-again-requested", "profile", p.Name)
	c.signIn(p, "")
}
