package sandbox

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// restarted is h's tenant after a restart that kept its state: a new
// Server restored from the old one's State through its JSON, on the same
// clock.
func restarted(t *testing.T, h *harness) *harness {
	t.Helper()
	b, err := json.Marshal(h.srv.State())
	if err != nil {
		t.Fatal(err)
	}
	var st State
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Now: h.clock.Now, State: &st})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &harness{t: t, srv: srv, ts: ts, base: ts.URL + RootPath, clock: h.clock}
}

// TestRestartKeepsState: after a restart with its state, the tenant
// accepts the current refresh token and access token, still takes a
// rotated-away refresh token for reuse, remembers consent and the browser
// session, and keeps counting.
func TestRestartKeepsState(t *testing.T) {
	h := newHarness(t, Config{})
	c, _ := h.srv.OAuthClient(ClientDesktopOnDemand)
	rb := &Robot{}
	q, _ := h.authorize(rb, h.authorizeURL(ClientDesktopOnDemand, nil))
	status, tok := h.token(h.codeForm(q.Get("code"), nil))
	if status != 200 {
		t.Fatalf("exchange: %d %v", status, tok)
	}
	old := tok["refresh_token"].(string)
	status, tok = h.refresh(c, old)
	if status != 200 {
		t.Fatalf("refresh: %d %v", status, tok)
	}
	h2 := restarted(t, h)

	for _, tt := range []struct {
		name  string
		check func(t *testing.T)
	}{
		{"the access token still works", func(t *testing.T) {
			if status, body := h2.get("/OAuth/TokenInfo", tok["access_token"].(string)); status != 200 {
				t.Fatalf("TokenInfo after restart: %d %v", status, body)
			}
		}},
		{"consent is remembered", func(t *testing.T) {
			// The browser session cookie came over too: the robot's jar
			// holds the old tenant's cookie for 127.0.0.1, and the new
			// tenant listens elsewhere, so sign in again and look only
			// at the consent page.
			_, res := h2.authorize(&Robot{}, h2.authorizeURL(ClientDesktopOnDemand, url.Values{"auto_approve": {"true"}}))
			if res.ConsentShown {
				t.Fatal("OnDemand with auto_approve=true showed consent again after a restart")
			}
		}},
		{"the current refresh token refreshes", func(t *testing.T) {
			status, body := h2.refresh(c, tok["refresh_token"].(string))
			if status != 200 {
				t.Fatalf("refresh after restart: %d %v", status, body)
			}
			tok = body
		}},
		{"a rotated-away one is reuse", func(t *testing.T) {
			status, body := h2.refresh(c, old)
			if status != 400 || !strings.Contains(body["error_description"].(string), "already been used") {
				t.Fatalf("reuse after restart: %d %v", status, body)
			}
		}},
		{"the counters went on", func(t *testing.T) {
			want := Stats{CodeExchanges: 1, Refreshes: 2, ReuseDetected: 1, Restarts: 1}
			if got := h2.srv.Stats(); got != want {
				t.Fatalf("stats %+v, want %+v", got, want)
			}
		}},
	} {
		t.Run(tt.name, tt.check)
	}
}

// TestRestoreRefuses: a state that is not one, or that names what this
// tenant does not have, is refused whole with a reason.
func TestRestoreRefuses(t *testing.T) {
	good := func(f func(*State)) State {
		st := State{Format: StateFormat,
			Grants:        []grantState{{ID: "g_1", Username: "hrprof@sandbox.cezannehr.com", ClientID: ClientDesktopOnDemand, Scopes: []string{ScopeRead}}},
			RefreshTokens: []refreshState{{Token: "qZR6!Iabc", GrantID: "g_1", Current: true}}}
		if f != nil {
			f(&st)
		}
		return st
	}
	for _, tt := range []struct {
		name string
		st   State
		want string // "" restores
	}{
		{"good", good(nil), ""},
		{"another format", good(func(s *State) { s.Format = "something/2" }), "not a sandbox state"},
		{"unknown client", good(func(s *State) { s.Grants[0].ClientID = "nobody" }), `client this sandbox does not have: "nobody"`},
		{"unknown user", good(func(s *State) {
			s.Consents = []Consent{{Username: "eve@example.com", ClientID: ClientDesktopOnDemand}}
		}), `user this sandbox does not have: "eve@example.com"`},
		{"refresh token without its grant", good(func(s *State) { s.RefreshTokens[0].GrantID = "g_2" }), "grant it does not list"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(Config{State: &tt.st})
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
		})
	}
}

// TestStateFile: LoadState of a missing file is a fresh start, of a broken
// one an error in words; KeepState writes a private file while the state
// changes, leaves it alone while it does not, and saves once more when
// told to stop.
func TestStateFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tenant.json")
	if _, found, err := LoadState(path); found || err != nil {
		t.Fatalf("missing file: found %v, error %v", found, err)
	}
	writeFileT(t, filepath.Join(dir, "broken.json"), "{")
	if _, _, err := LoadState(filepath.Join(dir, "broken.json")); err == nil || !strings.Contains(err.Error(), "not valid JSON") {
		t.Fatalf("broken file: %v", err)
	}

	h := newHarness(t, Config{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.srv.KeepState(ctx, path, 20*time.Millisecond); close(done) }()
	waitUntil(t, func() bool { _, err := os.Stat(path); return err == nil })
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("state file %v, mode %v; want 0600", err, st.Mode().Perm())
	}
	// Unchanged: not written again.
	os.Remove(path)
	time.Sleep(100 * time.Millisecond)
	if _, err := os.Stat(path); err == nil {
		t.Fatal("an unchanged state was written again")
	}
	tok := h.signIn()
	cancel()
	<-done
	st, found, err := LoadState(path)
	if !found || err != nil || len(st.RefreshTokens) != 1 || st.RefreshTokens[0].Token != tok["refresh_token"] {
		t.Fatalf("saved state: found %v, error %v, %+v", found, err, st.RefreshTokens)
	}
}

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5 s")
		}
	}
}

func writeFileT(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
