package consent

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Mode is one of Cezanne's documented "Auto approve modes".
type Mode string

// The documented modes, in the order Cezanne's docs list them.
const (
	Disabled  Mode = "Disabled"
	Automatic Mode = "Automatic"
	OnDemand  Mode = "OnDemand"
)

// Modes lists the documented modes in the docs' order.
var Modes = []Mode{Disabled, Automatic, OnDemand}

// Expected says whether Cezanne's docs say the consent page is shown in mode
// m for a run sending a as a first or second authorisation:
// Disabled always shows it; Automatic only the first time; OnDemand the
// first time, and later unless auto_approve is true (false by default).
func Expected(m Mode, a AutoApprove, auth Authorisation) bool {
	switch m {
	case Automatic:
		return auth == First
	case OnDemand:
		return auth == First || a != AutoApproveTrue
	default:
		return true
	}
}

// Outcome is how a run ended.
type Outcome string

// Run outcomes.
const (
	// Granted: the sign-in finished with a token.
	Granted Outcome = "granted"
	// Denied: the consent page was shown and access was denied on it.
	Denied Outcome = "denied"
	// Skipped: the person skipped the run; it has no observation.
	Skipped Outcome = "skipped"
	// Failed: the run ended in an error before an answer could be given
	// (the error is in Cell.Error).
	Failed Outcome = "failed"
)

// AnsweredBy says who answered the question for a run.
type AnsweredBy string

// Who answers.
const (
	ByPerson  AnsweredBy = "person"
	BySandbox AnsweredBy = "sandbox"
)

// Cell is one run's observation against the documented expectations.
type Cell struct {
	Run           int           `json:"run"`
	AutoApprove   AutoApprove   `json:"auto_approve"`
	Authorisation Authorisation `json:"authorisation"`
	Outcome       Outcome       `json:"outcome"`
	// ConsentShown is the answer to Question; nil when the run was skipped
	// or failed before an answer.
	ConsentShown *bool      `json:"consent_shown"`
	AnsweredBy   AnsweredBy `json:"answered_by,omitempty"`
	// Expected holds, per documented mode, whether the consent page should
	// have been shown.
	Expected map[Mode]bool `json:"expected"`
	// Counted says the cell takes part in the verdict: it was answered, and
	// a second authorisation's first run gave consent (a second run after a
	// denied or skipped first one is not a second authorisation).
	Counted bool `json:"counted"`
	// Note says why a cell is not counted, or what else is worth knowing.
	Note  string `json:"note,omitempty"`
	Error string `json:"error,omitempty"`
}

// Name is how the verdict names a cell: "run 4 (auto_approve true, second)".
func (c Cell) Name() string {
	return fmt.Sprintf("run %d (auto_approve %s, %s)", c.Run, c.AutoApprove.Label(), c.Authorisation)
}

// FlagKind names something a run saw that is worth a look whatever the mode.
type FlagKind string

// The flags the check raises.
const (
	FlagStateNotEchoed    FlagKind = "state_not_echoed"
	FlagScopesDiffer      FlagKind = "scopes_differ"
	FlagNoRefreshToken    FlagKind = "refresh_token_missing"
	FlagNoExpiresIn       FlagKind = "expires_in_absent"
	FlagSecondAfterDenied FlagKind = "second_not_after_consent"
)

// Flag is one thing worth flagging, with the run that saw it.
type Flag struct {
	Run    int      `json:"run"`
	Kind   FlagKind `json:"kind"`
	Detail string   `json:"detail"`
}

// Observed reports whether the cell counts towards the verdict: the run
// was counted and the question answered.
func (c Cell) Observed() bool { return c.Counted && c.ConsentShown != nil }

// DiffersFrom reports whether an observed cell is not what mode m expects;
// the verdict, every report and the screen mark a cell by this one rule.
func (c Cell) DiffersFrom(m Mode) bool {
	return c.Observed() && *c.ConsentShown != Expected(m, c.AutoApprove, c.Authorisation)
}

// Difference is a counted cell whose observation differs from a mode's
// expectation.
type Difference struct {
	Run      int    `json:"run"`
	Cell     string `json:"cell"`
	Expected bool   `json:"expected_consent_shown"`
	Observed bool   `json:"observed_consent_shown"`
}

