package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Two behaviours that are NOT among Cezanne's modes. They exist so that
// tests can check that the consent check notices a tenant behaving as no
// documented mode does; the admin page does not offer them, and
// ParseAutoApproveMode refuses them.
const (
	// AutoApproveEverySecondRun shows the consent page on every second
	// authorisation of a client by a user (the 2nd, 4th, …, counted across
	// cleared consents), whatever was remembered or sent.
	AutoApproveEverySecondRun AutoApproveMode = "EverySecondRun"
	// AutoApproveOmittedMeansTrue is OnDemand reading an omitted
	// auto_approve as true, where the docs say it defaults to false: a
	// plausible misconfiguration that differs from OnDemand in one cell.
	AutoApproveOmittedMeansTrue AutoApproveMode = "OmittedMeansTrue"
)

// undocumentedModes are the modes UseUndocumentedMode accepts.
var undocumentedModes = []AutoApproveMode{AutoApproveEverySecondRun, AutoApproveOmittedMeansTrue}

// ConsentEvent is one authorize request that reached a decision: whether
// the consent page was shown for it and whether the person denied there.
// It is what the consent check reads instead of asking the person.
type ConsentEvent struct {
	At       time.Time `json:"at"`
	ClientID string    `json:"client_id"`
	Username string    `json:"username"`
	// StateSHA256 is the hex SHA-256 of the state the request carried
	// ("" without one): the app finds its own run by the state it sent,
	// and the log, like the request log, never shows a state itself.
	StateSHA256 string `json:"state_sha256,omitempty"`
	// AutoApprove is the auto_approve parameter as sent: "", "true", "false".
	AutoApprove string `json:"auto_approve"`
	Mode        string `json:"auto_approve_mode"`
	Shown       bool   `json:"consent_shown"`
	Denied      bool   `json:"denied,omitempty"`
}

// maxConsentEvents bounds the log: a tenant left running for days keeps
// only the newest decisions.
const maxConsentEvents = 1000

// consentLog keeps the decisions and, per user and client, how many
// authorisations were decided (for AutoApproveEverySecondRun). Its zero
// value is ready to use.
type consentLog struct {
	mu     sync.Mutex
	events []ConsentEvent
	runs   map[consentKey]int
}

// StateHash is how the consent log names a state: hex SHA-256.
func StateHash(state string) string {
	if state == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(state))
	return hex.EncodeToString(sum[:])
}

func (l *consentLog) add(e ConsentEvent) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.runs == nil {
		l.runs = map[consentKey]int{}
	}
	l.runs[consentKey{e.Username, e.ClientID}]++
	l.events = append(l.events, e)
	if n := len(l.events); n > maxConsentEvents {
		l.events = append(l.events[:0:0], l.events[n-maxConsentEvents:]...)
	}
}

// decided is how many authorisations of client by user reached a decision.
func (l *consentLog) decided(user, client string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.runs[consentKey{user, client}]
}

// ConsentLog lists the decisions, oldest first.
func (s *Server) ConsentLog() []ConsentEvent {
	s.consentLog.mu.Lock()
	defer s.consentLog.mu.Unlock()
	return append([]ConsentEvent(nil), s.consentLog.events...)
}

// noteConsent records the decision on p for u.
func (s *Server) noteConsent(u *User, p *pendingAuthorization, shown, denied bool) {
	s.consentLog.add(ConsentEvent{
		At: s.cfg.Now(), ClientID: p.client.ID, Username: u.Username, StateSHA256: StateHash(p.state),
		AutoApprove: p.autoApprove, Mode: string(s.AutoApproveMode(p.client.ID)), Shown: shown, Denied: denied,
	})
}

// everySecondRun is AutoApproveEverySecondRun's rule: the page is shown
// when an odd number of authorisations were decided before this one.
func (s *Server) everySecondRun(u *User, p *pendingAuthorization) bool {
	return s.consentLog.decided(u.Username, p.client.ID)%2 == 1
}

// undocumentedConsent applies an undocumented mode's rule; ok is false for
// the documented modes. mode is the one consentNeeded read with known, so
// a mode switched in between cannot mix two modes' rules.
func (s *Server) undocumentedConsent(mode AutoApproveMode, u *User, p *pendingAuthorization, known bool) (show, ok bool) {
	switch mode {
	case AutoApproveEverySecondRun:
		return s.everySecondRun(u, p), true
	case AutoApproveOmittedMeansTrue:
		return !known || p.autoApprove == "false", true
	}
	return false, false
}

// UseUndocumentedMode puts a client in one of the undocumented modes (tests
// and the admin API's "undocumented-mode" action only).
func (s *Server) UseUndocumentedMode(clientID string, m AutoApproveMode) error {
	if _, ok := s.clients[clientID]; !ok {
		return fmt.Errorf("no client %q", clientID)
	}
	if !slices.Contains(undocumentedModes, m) {
		return fmt.Errorf("%q is not one of the sandbox's undocumented modes (%s, %s)", m, AutoApproveEverySecondRun, AutoApproveOmittedMeansTrue)
	}
	s.mu.Lock()
	s.modes[clientID] = m
	s.mu.Unlock()
	return nil
}

// ClearClientConsents forgets every user's remembered consent for one
// client, so that its next authorisation is a first one; it returns how
// many consents it forgot.
func (s *Server) ClearClientConsents(clientID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k := range s.consents {
		if k.client == clientID {
			delete(s.consents, k)
			n++
		}
	}
	return n
}
