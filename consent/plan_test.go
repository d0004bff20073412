package consent

import (
	"strings"
	"testing"
)

// TestNewPlan: six runs, each auto_approve value as a first then a second
// authorisation, and the person told what to do before each.
func TestNewPlan(t *testing.T) {
	want := []struct {
		a     AutoApprove
		auth  Authorisation
		clear bool
		title string
	}{
		{AutoApproveOmitted, First, true, "Run 1 of 6: auto_approve omitted, first authorisation"},
		{AutoApproveOmitted, Second, false, "Run 2 of 6: auto_approve omitted, second authorisation"},
		{AutoApproveTrue, First, true, "Run 3 of 6: auto_approve true, first authorisation"},
		{AutoApproveTrue, Second, false, "Run 4 of 6: auto_approve true, second authorisation"},
		{AutoApproveFalse, First, true, "Run 5 of 6: auto_approve false, first authorisation"},
		{AutoApproveFalse, Second, false, "Run 6 of 6: auto_approve false, second authorisation"},
	}
	for _, appClears := range []bool{false, true} {
		steps := NewPlan(appClears).Steps
		if len(steps) != len(want) {
			t.Fatalf("%d steps, want %d", len(steps), len(want))
		}
		for i, w := range want {
			s := steps[i]
			if s.Number != i+1 || s.AutoApprove != w.a || s.Authorisation != w.auth || s.ClearConsent != w.clear || s.Title(len(steps)) != w.title {
				t.Errorf("step %d = %+v (%q), want %+v", i+1, s, s.Title(len(steps)), w)
			}
			var must string
			switch {
			case w.clear && appClears:
				must = "The app clears"
			case w.clear:
				must = "revoke this application's access"
			default:
				must = "second authorisation"
			}
			if !strings.Contains(s.Before, must) || !strings.Contains(s.Before, "Continue") {
				t.Errorf("step %d (app clears %v) tells the person %q; want it to say %q and Continue", i+1, appClears, s.Before, must)
			}
		}
	}
}

// TestAutoApproveLabel: an omitted parameter reads "omitted", never "".
func TestAutoApproveLabel(t *testing.T) {
	for a, want := range map[AutoApprove]string{AutoApproveOmitted: "omitted", AutoApproveTrue: "true", AutoApproveFalse: "false"} {
		if got := a.Label(); got != want {
			t.Errorf("%q.Label() = %q, want %q", a, got, want)
		}
	}
}
