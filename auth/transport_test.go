package auth

import (
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

func TestUnauthorizedRetriesOnceOnly(t *testing.T) {
	h := newTenantHarness(t, sandbox.Config{}, false)
	s := h.signIn(keyring.NewMemoryStore())
	h.srv.SetFaults(sandbox.Faults{Fail401: 1})
	if status, err := h.apiGet(s, "/DataService.svc/People?$format=json&$top=1"); status != 200 || err != nil {
		t.Fatalf("one 401 should be healed by a refresh: %d %v", status, err)
	}
	h.srv.SetFaults(sandbox.Faults{Fail401: 5})
	before := h.tokenRequests("refresh_token")
	if status, _ := h.apiGet(s, "/OAuth/TokenInfo"); status != 401 {
		t.Fatalf("persistent 401: got %d", status)
	}
	if got := h.tokenRequests("refresh_token") - before; got != 1 {
		t.Fatalf("%d refreshes for one call, want exactly 1 (no loop)", got)
	}
	if f := h.srv.Faults(); f.Fail401 != 3 {
		t.Fatalf("%d injected 401s left, want 3: the call was tried more than twice", f.Fail401)
	}
}
