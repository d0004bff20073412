package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

func TestSessionRefreshPersistsRotatedToken(t *testing.T) {
	var mu sync.Mutex
	n := 0
	p := fakeTenant(t, func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		mu.Lock()
		n++
		i := n
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.PostForm.Get("refresh_token") == "dead" {
			w.WriteHeader(400)
			io.WriteString(w, `{"error":"invalid_grant","error_description":"revoked"}`)
			return
		}
		fmt.Fprintf(w, `{"access_token":"a%d","token_type":"bearer","expires_in":600,"refresh_token":"r%d"}`, i, i)
	})
	store := newMemStore()
	storeRefreshToken(t, store, p, "r0")
	s, err := Resume(context.Background(), Options{Profile: p, ClientSecret: "s", Store: store})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := Secrets(store, p).Get(p.Name, keyring.EntryRefreshToken); v != "r1" {
		t.Fatalf("rotated refresh token not persisted: %q", v)
	}
	// Concurrent callers near expiry share one refresh.
	s.mu.Lock()
	s.token.Expiry = time.Now().Add(time.Second)
	s.mu.Unlock()
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); _, _ = s.Token() }()
	}
	wg.Wait()
	mu.Lock()
	if n != 2 {
		t.Fatalf("%d token requests, want 2 (resume + one refresh)", n)
	}
	mu.Unlock()
	// A keyring failure keeps the session and warns.
	store.failSet = errors.New("locked")
	s.mu.Lock()
	s.token.Expiry = time.Now()
	s.mu.Unlock()
	if _, err := s.Token(); err != nil || s.Warning() == nil {
		t.Fatalf("token %v, warning %v", err, s.Warning())
	}
	// invalid_grant: sign in again, and the dead token is forgotten.
	store.failSet = nil
	storeRefreshToken(t, store, p, "dead")
	if _, err := Resume(context.Background(), Options{Profile: p, ClientSecret: "s", Store: store}); !errors.Is(err, ErrSignInAgain) {
		t.Fatalf("Resume with a dead token: %v", err)
	}
	if _, err := store.Get(p.Name, keyring.EntryRefreshToken); !errors.Is(err, keyring.ErrNotStored) {
		t.Fatal("dead refresh token kept")
	}
}

func TestFiftyRotationsNeverReuse(t *testing.T) {
	h := newTenantHarness(t, sandbox.Config{AccessTokenTTL: 3 * time.Second}, false)
	store := keyring.NewMemoryStore()
	s := h.signIn(store)
	seen := map[string]bool{}
	for i := 0; i < 50; i++ {
		if err := s.Refresh(context.Background()); err != nil {
			t.Fatalf("refresh %d: %v", i, err)
		}
		rt, _ := Secrets(store, h.profile).Get(h.profile.Name, keyring.EntryRefreshToken)
		if seen[rt] {
			t.Fatalf("refresh %d: refresh token did not rotate", i)
		}
		seen[rt] = true
		if status, err := h.apiGet(s, "/OAuth/TokenInfo"); err != nil || status != 200 {
			t.Fatalf("call after refresh %d: %d %v", i, status, err)
		}
	}
	// Reuse detection revokes the grant; it must never have fired.
	if g := h.srv.Grants(); len(g) != 1 || g[0].Active != 1 {
		t.Fatalf("grants after 50 rotations: %+v", g)
	}
}

