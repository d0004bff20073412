package consent

import (
	"slices"
	"strings"
	"testing"
)

// TestExpected is the README's matrix, from Cezanne's "Auto approve mode"
// docs: Disabled always shows the consent page; Automatic the first time
// only; OnDemand the first time, then unless auto_approve is true.
func TestExpected(t *testing.T) {
	// Per mode: omitted first, omitted second, true first, true second,
	// false first, false second.
	want := map[Mode][6]bool{
		Disabled:  {true, true, true, true, true, true},
		Automatic: {true, false, true, false, true, false},
		OnDemand:  {true, true, true, false, true, true},
	}
	for m, row := range want {
		for i, s := range NewPlan(true).Steps {
			if got := Expected(m, s.AutoApprove, s.Authorisation); got != row[i] {
				t.Errorf("%s, %s: expected %v, want %v", m, s.Title(6), got, row[i])
			}
		}
	}
}

// cellsFor makes the six cells of a check from what was shown (nil: not
// observed).
func cellsFor(shown ...*bool) []Cell {
	var cells []Cell
	for i, s := range NewPlan(true).Steps {
		c := Cell{Run: s.Number, AutoApprove: s.AutoApprove, Authorisation: s.Authorisation, ConsentShown: shown[i], Counted: shown[i] != nil, Outcome: Granted}
		if shown[i] == nil {
			c.Outcome = Skipped
		}
		cells = append(cells, c)
	}
	return cells
}

// TestDecide: the modes the cells match, and the summary naming the cells
// that differ.
func TestDecide(t *testing.T) {
	y, n := boolp(true), boolp(false)
	tests := []struct {
		name    string
		cells   []Cell
		matches []Mode
		summary string
	}{
		{"Disabled", cellsFor(y, y, y, y, y, y), []Mode{Disabled}, "behaves as Disabled"},
		{"Automatic", cellsFor(y, n, y, n, y, n), []Mode{Automatic}, "behaves as Automatic"},
		{"OnDemand", cellsFor(y, y, y, n, y, y), []Mode{OnDemand}, "behaves as OnDemand"},
		{"undecided without run 4", cellsFor(y, y, y, nil, y, y), []Mode{Disabled, OnDemand},
			"behaves as Disabled or OnDemand (the runs observed do not tell these apart)"},
		{"one cell off OnDemand", cellsFor(y, y, y, n, y, n), nil,
			"matches no documented mode: Automatic differs at run 2 (auto_approve omitted, second): the consent page was shown, Automatic does not show it; " +
				"OnDemand differs at run 6 (auto_approve false, second): the consent page was not shown, OnDemand shows it; " +
				"Disabled differs at run 4 (auto_approve true, second): the consent page was not shown, Disabled shows it, and at run 6 (auto_approve false, second): the consent page was not shown, Disabled shows it"},
		{"never shown", cellsFor(n, n, n, n, n, n), nil,
			"matches no documented mode: Automatic differs at runs 1, 3 and 5; OnDemand differs at runs 1, 2, 3, 5 and 6; Disabled differs at runs 1, 2, 3, 4, 5 and 6"},
		{"nothing observed", cellsFor(nil, nil, nil, nil, nil, nil), []Mode{Disabled, Automatic, OnDemand},
			"nothing was observed: every run was skipped or failed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Decide(tc.cells, nil)
			if !slices.Equal(v.Matches, tc.matches) || v.Summary != tc.summary {
				t.Errorf("Decide = %v, %q\nwant %v, %q", v.Matches, v.Summary, tc.matches, tc.summary)
			}
			if v.NoMatch() != (len(tc.matches) == 0) {
				t.Errorf("NoMatch = %v", v.NoMatch())
			}
			for m, diff := range v.Differs {
				if slices.Contains(v.Matches, m) || len(diff) == 0 {
					t.Errorf("mode %s both matches and differs (%v)", m, diff)
				}
			}
		})
	}
}

// TestDecideLeavesOutUncountedCells: a cell answered but not counted (a
// second run after a denied first one) does not move the verdict.
func TestDecideLeavesOutUncountedCells(t *testing.T) {
	y, n := boolp(true), boolp(false)
	cells := cellsFor(y, y, y, n, y, y)
	cells[3].ConsentShown, cells[3].Counted = y, false
	v := Decide(cells, nil)
	if !slices.Equal(v.Matches, []Mode{Disabled, OnDemand}) || v.Counted != 5 {
		t.Errorf("Decide = %v (%d counted); the uncounted cell was used", v.Matches, v.Counted)
	}
	if !strings.HasPrefix(cells[3].Name(), "run 4 (auto_approve true, second)") {
		t.Errorf("Name = %q", cells[3].Name())
	}
}
