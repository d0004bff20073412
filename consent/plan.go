package consent

import (
	"fmt"
	"strconv"
)

// AutoApprove is the auto_approve parameter as a run sends it.
type AutoApprove string

// The three ways a run sends auto_approve.
const (
	// AutoApproveOmitted sends no auto_approve parameter at all.
	AutoApproveOmitted AutoApprove = ""
	AutoApproveTrue    AutoApprove = "true"
	AutoApproveFalse   AutoApprove = "false"
)

// Label is how reports and screens name the value: "omitted", "true", "false".
func (a AutoApprove) Label() string {
	if a == AutoApproveOmitted {
		return "omitted"
	}
	return string(a)
}

// MarshalText writes an omitted parameter as "omitted", so a report reads
// the same as the screens.
func (a AutoApprove) MarshalText() ([]byte, error) { return []byte(a.Label()), nil }

// UnmarshalText reads what MarshalText writes.
func (a *AutoApprove) UnmarshalText(b []byte) error {
	switch v := AutoApprove(b); v {
	case "omitted", AutoApproveOmitted:
		*a = AutoApproveOmitted
	case AutoApproveTrue, AutoApproveFalse:
		*a = v
	default:
		return fmt.Errorf("auto_approve %q is not omitted, true or false", string(b))
	}
	return nil
}

// Authorisation says whether a run is the first authorisation of the client
// by the user (consent cleared just before) or a later one.
type Authorisation string

// The two authorisations Cezanne's rules tell apart.
const (
	First  Authorisation = "first"
	Second Authorisation = "second"
)

// Question is the one question the person answers after each run.
const Question = "Did Cezanne show the page asking you to allow access?"

// Step is one planned run.
type Step struct {
	// Number counts from 1, as the screens and the report show it.
	Number        int           `json:"run"`
	AutoApprove   AutoApprove   `json:"auto_approve"`
	Authorisation Authorisation `json:"authorisation"`
	// Before is what the person does before pressing Continue; for a
	// sandbox tenant the app clears consents itself and says so.
	Before string `json:"before"`
	// ClearConsent says consent must be cleared before this run (the app
	// does it when it has an Oracle; the person does it otherwise).
	ClearConsent bool `json:"clear_consent"`
}

// Title names the run: "Run 3 of 6: auto_approve true, first authorisation".
func (s Step) Title(total int) string {
	return fmt.Sprintf("Run %d of %d: auto_approve %s, %s authorisation", s.Number, total, s.AutoApprove.Label(), s.Authorisation)
}

// Plan is the ordered list of runs of one check.
type Plan struct {
	Steps []Step `json:"steps"`
}

// NewPlan makes the six runs: for each auto_approve value, a first
// authorisation right after consent was cleared, then a second one. The
// pairs are kept together so that the second run finds exactly the consent
// the first one gave. appClears says the app clears consents itself (a
// sandbox tenant), which changes only what the person is told.
func NewPlan(appClears bool) Plan {
	var p Plan
	for _, a := range []AutoApprove{AutoApproveOmitted, AutoApproveTrue, AutoApproveFalse} {
		for _, auth := range []Authorisation{First, Second} {
			s := Step{Number: len(p.Steps) + 1, AutoApprove: a, Authorisation: auth, ClearConsent: auth == First}
			s.Before = beforeText(s, appClears)
			p.Steps = append(p.Steps, s)
		}
	}
	return p
}

// beforeText is what the person must do before a run.
func beforeText(s Step, appClears bool) string {
	switch {
	case s.ClearConsent && appClears:
		return "The app clears this application's remembered consent on the sandbox tenant first. Press Continue; the browser opens to sign in."
	case s.ClearConsent:
		return "In Cezanne, revoke this application's access for the user you sign in as (so this is a first authorisation), then press Continue; the browser opens to sign in."
	default:
		return "Nothing to do: this is a second authorisation of run " + strconv.Itoa(s.Number-1) + "'s consent. Press Continue; the browser opens to sign in again as the same user."
	}
}
