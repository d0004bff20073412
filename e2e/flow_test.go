package e2e

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	gokeyring "github.com/zalando/go-keyring"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/data"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox/sandboxtest"
)

// TestSignInKeyringRelaunch: sandbox + auth + data + the real Secret Service.
// A scripted browser completes the consent flow, the refresh token lands in
// gnome-keyring, and a "relaunch" signs in from it without any browser.
// Each step is a subtest that needs the ones before it, so the first to
// fail ends the test.
func TestSignInKeyringRelaunch(t *testing.T) {
	requireDesktop(t, false)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sc := newKeyringScenario(ctx, t)
	for _, step := range []struct {
		name string
		run  func(*testing.T)
	}{
		{"sign in through the browser", sc.signIn},
		{"secrets in the Secret Service", sc.secretsStored},
		{"data", func(t *testing.T) { checkData(ctx, t, sc.session) }},
		{"relaunch from the keyring", sc.relaunch},
		{"relaunches save the rotated refresh token", sc.relaunches},
		{"sign out", sc.signOut},
	} {
		if !t.Run(step.name, step.run) {
			return
		}
	}
}

// keyringScenario is what the steps of TestSignInKeyringRelaunch share.
type keyringScenario struct {
	ctx          context.Context
	profile      *auth.Profile
	store        *keyring.System
	typedSecret  string // the client secret the person types at sign-in
	storedSecret string // the client secret a relaunch finds in the keyring
	session      *auth.Session
	firstRefresh string // the refresh token the sign-in saved
}

// newKeyringScenario starts a sandbox tenant with a profile for it, named
// afresh so that runs do not share keyring entries, and removes the
// entries when the test ends.
func newKeyringScenario(ctx context.Context, t *testing.T) *keyringScenario {
	t.Helper()
	redirect := freeLoopbackURI(t)
	tenant := sandboxtest.Start(t, sandbox.Config{LoopbackRedirect: redirect, People: 1000})
	client, _ := tenant.OAuthClient(sandbox.ClientDesktopOnDemand)
	sc := &keyringScenario{ctx: ctx, typedSecret: client.Secret, store: &keyring.System{Timeout: 20 * time.Second},
		profile: &auth.Profile{Name: "e2e-" + time.Now().Format("150405.000"), BaseURL: tenant.BaseURL(),
			ClientID: client.ID, RedirectURI: redirect, Scopes: []string{"APIRead"}}}
	if err := sc.profile.Normalize(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = auth.SignOut(sc.store, sc.profile, true) })
	return sc
}

func (sc *keyringScenario) signIn(t *testing.T) {
	browserErr := make(chan error, 1)
	session, err := auth.SignIn(sc.ctx, auth.Options{
		Profile: sc.profile, ClientSecret: sc.typedSecret, SaveClientSecret: true, Store: sc.store,
		OpenBrowser: func(u string) error {
			go func() { browserErr <- browseLoginAndConsent(sc.ctx, u) }()
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := <-browserErr; err != nil {
		t.Fatal(err)
	}
	if w := session.Warning(); w != nil {
		t.Fatalf("keyring warning: %v", w)
	}
	sc.session = session
}

// browseLoginAndConsent is the person in the browser: it signs in on the
// sandbox's login page, approves on its consent page and reaches the app.
func browseLoginAndConsent(ctx context.Context, authURL string) error {
	robot := &sandbox.Robot{Username: "hrprof@sandbox.cezannehr.com", Password: sandbox.DemoPassword}
	res, err := robot.Run(ctx, authURL)
	if err == nil && (!res.LoginShown || !res.ConsentShown || res.AppStatus != 200) {
		err = errors.New("browser did not see login, consent and the app's page")
	}
	return err
}

// secretsStored reads the secrets back from the real Secret Service through
// go-keyring directly rather than our wrapper.
func (sc *keyringScenario) secretsStored(t *testing.T) {
	first, err := gokeyring.Get(keyring.Service, sc.profile.Name+"/"+keyring.EntryRefreshToken)
	if err != nil || !strings.Contains(first, ":qZR6!I") {
		t.Fatalf("refresh token not in the keyring: %v", err)
	}
	if s, err := gokeyring.Get(keyring.Service, sc.profile.Name+"/"+keyring.EntryClientSecret); err != nil || !strings.HasSuffix(s, ":"+sc.typedSecret) {
		t.Fatalf("client secret not in the keyring: %v", err)
	}
	// Stored bound to the tenant and client: read back through the binding.
	if s, err := auth.Secrets(sc.store, sc.profile).Get(sc.profile.Name, keyring.EntryClientSecret); err != nil || s != sc.typedSecret {
		t.Fatalf("client secret not bound to the profile's tenant: %v", err)
	}
	sc.firstRefresh = first
}

// relaunch signs in as a new process would: nothing in memory, no browser,
// the client secret from the keyring.
func (sc *keyringScenario) relaunch(t *testing.T) {
	secret, fromKeyring, err := auth.ClientSecret(sc.store, sc.profile)
	if err != nil || !fromKeyring {
		t.Fatalf("client secret lookup: %v (from keyring %v)", err, fromKeyring)
	}
	sc.storedSecret = secret
	resumed, err := auth.Resume(sc.ctx, sc.resumeOptions())
	if err != nil {
		t.Fatal(err)
	}
	checkData(sc.ctx, t, resumed)
}

// relaunches: the sandbox rotates refresh tokens, and reuse of an old one
// revokes the grant: three more relaunches only work if each saved the
// newest.
func (sc *keyringScenario) relaunches(t *testing.T) {
	prev := sc.firstRefresh
	for i := 0; i < 3; i++ {
		now, _ := gokeyring.Get(keyring.Service, sc.profile.Name+"/"+keyring.EntryRefreshToken)
		if now == prev || now == "" {
			t.Fatalf("relaunch %d: the rotated refresh token was not saved to the keyring", i+1)
		}
		prev = now
		s, err := auth.Resume(sc.ctx, sc.resumeOptions())
		if err != nil {
			t.Fatalf("relaunch %d from the newest token: %v", i+2, err)
		}
		checkData(sc.ctx, t, s)
	}
}

// signOut forgets the sign-in; the next launch needs the browser.
func (sc *keyringScenario) signOut(t *testing.T) {
	if err := auth.SignOut(sc.store, sc.profile, false); err != nil {
		t.Fatal(err)
	}
	if _, err := auth.Resume(sc.ctx, sc.resumeOptions()); !errors.Is(err, auth.ErrNoStoredSignIn) {
		t.Fatalf("after sign out: %v", err)
	}
}

func (sc *keyringScenario) resumeOptions() auth.Options {
	return auth.Options{Profile: sc.profile, ClientSecret: sc.storedSecret, Store: sc.store}
}

func checkData(ctx context.Context, t *testing.T, s *auth.Session) {
	t.Helper()
	c := &data.Client{HTTP: s.HTTPClient(), TokenInfoURL: s.Profile.TokenInfoEndpoint(), ServiceURL: s.Profile.DataService()}
	info, err := c.TokenInfo(ctx)
	if err != nil || info.FormattedName != "Cheryl Abrahams" || info.Username != "hrprof@sandbox.cezannehr.com" {
		t.Fatalf("TokenInfo %+v %v", info, err)
	}
	page, err := c.People(ctx, data.Query{Count: true})
	if err != nil || page.Count != 1000 || len(page.Rows) != 200 || page.Next == "" {
		t.Fatalf("People: %v (count %d)", err, page.Count)
	}
	next, err := c.NextPage(ctx, page)
	if err != nil || len(next.Rows) != 200 {
		t.Fatalf("next page: %v", err)
	}
}