func TestRevokedGrantAsksOnceToSignInAgain(t *testing.T) {
	h := newTenantHarness(t, sandbox.Config{}, false)
	store := keyring.NewMemoryStore()
	s := h.signIn(store)
	h.srv.RevokeGrants("")
	// The API refuses the access token; the client refreshes once, the
	// tenant refuses that too: sign in again.
	if _, err := h.apiGet(s, "/OAuth/TokenInfo"); !errors.Is(err, ErrSignInAgain) {
		t.Fatalf("after revoke: %v", err)
	}
	before := h.tokenRequests("refresh_token")
	for i := 0; i < 5; i++ {
		if _, err := h.apiGet(s, "/OAuth/TokenInfo"); !errors.Is(err, ErrSignInAgain) {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if after := h.tokenRequests("refresh_token"); after != before || before != 1 {
		t.Fatalf("refresh attempts: %d then %d; a dead sign-in must not be retried", before, after)
	}
	if stored(store, h.profile.Name, keyring.EntryRefreshToken) {
		t.Fatal("refused refresh token kept in the store")
	}
}

func TestOfflineKeepsSession(t *testing.T) {
	h := newTenantHarness(t, sandbox.Config{}, false)
	store := keyring.NewMemoryStore()
	s := h.signIn(store)
	h.down.Store(true)
	err := s.Refresh(context.Background())
	if !errors.Is(err, ErrOffline) || !strings.Contains(err.Error(), "still signed in") {
		t.Fatalf("refresh while down: %v", err)
	}
	if !stored(store, h.profile.Name, keyring.EntryRefreshToken) {
		t.Fatal("offline refresh lost the stored sign-in")
	}
	h.down.Store(false)
	if err := s.Refresh(context.Background()); err != nil {
		t.Fatalf("back online: %v", err)
	}
	if status, err := h.apiGet(s, "/OAuth/TokenInfo"); status != 200 || err != nil {
		t.Fatalf("after outage: %d %v", status, err)
	}
}

func TestRetriesTransientFailures(t *testing.T) {
	var calls atomic.Int32
	p := fakeTenant(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, `<html>maintenance</html>`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"a","token_type":"bearer","expires_in":600,"refresh_token":"r2"}`)
	})
	store := keyring.NewMemoryStore()
	storeRefreshToken(t, store, p, "r1")
	o := Options{Profile: p, ClientSecret: "s", Store: store, RetryDelays: []time.Duration{time.Millisecond, time.Millisecond, time.Millisecond}}
	if _, err := Resume(context.Background(), o); err != nil {
		t.Fatalf("two 503s then success: %v", err)
	}
	if calls.Load() != 3 {
		t.Fatalf("%d token calls, want 3", calls.Load())
	}
}

// TestFailedSaveForgetsStaleRefreshToken: when the rotated refresh token
// cannot be saved, the one it replaced must not stay in the keyring (the
// next start would replay it and a rotating tenant would revoke the grant),
// and the person is told the sign-in will not survive a restart.
func TestFailedSaveForgetsStaleRefreshToken(t *testing.T) {
	tests := []struct {
		name      string
		failSet   error
		wantKept  bool
		wantWords []string
	}{
		{"keyring writes", nil, true, nil},
		{"keyring locked", errors.New("locked"), false, []string{"will not survive a restart", "locked"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int32
			p := fakeTenant(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				i := n.Add(1)
				fmt.Fprintf(w, `{"access_token":"a%d","token_type":"bearer","expires_in":600,"refresh_token":"r%d"}`, i, i)
			})
			store := newMemStore()
			storeRefreshToken(t, store, p, "r0")
			s, err := Resume(context.Background(), Options{Profile: p, ClientSecret: "s", Store: store})
			if err != nil {
				t.Fatal(err)
			}
			store.failSet = tt.failSet
			if err := s.Refresh(context.Background()); err != nil {
				t.Fatal(err)
			}
			if kept := stored(store.MemoryStore, p.Name, keyring.EntryRefreshToken); kept != tt.wantKept {
				v, _ := store.Get(p.Name, keyring.EntryRefreshToken)
				t.Fatalf("refresh token stored = %v (%q), want %v", kept, v, tt.wantKept)
			}
			w := s.Warning()
			if (w != nil) != (tt.wantWords != nil) {
				t.Fatalf("warning %v", w)
			}
			for _, word := range tt.wantWords {
				if !strings.Contains(w.Error(), word) {
					t.Errorf("warning %q does not say %q", w, word)
				}
			}
		})
	}
}

// TestLostRefreshAnswerIsNotRetried: a refresh is asked again only when the
// request provably never reached the tenant; once sent, a lost answer may
// have carried a rotated token, and the old one must not be replayed.
func TestLostRefreshAnswerIsNotRetried(t *testing.T) {
	tests := []struct {
		name string
		// lose: the tenant reads the request, then drops the connection;
		// otherwise the connection is refused before anything is sent.
		lose          bool
		wantRequests  int32
		wantSignInAgn bool
		wantStored    bool
	}{
		{"answer lost after the request was sent", true, 1, true, false},
		{"connection refused", false, 3, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var requests atomic.Int32
			p := fakeTenant(t, func(w http.ResponseWriter, r *http.Request) {
				_ = r.ParseForm()
				requests.Add(1)
				conn, _, _ := w.(http.Hijacker).Hijack()
				conn.Close()
			})
			hc := NewHTTPClient()
			if !tt.lose {
				hc.Transport.(*http.Transport).DialContext = func(context.Context, string, string) (net.Conn, error) {
					requests.Add(1)
					return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
				}
			}
			var logged strings.Builder
			store := keyring.NewMemoryStore()
			storeRefreshToken(t, store, p, "r0")
			_, err := Resume(context.Background(), Options{Profile: p, ClientSecret: "s", Store: store, HTTPClient: hc,
				RetryDelays: []time.Duration{time.Millisecond, time.Millisecond}, Logger: slog.New(slog.NewTextHandler(&logged, nil))})
			if got := requests.Load(); got != tt.wantRequests {
				t.Errorf("%d refresh attempts, want %d", got, tt.wantRequests)
			}
			if errors.Is(err, ErrSignInAgain) != tt.wantSignInAgn || errors.Is(err, ErrOffline) == tt.wantSignInAgn {
				t.Errorf("error %v: sign in again = %v, want %v", err, errors.Is(err, ErrSignInAgain), tt.wantSignInAgn)
			}
			if tt.wantSignInAgn && !strings.Contains(err.Error(), "connection to the Cezanne tenant broke") {
				t.Errorf("error %q does not say what happened", err)
			}
			if got := stored(store, p.Name, keyring.EntryRefreshToken); got != tt.wantStored {
				t.Errorf("refresh token stored = %v, want %v", got, tt.wantStored)
			}
			if strings.Contains(logged.String(), "r0") {
				t.Errorf("the refresh token was logged: %s", logged.String())
			}
		})
	}
}

// TestTokenOutageLogIsCapped: a 5xx answer's page (oauth2 keeps up to 1 MiB
// of it in the error) is not written to the log whole.
func TestTokenOutageLogIsCapped(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		{"html page", "<html>" + strings.Repeat("maintenance ", 20000) + "</html>"},
		{"json with a long description", `{"error":"server_error","error_description":"` + strings.Repeat("x", 200000) + `"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := fakeTenant(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusServiceUnavailable)
				io.WriteString(w, tt.body)
			})
			var logged strings.Builder
			store := keyring.NewMemoryStore()
			storeRefreshToken(t, store, p, "r0")
			_, err := Resume(context.Background(), Options{Profile: p, ClientSecret: "s", Store: store,
				RetryDelays: []time.Duration{time.Millisecond}, Logger: slog.New(slog.NewTextHandler(&logged, nil))})
			if !errors.Is(err, ErrOffline) {
				t.Fatalf("got %v, want offline", err)
			}
			if n := logged.Len(); n > 4096 {
				t.Errorf("the log took %d bytes for one retried outage", n)
			}
			if n := len(err.Error()); n > 1024 {
				t.Errorf("the error is %d bytes long", n)
			}
		})
	}
}
