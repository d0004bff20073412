package auth

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/instance"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox/sandboxtest"
)

func TestSignInExchangeWireFormat(t *testing.T) {
	var got url.Values
	p := fakeTenant(t, func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		got = r.PostForm
		if _, _, basic := r.BasicAuth(); basic {
			t.Error("client credentials sent in a Basic header; Cezanne documents them in the body")
		}
		w.Header().Set("Content-Type", "application/json")
		// Extra fields, trailing comma-free; expires_in as documented.
		io.WriteString(w, `{"access_token":"gAAAAtoken","token_type":"bearer","expires_in":600,"refresh_token":"qZR6!Irefresh","scope":"`+ScopeRead+`","tenant":"w3","x_extra":{"a":1}}`)
	})
	p.RedirectURI = freeRedirect(t)
	store := newMemStore()
	s, err := SignIn(context.Background(), Options{
		Profile: p, ClientSecret: "A8KbQe6Y", SaveClientSecret: true, Store: store,
		OpenBrowser: deliver(t, func(state string) string { return "code=Pzw5!Icode&state=" + url.QueryEscape(state) }),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("token request", func(t *testing.T) {
		wantForm(t, got, map[string]string{"grant_type": "authorization_code", "code": "Pzw5!Icode", "client_id": p.ClientID,
			"client_secret": "A8KbQe6Y", "redirect_uri": p.RedirectURI})
		if got.Get("code_verifier") == "" {
			t.Error("no code_verifier although PKCE is on")
		}
	})
	t.Run("token", func(t *testing.T) { checkExchangedToken(t, s) })
	t.Run("keyring", func(t *testing.T) {
		wantStored(t, Secrets(store, p), p.Name, map[string]string{keyring.EntryRefreshToken: "qZR6!Irefresh", keyring.EntryClientSecret: "A8KbQe6Y"})
	})
}

// wantForm checks the values of the form fields named in want.
func wantForm(t *testing.T, form url.Values, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if form.Get(k) != v {
			t.Errorf("token request %s = %q, want %q", k, form.Get(k), v)
		}
	}
}

// checkExchangedToken checks that s holds what the fake tenant of
// TestSignInExchangeWireFormat answered.
func checkExchangedToken(t *testing.T, s *Session) {
	t.Helper()
	tok, err := s.Token()
	if err != nil || tok.AccessToken != "gAAAAtoken" || tok.Type() != "Bearer" {
		t.Fatalf("token %+v %v", tok, err)
	}
	if tok.Extra("tenant") != "w3" {
		t.Error("extra fields lost")
	}
	if d := time.Until(s.Expiry()); d < 590*time.Second || d > 600*time.Second {
		t.Errorf("expiry in %v, want about 600 s", d)
	}
	if got := s.GrantedScopes(); len(got) != 1 || got[0] != ScopeRead {
		t.Errorf("granted scopes %v", got)
	}
}

// wantStored checks the keyring entries of profile named in want.
func wantStored(t *testing.T, store keyring.Store, profile string, want map[string]string) {
	t.Helper()
	for entry, v := range want {
		if got, _ := store.Get(profile, entry); got != v {
			t.Errorf("%s not stored: %q, want %q", entry, got, v)
		}
	}
}

