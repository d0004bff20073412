package ui

import (
	"context"
	"errors"
	"fmt"

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
	browser *data.Pager // nil when People could not be opened
	// peopleErr is shown in the People area; TokenInfo alone proves sign-in.
	peopleErr error
}

// load fetches TokenInfo, the DataService's metadata and the first page of
// People (sorted by name, with the total) for a session.
func (a *App) load(ctx context.Context, s *auth.Session) (*loaded, error) {
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
		a.opts.Logger.Warn("metadata unavailable; columns come from the data", "err", err)
	}
	q := data.Query{Version: l.version}
	q.OrderBy = nameOrder(l.entity, data.Order{Property: "LastName"})
	b := c.NewPager(data.PeopleSet, q, data.PagerOptions{Go: a.opts.Fetch})
	if l.peopleErr = b.Open(ctx); l.peopleErr == nil {
		l.browser = b
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

// credentials resolves the profile to sign in with, where to keep its
// secrets, and its client secret: the demo tenant is started on demand; a
// typed secret wins over the environment and the keyring.
func (a *App) credentials(ctx context.Context, p *auth.Profile, typedSecret string) (*auth.Profile, keyring.Store, string, bool, error) {
	if p.Demo {
		if a.opts.Demo == nil {
			return nil, nil, "", false, errors.New("the built-in demo tenant is not available in this build")
		}
		demo, secret, err := a.opts.Demo(ctx, customScheme(p) != "")
		if err != nil {
			return nil, nil, "", false, fmt.Errorf("could not start the demo tenant: %w", err)
		}
		// What to ask for is still the person's choice on the form.
		demo.Scopes, demo.AutoApprove, demo.PKCE = p.Scopes, p.AutoApprove, p.PKCE
		// The demo tenant forgets everything when the app closes, so its
		// tokens are kept for this session only, never in the OS keyring.
		return demo, a.demoStore, secret, false, nil
	}
	store := a.store()
	if typedSecret != "" {
		return p, store, typedSecret, true, nil
	}
	secret, _, err := auth.ClientSecret(store, p)
	return p, store, secret, false, err
}

// signIn runs the browser flow (or the service-account token request) for p.
// A custom-scheme redirect needs the scheme to open this app: the person is
// asked to register it first.
func (a *App) signIn(p *auth.Profile, typedSecret string) {
	if scheme := customScheme(p); scheme != "" && a.opts.Schemes != nil && !p.ServiceAccount() {
		if ok, _ := a.opts.Schemes.Registered(scheme); !ok {
			a.askToRegister(scheme, func() { a.signIn(p, typedSecret) })
			return
		}
	}
	a.profile = p
	var wait *waitingView
	if p.ServiceAccount() {
		a.showProgress("Signing in to "+p.Name+"…", "Asking the tenant for a service-account token.")
	} else {
		wait = a.showWaiting(p)
	}
	a.state("signing-in", "profile", p.Name, "session_only", a.store() != a.opts.Store)
	extraScopes, state := a.form.qaOptions()
	a.background(func(ctx context.Context) func() {
		prof, store, secret, save, err := a.credentials(ctx, p, typedSecret)
		if err != nil {
			return func() { a.failed(err) }
		}
		if len(extraScopes) > 0 {
			run := *prof
			run.Scopes = append(append([]string(nil), prof.Scopes...), extraScopes...)
			if err := run.Normalize(); err != nil {
				return func() { a.failed(err) }
			}
			prof = &run
		}
		s, err := auth.SignIn(ctx, auth.Options{
			Profile: prof, ClientSecret: secret, SaveClientSecret: save, Store: store,
			OpenBrowser: a.opts.OpenBrowser, Logger: a.opts.Logger,
			Trace: a.newTrace(prof).SignInHooks(), State: state, SchemeInbox: a.opts.SchemeInbox,
			OnAttempt: func(at *auth.Attempt) {
				if wait != nil {
					wait.setAttempt(at.URL)
				}
			},
		})
		if err != nil {
			return func() { a.failed(err) }
		}
		if wait != nil {
			wait.setStatus("Signed in. Loading your details…")
		}
		l, err := a.load(ctx, s)
		if err != nil {
			return func() { a.failed(err) }
		}
		return func() { a.showSignedIn(l) }
	})
}

// resume signs in from the keyring without a browser. When there is no
// usable stored sign-in it shows the form, and signs in if asked to.
func (a *App) resume(p *auth.Profile, thenSignIn bool) {
	a.profile = p
	a.showProgress("Signing you in to "+p.Name+"…", "Using the sign-in saved in your system keyring.")
	a.state("resuming", "profile", p.Name)
	a.background(func(ctx context.Context) func() {
		_, store, secret, _, err := a.credentials(ctx, p, "")
		var s *auth.Session
		if err == nil {
			s, err = auth.Resume(ctx, auth.Options{Profile: p, ClientSecret: secret, Store: store, Logger: a.opts.Logger, Trace: a.newTrace(p).SignInHooks()})
		}
		var l *loaded
		if err == nil {
			l, err = a.load(ctx, s)
		}
		return func() {
			switch {
			case err == nil:
				a.showSignedIn(l)
			case errors.Is(err, auth.ErrNoStoredSignIn), errors.Is(err, auth.ErrNoClientSecret):
				a.showForm("")
				if thenSignIn {
					a.form.submit()
				}
			case errors.Is(err, auth.ErrSignInAgain):
				a.showForm(signInAgainText(p))
				if thenSignIn {
					a.form.submit()
				}
			default:
				a.showForm(errorText(err))
			}
		}
	})
}

// failed returns to the form with what went wrong; nothing typed is lost.
func (a *App) failed(err error) {
	if errors.Is(err, auth.ErrCancelled) {
		a.showForm("")
		return
	}
	a.state("error", "err", err)
	a.showForm(errorText(err))
}

// sessionEnded handles a sign-in the tenant refused mid-session (revoked,
// expired): one clear prompt, back on the form. The session is dead, so
// nothing retries in a loop.
func (a *App) sessionEnded() {
	p := a.profile
	a.cancel()
	a.leaveSignedIn()
	a.state("sign-in-again", "profile", p.Name)
	a.form.show(p)
	a.showForm(signInAgainText(p))
}

func signInAgainText(p *auth.Profile) string {
	return "Your sign-in to " + p.Name + " has expired or was revoked. Please sign in again."
}

// switchProfile leaves the current profile (keeping its stored sign-in) and
// opens another: straight in when it has a stored sign-in.
func (a *App) switchProfile(name string) {
	p := a.profiles.get(name)
	if p == nil || (a.profile != nil && p.Name == a.profile.Name) {
		return
	}
	a.cancel()
	a.leaveSignedIn()
	a.profiles.setCurrent(p.Name)
	a.form.show(p)
	a.resume(p, false)
}

// removeProfile deletes a profile and forgets its keyring entries.
func (a *App) removeProfile(p *auth.Profile) {
	err := auth.SignOut(a.store(), p, true)
	a.profiles.remove(p.Name)
	a.form.show(nil)
	if err != nil {
		a.showForm("The profile was deleted, but its keyring entries could not be removed: " + errorText(err))
		return
	}
	a.showForm("Deleted the profile " + p.Name + " and its saved sign-in.")
}

// signOut forgets the stored sign-in, and the client secret when asked
// ("sign out everywhere for this profile").
func (a *App) signOut(forgetSecret bool) {
	a.cancel()
	p := a.profile
	a.leaveSignedIn()
	if p == nil {
		a.showForm("")
		return
	}
	store := a.store()
	if p.Demo {
		store, forgetSecret = a.demoStore, false
	}
	err := auth.SignOut(store, p, forgetSecret)
	a.state("signed-out", "forgot_secret", forgetSecret, "err", err)
	switch {
	case err != nil:
		a.showForm("Signed out, but the saved sign-in could not be removed from the keyring: " + errorText(err))
	case forgetSecret:
		a.form.secret.SetText("")
		a.showForm("You are signed out, and the client secret was removed from this computer.")
	default:
		a.showForm("You are signed out.")
	}
}

// errorText is an error as a sentence for the screen.
func errorText(err error) string {
	if errors.Is(err, auth.ErrSignInAgain) {
		return "Your sign-in has expired or was revoked. Please sign in again."
	}
	s := err.Error()
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		s = string(s[0]-'a'+'A') + s[1:]
	}
	if s != "" && s[len(s)-1] != '.' {
		s += "."
	}
	return s
}
