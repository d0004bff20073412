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
func TestSignInKeyringRelaunch(t *testing.T) {
	requireDesktop(t, false)
	redirect := freeLoopbackURI(t)
	tenant := sandboxtest.Start(t, sandbox.Config{LoopbackRedirect: redirect, People: 1000})
	client, _ := tenant.OAuthClient(sandbox.ClientDesktopOnDemand)

	profile := &auth.Profile{Name: "e2e-" + time.Now().Format("150405.000"), BaseURL: tenant.BaseURL(),
		ClientID: client.ID, RedirectURI: redirect, Scopes: []string{"APIRead"}}
	if err := profile.Normalize(); err != nil {
		t.Fatal(err)
	}
	store := &keyring.System{Timeout: 20 * time.Second}
	t.Cleanup(func() { _ = auth.SignOut(store, profile, true) })

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	robot := &sandbox.Robot{Username: "hrprof@sandbox.cezannehr.com", Password: sandbox.DemoPassword}
	browserErr := make(chan error, 1)
	session, err := auth.SignIn(ctx, auth.Options{
		Profile: profile, ClientSecret: client.Secret, SaveClientSecret: true, Store: store,
		OpenBrowser: func(u string) error {
			go func() {
				res, err := robot.Run(ctx, u)
				if err == nil && (!res.LoginShown || !res.ConsentShown || res.AppStatus != 200) {
					err = errors.New("browser did not see login, consent and the app's page")
				}
				browserErr <- err
			}()
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

	// The secrets are in the real Secret Service, read back through go-keyring
	// directly rather than our wrapper.
	first, err := gokeyring.Get(keyring.Service, profile.Name+"/"+keyring.EntryRefreshToken)
	if err != nil || !strings.HasPrefix(first, "qZR6!I") {
		t.Fatalf("refresh token not in the keyring: %v", err)
	}
	if s, err := gokeyring.Get(keyring.Service, profile.Name+"/"+keyring.EntryClientSecret); err != nil || s != client.Secret {
		t.Fatalf("client secret not in the keyring: %v", err)
	}
	checkData(ctx, t, session)

	// Relaunch: nothing in memory, no browser. The secret comes from the keyring.
	secret, fromKeyring, err := auth.ClientSecret(store, profile)
	if err != nil || !fromKeyring {
		t.Fatalf("client secret lookup: %v (from keyring %v)", err, fromKeyring)
	}
	resumed, err := auth.Resume(ctx, auth.Options{Profile: profile, ClientSecret: secret, Store: store})
	if err != nil {
		t.Fatal(err)
	}
	checkData(ctx, t, resumed)
	// The sandbox rotates refresh tokens, and reuse of an old one revokes the
	// grant: three more relaunches only work if each saved the newest.
	prev := first
	for i := 0; i < 3; i++ {
		now, _ := gokeyring.Get(keyring.Service, profile.Name+"/"+keyring.EntryRefreshToken)
		if now == prev || now == "" {
			t.Fatalf("relaunch %d: the rotated refresh token was not saved to the keyring", i+1)
		}
		prev = now
		s, err := auth.Resume(ctx, auth.Options{Profile: profile, ClientSecret: secret, Store: store})
		if err != nil {
			t.Fatalf("relaunch %d from the newest token: %v", i+2, err)
		}
		checkData(ctx, t, s)
	}

	// Sign out forgets the sign-in; the next launch needs the browser.
	if err := auth.SignOut(store, profile, false); err != nil {
		t.Fatal(err)
	}
	if _, err := auth.Resume(ctx, auth.Options{Profile: profile, ClientSecret: secret, Store: store}); !errors.Is(err, auth.ErrNoStoredSignIn) {
		t.Fatalf("after sign out: %v", err)
	}
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
