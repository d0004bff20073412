package auth

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

func TestConcurrentCallsAcrossExpiryRefreshOnce(t *testing.T) {
	h := newTenantHarness(t, sandbox.Config{AccessTokenTTL: 3 * time.Second}, false)
	s := h.signIn(keyring.NewMemoryStore())
	// Wait until the token is inside its refresh window (the last fifth).
	time.Sleep(time.Until(s.Expiry()) - 400*time.Millisecond)
	var wg sync.WaitGroup
	var failures atomic.Int32
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if status, err := h.apiGet(s, "/OAuth/TokenInfo"); err != nil || status != 200 {
				failures.Add(1)
			}
		}()
	}
	wg.Wait()
	if failures.Load() != 0 {
		t.Fatalf("%d of 100 calls failed", failures.Load())
	}
	if n := h.tokenRequests("refresh_token"); n != 1 {
		t.Fatalf("%d refreshes for 100 concurrent calls across an expiry, want 1", n)
	}
}
