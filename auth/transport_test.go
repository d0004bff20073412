package auth

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
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

// closeRecorder is a request body that remembers being closed.
type closeRecorder struct {
	io.Reader
	closed atomic.Bool
}

func (c *closeRecorder) Close() error {
	c.closed.Store(true)
	return nil
}

// TestRoundTripClosesBody: as the http.RoundTripper contract requires (and
// x/oauth2's transport does), the request body is closed on every path,
// also when there is no token to send it with.
func TestRoundTripClosesBody(t *testing.T) {
	tests := []struct {
		name string
		// deadSession: the first Token() already fails; otherwise the API
		// answers 401 and the refresh for the retry is refused.
		deadSession bool
	}{
		{"no token for the first try", true},
		{"no token for the retry after a 401", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tokens atomic.Int32
			p := fakeTenant(t, func(w http.ResponseWriter, r *http.Request) {
				if !strings.HasSuffix(r.URL.Path, "/OAuth/Token") {
					w.WriteHeader(http.StatusUnauthorized)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				if tokens.Add(1) > 1 {
					w.WriteHeader(http.StatusBadRequest)
					io.WriteString(w, `{"error":"invalid_grant"}`)
					return
				}
				io.WriteString(w, `{"access_token":"a1","token_type":"bearer","expires_in":600,"refresh_token":"r1"}`)
			})
			store := keyring.NewMemoryStore()
			storeRefreshToken(t, store, p, "r0")
			s, err := Resume(context.Background(), Options{Profile: p, ClientSecret: "s", Store: store})
			if err != nil {
				t.Fatal(err)
			}
			if tt.deadSession {
				s.mu.Lock()
				s.dead = true
				s.mu.Unlock()
			}
			var bodies []*closeRecorder
			newBody := func() *closeRecorder {
				b := &closeRecorder{Reader: strings.NewReader(`{"Name":"x"}`)}
				bodies = append(bodies, b)
				return b
			}
			req, _ := http.NewRequest(http.MethodPost, p.DataService()+"/People", nil)
			req.Body = newBody()
			req.GetBody = func() (io.ReadCloser, error) { return newBody(), nil }
			resp, err := s.HTTPClient().Transport.RoundTrip(req)
			if err == nil {
				resp.Body.Close()
				t.Fatalf("RoundTrip succeeded with status %d", resp.StatusCode)
			}
			for i, b := range bodies {
				if !b.closed.Load() {
					t.Errorf("request body %d of %d left open after %v", i+1, len(bodies), err)
				}
			}
		})
	}
}