func TestSignInErrors(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		body     string
		callback func(state string) string
		wantErr  string
	}{
		{"invalid_client", 401, `{"error":"invalid_client","error_description":"Client authentication failed."}`,
			func(s string) string { return "code=c&state=" + url.QueryEscape(s) }, "client ID or client secret; check them with whoever registered the application. The server said: Client authentication failed."},
		{"invalid_grant", 400, `{"error":"invalid_grant","error_description":"The authorization code has expired."}`,
			func(s string) string { return "code=c&state=" + url.QueryEscape(s) }, "has expired"},
		{"server error page", 500, `<html>oops</html>`,
			func(s string) string { return "code=c&state=" + url.QueryEscape(s) }, "HTTP 500"},
		{"denied", 200, `{}`,
			func(s string) string {
				return "error=access_denied&error_description=No+thanks&state=" + url.QueryEscape(s)
			}, "access was denied on the consent page: No thanks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := fakeTenant(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			})
			p.RedirectURI = freeRedirect(t)
			_, err := SignIn(context.Background(), Options{Profile: p, ClientSecret: "s", Store: newMemStore(), OpenBrowser: deliver(t, tt.callback)})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestServiceAccountProfile(t *testing.T) {
	h := newTenantHarness(t, sandbox.Config{AccessTokenTTL: 2 * time.Second}, true)
	store := keyring.NewMemoryStore()
	o := h.options(store)
	o.OpenBrowser = func(string) error { t.Error("a service account opened the browser"); return nil }
	o.SaveClientSecret = true
	s, err := SignIn(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if stored(store, h.profile.Name, keyring.EntryRefreshToken) {
		t.Fatal("service account stored a refresh token")
	}
	if !stored(store, h.profile.Name, keyring.EntryClientSecret) {
		t.Fatal("typed client secret not stored")
	}
	first := s.Expiry()
	time.Sleep(time.Until(first) + 100*time.Millisecond)
	if status, err := h.apiGet(s, "/OAuth/TokenInfo"); status != 200 || err != nil {
		t.Fatalf("after expiry: %d %v", status, err)
	}
	if !s.Expiry().After(first) || h.tokenRequests("client_credentials") != 2 {
		t.Fatalf("no new token after expiry (%d client_credentials requests)", h.tokenRequests("client_credentials"))
	}
	// Relaunch: no refresh token needed.
	if _, err := Resume(context.Background(), o); err != nil {
		t.Fatalf("service account relaunch: %v", err)
	}
	// The credentials travel in the Basic header: the sandbox refuses them in the body.
	for _, r := range h.srv.Requests() {
		if r.Grant == "client_credentials" && strings.Contains(r.Form, "client_secret") {
			t.Fatal("client secret sent in the body")
		}
	}
}

// TestSignInThroughCustomScheme: the sandbox's x-cez client redirects to
// x-cez://oauth-callback/; the link reaches the running app over the
// instance channel, as from a second process, and the sign-in completes.
func TestSignInThroughCustomScheme(t *testing.T) {
	tenant := sandboxtest.Start(t, sandbox.Config{LoopbackRedirect: freeRedirect(t)})
	c, _ := tenant.OAuthClient(sandbox.ClientDesktopScheme)
	p := &Profile{Name: "x-cez", BaseURL: tenant.BaseURL(), ClientID: c.ID, RedirectURI: sandbox.CustomSchemeRedirect, Scopes: []string{"APIRead"}}
	if err := p.Normalize(); err != nil {
		t.Fatal(err)
	}
	inbox := &SchemeInbox{}
	dir := filepath.Join(t.TempDir(), "run")
	inst, err := instance.Listen(dir, func(kind, u string) error { return inbox.Deliver(u) })
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	links := make(chan string, 1)
	rec := &hookRecorder{}
	s, err := SignIn(context.Background(), Options{
		Profile: p, ClientSecret: c.Secret, Store: keyring.NewMemoryStore(), SchemeInbox: inbox, Trace: rec.hooks(), Timeout: 20 * time.Second,
		OpenBrowser: linkForwarder(t, dir, links),
	})
	if err != nil {
		t.Fatal(err)
	}
	if tok, err := s.Token(); err != nil || tok.AccessToken == "" {
		t.Fatal(err)
	}
	link := <-links
	if !strings.HasPrefix(link, "x-cez://oauth-callback/?code=") {
		t.Fatalf("redirect %s", link)
	}
	t.Run("replayed link is refused", func(t *testing.T) {
		if err := instance.Forward(dir, instance.MessageURL, link); err == nil || !strings.Contains(err.Error(), "no sign-in is waiting") {
			t.Fatalf("replayed link: %v", err)
		}
	})
	// After the replay, so that the trace shows it was not taken as a
	// second callback.
	t.Run("trace", func(t *testing.T) {
		u, _ := url.Parse(link)
		wantOneAcceptedCallback(t, rec, "the x-cez:// link", u.Query().Get("code"))
	})
}

// linkForwarder is an OpenBrowser that signs in as the browser robot would,
// but hands the x-cez:// link it ends on to links and, as a second process
// of the app would, to the instance listening in dir.
func linkForwarder(t *testing.T, dir string, links chan<- string) func(string) error {
	return func(u string) error {
		go func() {
			res, err := (&sandbox.Robot{Username: "hrprof@sandbox.cezannehr.com", Password: sandbox.DemoPassword, NoDeliver: true}).Run(context.Background(), u)
			if err != nil {
				t.Errorf("robot: %v", err)
				return
			}
			links <- res.RedirectURL
			if err := instance.Forward(dir, instance.MessageURL, res.RedirectURL); err != nil {
				t.Errorf("forward: %v", err)
			}
		}()
		return nil
	}
}

// wantOneAcceptedCallback checks that rec saw a single callback, accepted,
// coming via with code, and a sign-in that succeeded without resuming.
func wantOneAcceptedCallback(t *testing.T, rec *hookRecorder, via, code string) {
	t.Helper()
	_, callbacks, done := rec.seen()
	if len(callbacks) != 1 || callbacks[0].Via != via || !callbacks[0].Accepted || callbacks[0].Query.Get("code") != code {
		t.Fatalf("callbacks traced %+v", callbacks)
	}
	if len(done) != 1 || done[0].Err != nil || done[0].Resumed {
		t.Fatalf("done traced %+v", done)
	}
}

// TestSignInDoesNotWaitForTheBrowser: the callback is handled the moment it
// arrives, while the browser (xdg-open in the foreground) is still open;
// a browser that cannot be opened leaves the listener waiting for the
// person to paste the link, when someone (the UI) can offer it.
func TestSignInDoesNotWaitForTheBrowser(t *testing.T) {
	tests := []struct {
		name string
		// open plays the opener: deliver sends the callback as the
		// browser would, and the error is what opening returned.
		open      func(deliver func()) error
		onBrowser bool
		// pasted: the person pastes the link once told the browser
		// could not be opened.
		pasted     bool
		wantErr    string
		wantOpened string // what OnBrowser heard: "ok" or the error
	}{
		{"the browser stays open after the callback", func(deliver func()) error {
			deliver()
			time.Sleep(8 * time.Second) // xdg-open waits for the browser
			return nil
		}, true, false, "", ""},
		{"the browser opened", func(deliver func()) error {
			time.AfterFunc(300*time.Millisecond, deliver) // the person signs in
			return nil
		}, true, false, "", "ok"},
		{"no browser, the person pastes the link", func(func()) error { return errors.New("xdg-open could not open a browser (exit status 3)") },
			true, true, "", "xdg-open could not open a browser (exit status 3)"},
		{"no browser and nobody to offer the link", func(func()) error { return errors.New("none of xdg-open is installed") },
			false, false, "could not open your web browser (none of xdg-open is installed); copy the sign-in link into a browser instead", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := fakeTenant(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"access_token":"gAAAAtoken","token_type":"bearer","expires_in":600}`)
			})
			p.RedirectURI = freeRedirect(t)
			callback := deliver(t, func(state string) string { return "code=c&state=" + url.QueryEscape(state) })
			heard := make(chan string, 1)
			o := Options{Profile: p, ClientSecret: "s", Store: newMemStore(), Timeout: 10 * time.Second,
				OpenBrowser: func(u string) error { return tt.open(func() { _ = callback(u) }) }}
			if tt.onBrowser {
				var link string
				o.OnAttempt = func(a *Attempt) { link = a.URL }
				o.OnBrowser = func(err error) {
					if err == nil {
						heard <- "ok"
						return
					}
					heard <- err.Error()
					if tt.pasted {
						_ = callback(link)
					}
				}
			}
			start := time.Now()
			_, err := SignIn(context.Background(), o)
			if took := time.Since(start); took > 5*time.Second {
				t.Fatalf("signing in took %v: it waited for the browser", took)
			}
			if got := errText(err); got != tt.wantErr {
				t.Fatalf("error %q, want %q", got, tt.wantErr)
			}
			if tt.wantOpened != "" {
				select {
				case got := <-heard:
					if got != tt.wantOpened {
						t.Fatalf("OnBrowser heard %q, want %q", got, tt.wantOpened)
					}
				case <-time.After(5 * time.Second):
					t.Fatal("OnBrowser was not told whether the browser opened")
				}
			}
		})
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
