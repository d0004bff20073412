package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/atomicfile"
)

// StateFormat names the layout of a saved State.
const StateFormat = "cezanne-sandbox-state/1"

// State is what a tenant keeps across a restart, as a real one keeps it in
// its database: the grants with their refresh and access tokens, remembered
// consents, browser sessions, and the counters tests read. Settings (token
// lifetime, rotation, modes, OData version) are not in it: they come from
// the command line each time, so a restart with other flags means them.
// It holds live sandbox tokens, so its file is private to the user (0600).
type State struct {
	Format        string         `json:"format"`
	Saved         time.Time      `json:"saved"`
	Consents      []Consent      `json:"consents"`
	Sessions      []sessionState `json:"browser_sessions"`
	Grants        []grantState   `json:"grants"`
	RefreshTokens []refreshState `json:"refresh_tokens"`
	AccessTokens  []accessState  `json:"access_tokens"`
	Stats         Stats          `json:"stats"`
}

type sessionState struct {
	Cookie   string `json:"cookie"`
	Username string `json:"username"`
}

type grantState struct {
	ID       string   `json:"id"`
	Username string   `json:"username"`
	ClientID string   `json:"client_id"`
	Scopes   []string `json:"scopes"`
	Revoked  bool     `json:"revoked,omitempty"`
}

type refreshState struct {
	Token   string `json:"token"`
	GrantID string `json:"grant_id"`
	Current bool   `json:"current"`
}

type accessState struct {
	Token    string    `json:"token"`
	Username string    `json:"username"`
	ClientID string    `json:"client_id"`
	Scopes   []string  `json:"scopes"`
	GrantID  string    `json:"grant_id,omitempty"`
	TTL      int64     `json:"ttl_seconds"`
	Expires  time.Time `json:"expires"`
}

// Stats counts what the tenant's token endpoint did, for QA and soaks: a
// refresh token used twice is how a tenant sees a stolen one (or a client
// that lost track of rotation), so a healthy client keeps ReuseDetected at 0.
type Stats struct {
	CodeExchanges int `json:"code_exchanges"`
	Refreshes     int `json:"refreshes"`
	ReuseDetected int `json:"reuse_detected"`
	// Restarts is how many times this state was loaded into a new process.
	Restarts int `json:"restarts"`
}

// Stats returns the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// State snapshots what a restart keeps. Expired access tokens are left out:
// no one can use them. Refresh tokens rotated away stay, so that reuse is
// still detected after a restart.
func (s *Server) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := State{Format: StateFormat, Saved: s.cfg.Now().UTC(), Stats: s.stats}
	for k, scopes := range s.consents {
		c := Consent{Username: k.user, ClientID: k.client}
		for sc := range scopes {
			c.Scopes = append(c.Scopes, sc)
		}
		sort.Strings(c.Scopes)
		st.Consents = append(st.Consents, c)
	}
	for cookie, user := range s.sessions {
		st.Sessions = append(st.Sessions, sessionState{Cookie: cookie, Username: user})
	}
	for _, g := range s.grants {
		st.Grants = append(st.Grants, grantState{ID: g.id, Username: g.user.Username, ClientID: g.client.ID, Scopes: g.scopes, Revoked: g.revoked})
	}
	for v, rt := range s.refresh {
		st.RefreshTokens = append(st.RefreshTokens, refreshState{Token: v, GrantID: rt.grantID, Current: rt.current})
	}
	now := s.cfg.Now()
	for v, at := range s.access {
		if now.Before(at.expires) {
			st.AccessTokens = append(st.AccessTokens, accessState{Token: v, Username: at.user.Username, ClientID: at.client.ID,
				Scopes: at.scopes, GrantID: at.grantID, TTL: int64(at.ttl / time.Second), Expires: at.expires.UTC()})
		}
	}
	st.sort()
	return st
}

// sort orders every list, so that an unchanged state saves to the same bytes.
func (st *State) sort() {
	sort.Slice(st.Consents, func(i, j int) bool {
		return st.Consents[i].Username+" "+st.Consents[i].ClientID < st.Consents[j].Username+" "+st.Consents[j].ClientID
	})
	sort.Slice(st.Sessions, func(i, j int) bool { return st.Sessions[i].Cookie < st.Sessions[j].Cookie })
	sort.Slice(st.Grants, func(i, j int) bool { return st.Grants[i].ID < st.Grants[j].ID })
	sort.Slice(st.RefreshTokens, func(i, j int) bool { return st.RefreshTokens[i].Token < st.RefreshTokens[j].Token })
	sort.Slice(st.AccessTokens, func(i, j int) bool { return st.AccessTokens[i].Token < st.AccessTokens[j].Token })
}

