package consent

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

// TestUnattendedCheckReachesVerdict runs the whole check against a sandbox
// client in each documented mode, and in the undocumented fourth one, with
// the sandbox answering the question.
func TestUnattendedCheckReachesVerdict(t *testing.T) {
	tests := []struct {
		name       string
		client     string
		undoc      sandbox.AutoApproveMode
		matches    []Mode
		shown      []bool // per run, as the sandbox should report it
		summaryHas []string
	}{
		{"Disabled", sandbox.ClientDesktopDisabled, "", []Mode{Disabled},
			[]bool{true, true, true, true, true, true}, []string{"behaves as Disabled"}},
		{"Automatic", sandbox.ClientDesktopAutomatic, "", []Mode{Automatic},
			[]bool{true, false, true, false, true, false}, []string{"behaves as Automatic"}},
		{"OnDemand", sandbox.ClientDesktopOnDemand, "", []Mode{OnDemand},
			[]bool{true, true, true, false, true, true}, []string{"behaves as OnDemand"}},
		{"every second run", sandbox.ClientDesktopOnDemand, sandbox.AutoApproveEverySecondRun, nil,
			[]bool{false, true, false, true, false, true},
			[]string{"matches no documented mode: Disabled differs at runs 1, 3 and 5; OnDemand differs at runs 1, 3, 4 and 5; Automatic differs at runs 1, 2, 3, 4, 5 and 6"}},
		{"omitted means true", sandbox.ClientDesktopOnDemand, sandbox.AutoApproveOmittedMeansTrue, nil,
			[]bool{true, false, true, false, true, true},
			[]string{"matches no documented mode: Automatic differs at run 6 (auto_approve false, second): the consent page was shown, Automatic does not show it; " +
				"OnDemand differs at run 2 (auto_approve omitted, second): the consent page was not shown, OnDemand shows it; Disabled differs at run 2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tn := startTenant(t)
			if tc.undoc != "" {
				if err := tn.UseUndocumentedMode(tc.client, tc.undoc); err != nil {
					t.Fatal(err)
				}
			}
			var phases []Phase
			r := tn.runner(t, tc.client)
			r.OnProgress = func(p Progress) { phases = append(phases, p.Phase) }
			rep, err := r.Run(context.Background())
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if !slices.Equal(rep.Verdict.Matches, tc.matches) {
				t.Errorf("matches = %v, want %v (%s)", rep.Verdict.Matches, tc.matches, rep.Verdict.Summary)
			}
			if got := rep.Verdict.NoMatch(); got != (len(tc.matches) == 0) {
				t.Errorf("NoMatch = %v", got)
			}
			for _, s := range tc.summaryHas {
				if !strings.Contains(rep.Verdict.Summary, s) {
					t.Errorf("summary %q lacks %q", rep.Verdict.Summary, s)
				}
			}
			if len(rep.Cells) != 6 {
				t.Fatalf("%d cells, want 6", len(rep.Cells))
			}
			for i, c := range rep.Cells {
				if c.ConsentShown == nil || *c.ConsentShown != tc.shown[i] || !c.Counted || c.AnsweredBy != BySandbox || c.Outcome != Granted {
					t.Errorf("cell %d = %+v, want shown %v, counted, by sandbox, granted", i+1, c, tc.shown[i])
				}
			}
			if len(rep.Verdict.Flags) != 0 {
				t.Errorf("flags %+v, want none from the sandbox", rep.Verdict.Flags)
			}
			if phases[len(phases)-1] != PhaseFinished || !slices.Contains(phases, PhaseClearing) {
				t.Errorf("phases %v", phases)
			}
		})
	}
}
