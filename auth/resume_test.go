package auth

import (
	"context"
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

func TestRelaunchUsesNewestRefreshToken(t *testing.T) {
	h := newTenantHarness(t, sandbox.Config{}, false)
	store := keyring.NewMemoryStore()
	h.signIn(store)
	for i := 0; i < 3; i++ {
		before, _ := store.Get(h.profile.Name, keyring.EntryRefreshToken)
		s, err := Resume(context.Background(), h.options(store))
		if err != nil {
			t.Fatalf("launch %d: %v", i+2, err)
		}
		after, _ := store.Get(h.profile.Name, keyring.EntryRefreshToken)
		if after == before {
			t.Fatalf("launch %d did not store the rotated token", i+2)
		}
		if status, err := h.apiGet(s, "/OAuth/TokenInfo"); status != 200 || err != nil {
			t.Fatalf("launch %d: %d %v", i+2, status, err)
		}
	}
}