// Restore loads a saved state into a tenant that has served nothing yet,
// replacing its grants, tokens, consents and sessions. A state naming a
// user or client this tenant does not have is refused whole, so a state
// file from another build cannot half-load.
func (s *Server) Restore(st State) error {
	if st.Format != StateFormat {
		return fmt.Errorf("the state file is not a sandbox state (format %q, want %q)", st.Format, StateFormat)
	}
	r := restorer{s: s, grants: map[string]*grant{}}
	if err := r.check(st); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.consents = map[consentKey]map[string]bool{}
	for _, c := range st.Consents {
		set := map[string]bool{}
		for _, sc := range c.Scopes {
			set[sc] = true
		}
		s.consents[consentKey{user: c.Username, client: c.ClientID}] = set
	}
	s.sessions = map[string]string{}
	for _, ss := range st.Sessions {
		s.sessions[ss.Cookie] = ss.Username
	}
	s.grants = r.grants
	s.refresh = map[string]*refreshToken{}
	for _, rt := range st.RefreshTokens {
		s.refresh[rt.Token] = &refreshToken{grantID: rt.GrantID, current: rt.Current}
	}
	s.access = map[string]*accessToken{}
	for _, at := range st.AccessTokens {
		s.access[at.Token] = &accessToken{value: at.Token, ttl: time.Duration(at.TTL) * time.Second, user: s.users[at.Username],
			client: s.clients[at.ClientID], scopes: at.Scopes, expires: at.Expires, grantID: at.GrantID}
	}
	s.stats = st.Stats
	s.stats.Restarts++
	return nil
}

// restorer checks a state against the tenant's users and clients and
// builds its grants before anything is replaced.
type restorer struct {
	s      *Server
	grants map[string]*grant
}

func (r *restorer) check(st State) error {
	known := func(user, client string) error {
		if _, ok := r.s.users[user]; !ok {
			return fmt.Errorf("the state file names a user this sandbox does not have: %q", user)
		}
		if _, ok := r.s.clients[client]; !ok {
			return fmt.Errorf("the state file names a client this sandbox does not have: %q", client)
		}
		return nil
	}
	for _, g := range st.Grants {
		if err := known(g.Username, g.ClientID); err != nil {
			return err
		}
		r.grants[g.ID] = &grant{id: g.ID, user: r.s.users[g.Username], client: r.s.clients[g.ClientID], scopes: g.Scopes, revoked: g.Revoked}
	}
	for _, at := range st.AccessTokens {
		if err := known(at.Username, at.ClientID); err != nil {
			return err
		}
	}
	for _, rt := range st.RefreshTokens {
		if r.grants[rt.GrantID] == nil {
			return fmt.Errorf("the state file has a refresh token of a grant it does not list (%q)", rt.GrantID)
		}
	}
	for _, c := range st.Consents {
		if err := known(c.Username, c.ClientID); err != nil {
			return err
		}
	}
	return nil
}

// LoadState reads a state file; a file that does not exist yet is no
// error (found is false): the tenant starts fresh and saves there.
func LoadState(path string) (st State, found bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return State{}, false, nil
	}
	if err != nil {
		return State{}, false, fmt.Errorf("could not read the sandbox state: %w", err)
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return State{}, false, fmt.Errorf("the sandbox state file %s is not valid JSON: %w", path, err)
	}
	return st, true, nil
}

// SaveState writes the tenant's state to path, through a temporary file in
// the same directory renamed over it, so a crash mid-write leaves the last
// good state rather than half a file.
func (s *Server) SaveState(path string) error {
	_, err := writeState(path, s.State(), nil)
	return err
}

// writeState writes st unless it is what was written last (last, by its
// bytes without the time it was saved); it returns the bytes compared.
func writeState(path string, st State, last []byte) ([]byte, error) {
	st.Saved = time.Time{}
	same, err := json.Marshal(st)
	if err != nil {
		return nil, err
	}
	if last != nil && bytes.Equal(same, last) {
		return last, nil
	}
	st.Saved = time.Now().UTC()
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return nil, err
	}
	// 0600: the file holds live sandbox tokens. atomicfile syncs before the
	// rename, so even a machine that stops mid-save keeps the last good state.
	if err := atomicfile.WriteBytes(path, 0o600, append(b, '\n')); err != nil {
		return nil, fmt.Errorf("could not save the sandbox state: %w", err)
	}
	return same, nil
}

// KeepState saves the state to path every interval while it changes,
// until ctx ends, then once more: a tenant stopped with SIGTERM keeps
// every grant, and one that is killed loses at most the last interval's.
// Errors go to the tenant's logger; saving goes on.
func (s *Server) KeepState(ctx context.Context, path string, interval time.Duration) {
	var last []byte
	save := func() {
		b, err := writeState(path, s.State(), last)
		if err != nil {
			s.cfg.Logger.Error("sandbox state not saved", "err", err)
			return
		}
		last = b
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			save()
		case <-ctx.Done():
			save()
			return
		}
	}
}