// Verdict is what the observations say about the tenant's client.
type Verdict struct {
	// Matches lists the documented modes every counted cell agrees with,
	// in the docs' order; empty when none does.
	Matches []Mode `json:"matches"`
	// Differs lists, per documented mode, the cells that disagree with it.
	Differs map[Mode][]Difference `json:"differs"`
	// Summary is the verdict in words: "behaves as OnDemand", or "matches
	// no documented mode: run 4 (auto_approve true, second) differs from
	// OnDemand …".
	Summary string `json:"summary"`
	// Headline is the summary's first part ("behaves as OnDemand", "matches
	// no documented mode"), Details the rest, one line per mode, closest
	// first, for screens and the HTML page.
	Headline string   `json:"headline"`
	Details  []string `json:"details,omitempty"`
	// Counted is how many cells took part in the verdict.
	Counted int    `json:"counted"`
	Cells   []Cell `json:"-"`
	Flags   []Flag `json:"flags"`
}

// NoMatch reports whether the observations match no documented mode (the
// CLI then exits 2).
func (v Verdict) NoMatch() bool { return len(v.Matches) == 0 }

// Decide compares the cells with each documented mode. Cells not counted
// (skipped, failed, a second run not after a granted first) are left out;
// with none counted every mode still matches and the summary says nothing
// was observed.
func Decide(cells []Cell, flags []Flag) Verdict {
	// Matches and Flags are empty lists, not null, in the JSON a script reads.
	v := Verdict{Matches: []Mode{}, Differs: map[Mode][]Difference{}, Cells: cells, Flags: append([]Flag{}, flags...)}
	for _, c := range cells {
		if c.Observed() {
			v.Counted++
		}
	}
	for _, m := range Modes {
		var diff []Difference
		for _, c := range cells {
			if c.DiffersFrom(m) {
				diff = append(diff, Difference{Run: c.Run, Cell: c.Name(), Expected: !*c.ConsentShown, Observed: *c.ConsentShown})
			}
		}
		if len(diff) == 0 {
			v.Matches = append(v.Matches, m)
		} else {
			v.Differs[m] = diff
		}
	}
	v.Headline, v.Details = summary(v)
	v.Summary = v.Headline
	if len(v.Details) > 0 {
		v.Summary += ": " + strings.Join(v.Details, "; ")
	}
	return v
}

// summary says the verdict: a headline, and for no match the cells that
// keep the observations from each mode.
func summary(v Verdict) (string, []string) {
	if v.Counted == 0 {
		return "nothing was observed", []string{"every run was skipped or failed"}
	}
	if len(v.Matches) > 0 {
		names := make([]string, len(v.Matches))
		for i, m := range v.Matches {
			names[i] = string(m)
		}
		s := "behaves as " + strings.Join(names, " or ")
		if len(v.Matches) > 1 {
			s += " (the runs observed do not tell these apart)"
		}
		return s, nil
	}
	// Closest mode first: the cells that keep the tenant from it are the
	// ones worth a ticket.
	modes := slices.Clone(Modes)
	slices.SortStableFunc(modes, func(a, b Mode) int { return len(v.Differs[a]) - len(v.Differs[b]) })
	parts := make([]string, 0, len(modes))
	for _, m := range modes {
		parts = append(parts, differsText(m, v.Differs[m]))
	}
	return "matches no documented mode", parts
}

// differsText names the cells that keep the observations from mode m: each
// in full when there are one or two, else by run number.
func differsText(m Mode, diff []Difference) string {
	if len(diff) > 2 {
		runs := make([]string, len(diff))
		for i, d := range diff {
			runs[i] = strconv.Itoa(d.Run)
		}
		return fmt.Sprintf("%s differs at runs %s and %s", m, strings.Join(runs[:len(runs)-1], ", "), runs[len(runs)-1])
	}
	names := make([]string, len(diff))
	for i, d := range diff {
		names[i] = fmt.Sprintf("%s: the consent page was %s, %s %s it", d.Cell, shownWord(d.Observed), m, expectWord(d.Expected))
	}
	return string(m) + " differs at " + strings.Join(names, ", and at ")
}

func shownWord(shown bool) string {
	if shown {
		return "shown"
	}
	return "not shown"
}

func expectWord(shown bool) string {
	if shown {
		return "shows"
	}
	return "does not show"
}
