package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
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
	Secrets(store, p).Set(p.Name, keyring.EntryRefreshToken, "r0")
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
	Secrets(store, p).Set(p.Name, keyring.EntryRefreshToken, "dead")
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
	Secrets(store, p).Set(p.Name, keyring.EntryRefreshToken, "r1")
	o := Options{Profile: p, ClientSecret: "s", Store: store, RetryDelays: []time.Duration{time.Millisecond, time.Millisecond, time.Millisecond}}
	if _, err := Resume(context.Background(), o); err != nil {
		t.Fatalf("two 503s then success: %v", err)
	}
	if calls.Load() != 3 {
		t.Fatalf("%d token calls, want 3", calls.Load())
	}
}
