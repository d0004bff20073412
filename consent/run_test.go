package consent

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/trace"
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
			wantVerdict(t, rep.Verdict, tc.matches, nil, tc.summaryHas...)
			if len(rep.Cells) != 6 {
				t.Fatalf("%d cells, want 6", len(rep.Cells))
			}
			for i, c := range rep.Cells {
				if c.ConsentShown == nil || *c.ConsentShown != tc.shown[i] || !c.Counted || c.AnsweredBy != BySandbox || c.Outcome != Granted {
					t.Errorf("cell %d = %+v, want shown %v, counted, by sandbox, granted", i+1, c, tc.shown[i])
				}
			}
			if phases[len(phases)-1] != PhaseFinished || !slices.Contains(phases, PhaseClearing) {
				t.Errorf("phases %v", phases)
			}
		})
	}
}

// scriptedGuide plays the person: it clears consents on the sandbox when a
// step asks for it (as a person revokes access in Cezanne), answers the
// question truthfully from the sandbox's log, and follows a script for
// Skip, Repeat and Deny.
type scriptedGuide struct {
	tn     *tenant
	client string
	// skip lists steps the person skips; repeat, steps whose first
	// attempt the person repeats; deny, steps where they press Deny.
	skip, repeat, deny map[int]bool

	mu       sync.Mutex
	current  int
	attempts map[int]int
	// block makes Before wait for the check to be cancelled.
	block bool
}

func (g *scriptedGuide) Before(ctx context.Context, s Step) (Action, error) {
	if g.block {
		<-ctx.Done()
		return Continue, ctx.Err()
	}
	g.mu.Lock()
	g.current = s.Number
	g.mu.Unlock()
	if g.skip[s.Number] {
		return Skip, nil
	}
	if s.ClearConsent {
		g.tn.ClearClientConsents(g.client)
	}
	return Continue, nil
}

func (g *scriptedGuide) Ask(_ context.Context, o Observation) (Reply, error) {
	g.mu.Lock()
	if g.attempts == nil {
		g.attempts = map[int]int{}
	}
	g.attempts[o.Step.Number]++
	n := g.attempts[o.Step.Number]
	g.mu.Unlock()
	if g.repeat[o.Step.Number] && n == 1 {
		return Reply{Action: Repeat}, nil
	}
	log := g.tn.ConsentLog()
	return Reply{ConsentShown: log[len(log)-1].Shown, Action: Continue}, nil
}

// browser is the robot, denying on the steps the script says.
func (g *scriptedGuide) browser() func(string) error {
	allow := &sandbox.Robot{Username: "hrprof@sandbox.cezannehr.com", Password: sandbox.DemoPassword}
	deny := &sandbox.Robot{Username: "hrprof@sandbox.cezannehr.com", Password: sandbox.DemoPassword, Deny: true}
	return func(u string) error {
		g.mu.Lock()
		rb := allow
		if g.deny[g.current] {
			rb = deny
		}
		g.mu.Unlock()
		_, err := rb.Run(context.Background(), u)
		return err
	}
}

