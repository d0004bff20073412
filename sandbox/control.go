package sandbox

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

func validMode(m AutoApproveMode) bool {
	return m == AutoApproveDisabled || m == AutoApproveAutomatic || m == AutoApproveOnDemand
}

// ParseAutoApproveMode accepts a mode name in any case.
func ParseAutoApproveMode(s string) (AutoApproveMode, error) {
	for _, m := range []AutoApproveMode{AutoApproveDisabled, AutoApproveAutomatic, AutoApproveOnDemand} {
		if strings.EqualFold(s, string(m)) {
			return m, nil
		}
	}
	return "", fmt.Errorf("auto-approve mode must be Disabled, Automatic or OnDemand, not %q", s)
}

// AutoApproveMode is a client's current auto-approve mode.
func (s *Server) AutoApproveMode(clientID string) AutoApproveMode {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.modes[clientID]
}

// SetAutoApproveMode changes how a client's consent page behaves from the
// next authorisation on, as Cezanne support would in the client's settings.
func (s *Server) SetAutoApproveMode(clientID string, m AutoApproveMode) error {
	if _, ok := s.clients[clientID]; !ok {
		return fmt.Errorf("no client %q", clientID)
	}
	if !validMode(m) {
		return fmt.Errorf("auto-approve mode must be Disabled, Automatic or OnDemand, not %q", m)
	}
	s.mu.Lock()
	s.modes[clientID] = m
	s.mu.Unlock()
	return nil
}

// Consent is one remembered consent: a user's approval of scopes for a client.
type Consent struct {
	Username string   `json:"username"`
	ClientID string   `json:"client_id"`
	Scopes   []string `json:"scopes"`
}

// Consents lists remembered consents, sorted.
func (s *Server) Consents() []Consent {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Consent
	for k, scopes := range s.consents {
		c := Consent{Username: k.user, ClientID: k.client}
		for sc := range scopes {
			c.Scopes = append(c.Scopes, sc)
		}
		sort.Strings(c.Scopes)
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Username != out[j].Username {
			return out[i].Username < out[j].Username
		}
		return out[i].ClientID < out[j].ClientID
	})
	return out
}

// ClearConsents forgets remembered consents for a user ("" for everyone), so
// the next authorisation counts as the first.
func (s *Server) ClearConsents(username string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k := range s.consents {
		if username == "" || k.user == username {
			delete(s.consents, k)
			n++
		}
	}
	return n
}

// GrantSummary counts a user's live grants per client.
type GrantSummary struct {
	Username string `json:"username"`
	ClientID string `json:"client_id"`
	Active   int    `json:"active"`
}

// Grants lists live (unrevoked) grants, by user and client.
func (s *Server) Grants() []GrantSummary {
	s.mu.Lock()
	defer s.mu.Unlock()
	counts := map[[2]string]int{}
	for _, g := range s.grants {
		if !g.revoked {
			counts[[2]string{g.user.Username, g.client.ID}]++
		}
	}
	var out []GrantSummary
	for k, n := range counts {
		out = append(out, GrantSummary{Username: k[0], ClientID: k[1], Active: n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Username+out[i].ClientID < out[j].Username+out[j].ClientID })
	return out
}

// RevokeGrants revokes every grant of a user ("" for everyone): their
// refresh and access tokens stop working, as when a user removes an app's
// access. It returns how many grants were revoked.
func (s *Server) RevokeGrants(username string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, g := range s.grants {
		if !g.revoked && (username == "" || g.user.Username == username) {
			g.revoked = true
			n++
		}
	}
	return n
}

// AccessTokenTTL is the lifetime of access tokens issued from now on.
func (s *Server) AccessTokenTTL() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accessTTL
}

// SetAccessTokenTTL changes the lifetime of access tokens issued from now on.
func (s *Server) SetAccessTokenTTL(d time.Duration) error {
	if d < time.Second || d > 24*time.Hour {
		return fmt.Errorf("access token lifetime must be between 1 s and 24 h, not %v", d)
	}
	s.mu.Lock()
	s.accessTTL = d
	s.mu.Unlock()
	return nil
}

// Rotation reports whether refresh tokens are rotated on every refresh.
func (s *Server) Rotation() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rotation
}

// SetRotation switches refresh token rotation (and reuse detection) on or off.
func (s *Server) SetRotation(on bool) {
	s.mu.Lock()
	s.rotation = on
	s.mu.Unlock()
}

// Faults returns the faults still to fire.
func (s *Server) Faults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

// SetFaults replaces the faults to inject.
func (s *Server) SetFaults(f Faults) error {
	if err := f.check(); err != nil {
		return err
	}
	s.mu.Lock()
	s.faults = f
	s.mu.Unlock()
	return nil
}