// TestGuidedCheck walks the check as a person would, with Repeat, Skip and
// a denied consent, against an OnDemand client and no oracle.
func TestGuidedCheck(t *testing.T) {
	tests := []struct {
		name               string
		skip, repeat, deny map[int]bool
		runs               int
		outcomes           []Outcome
		counted            []bool
		matches            []Mode
		flags              []FlagKind
	}{
		{name: "straight through", runs: 6,
			outcomes: []Outcome{Granted, Granted, Granted, Granted, Granted, Granted},
			counted:  []bool{true, true, true, true, true, true}, matches: []Mode{OnDemand}},
		{name: "repeat a run", repeat: map[int]bool{1: true, 4: true}, runs: 8,
			outcomes: []Outcome{Granted, Granted, Granted, Granted, Granted, Granted},
			counted:  []bool{true, true, true, true, true, true}, matches: []Mode{OnDemand}},
		{name: "skip the deciding run", skip: map[int]bool{4: true}, runs: 6,
			outcomes: []Outcome{Granted, Granted, Granted, Skipped, Granted, Granted},
			counted:  []bool{true, true, true, false, true, true}, matches: []Mode{Disabled, OnDemand}},
		{name: "denied first authorisation", deny: map[int]bool{3: true}, runs: 6,
			outcomes: []Outcome{Granted, Granted, Denied, Granted, Granted, Granted},
			counted:  []bool{true, true, true, false, true, true}, matches: []Mode{Disabled, OnDemand},
			flags: []FlagKind{FlagSecondAfterDenied}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tn := startTenant(t)
			r := tn.runner(t, sandbox.ClientDesktopOnDemand)
			g := &scriptedGuide{tn: tn, client: sandbox.ClientDesktopOnDemand, skip: tc.skip, repeat: tc.repeat, deny: tc.deny}
			r.Oracle, r.Guide, r.OpenBrowser = nil, g, g.browser()
			var traces int
			r.OnTrace = func(*trace.Trace) { traces++ }
			rep, err := r.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Runs) != tc.runs || traces != tc.runs-len(tc.skip) {
				t.Errorf("%d runs in the report, %d traces; want %d", len(rep.Runs), traces, tc.runs)
			}
			wantPersonCells(t, rep.Cells, tc.outcomes, tc.counted)
			wantVerdict(t, rep.Verdict, tc.matches, tc.flags)
			for i, run := range rep.Runs {
				if run.Repeated != (i+1 < len(rep.Runs) && rep.Runs[i+1].Step.Number == run.Step.Number) {
					t.Errorf("run record %d: repeated %v", i, run.Repeated)
				}
			}
		})
	}
}

// TestCancelStopsTheCheck: cancelling while the person is asked to
// continue ends Run at once with the report so far.
func TestCancelStopsTheCheck(t *testing.T) {
	tn := startTenant(t)
	r := tn.runner(t, sandbox.ClientDesktopOnDemand)
	r.Guide = &scriptedGuide{tn: tn, block: true}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	rep, err := r.Run(ctx)
	if !errors.Is(err, auth.ErrCancelled) || rep == nil || !rep.Cancelled || len(rep.Cells) != 0 {
		t.Fatalf("Run = %+v, %v; want a cancelled, empty report", rep, err)
	}
}

// wantVerdict checks the modes matched, the flags' kinds in order, and
// words the summary must hold.
func wantVerdict(t *testing.T, v Verdict, matches []Mode, flags []FlagKind, summaryHas ...string) {
	t.Helper()
	if !slices.Equal(v.Matches, matches) || v.NoMatch() != (len(matches) == 0) {
		t.Errorf("matches %v (NoMatch %v), want %v (%s)", v.Matches, v.NoMatch(), matches, v.Summary)
	}
	var kinds []FlagKind
	for _, f := range v.Flags {
		kinds = append(kinds, f.Kind)
	}
	if !slices.Equal(kinds, flags) {
		t.Errorf("flags %v, want %v", kinds, flags)
	}
	for _, s := range summaryHas {
		if !strings.Contains(v.Summary, s) {
			t.Errorf("summary %q lacks %q", v.Summary, s)
		}
	}
}

// wantPersonCells checks each cell's outcome and whether it counts, and
// that every run not skipped was answered by the person.
func wantPersonCells(t *testing.T, cells []Cell, outcomes []Outcome, counted []bool) {
	t.Helper()
	for i, c := range cells {
		if c.Outcome != outcomes[i] || c.Counted != counted[i] {
			t.Errorf("cell %d: %s counted %v, want %s counted %v (%s)", i+1, c.Outcome, c.Counted, outcomes[i], counted[i], c.Note)
		}
		if c.Outcome != Skipped && (c.ConsentShown == nil || c.AnsweredBy != ByPerson) {
			t.Errorf("cell %d not answered by the person: %+v", i+1, c)
		}
	}
}
