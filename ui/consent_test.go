package ui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/consent"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/trace"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox/sandboxtest"
)

// consentRig runs the consent check's controller against a sandbox tenant
// on loopback: the sandbox's robot is the browser, and the test goroutine
// is the UI goroutine, where the runner's updates are queued.
type consentRig struct {
	t      *testing.T
	tenant *sandbox.Running
	queue  chan func()
	// seen is, per browser visit, whether the robot saw the consent page.
	seen   chan bool
	screen *fakeConsentScreen
	traces []*trace.Trace
	states []string
	// byHand: the person revokes consent before first runs (no sandbox
	// oracle does it); hints are the sandbox's hints seen at questions.
	byHand bool
	hints  []string
}

// fakeConsentScreen counts renders; the state is the controller's.
type fakeConsentScreen struct{ renders int }

func (s *fakeConsentScreen) render(*consentState) { s.renders++ }

func newConsentRig(t *testing.T, mode sandbox.AutoApproveMode) (*consentRig, *consentCheck, *auth.Profile) {
	t.Helper()
	redirect := sandbox.FreeLoopbackRedirect(0, "/oauth-callback/")
	r := &consentRig{t: t, queue: make(chan func(), 64), seen: make(chan bool, 4), screen: &fakeConsentScreen{}, byHand: true}
	r.tenant = sandboxtest.Start(t, sandbox.Config{LoopbackRedirect: redirect,
		AutoApprove: map[string]sandbox.AutoApproveMode{sandbox.ClientDesktopOnDemand: mode}})
	c, _ := r.tenant.OAuthClient(sandbox.ClientDesktopOnDemand)
	p := &auth.Profile{Name: "QA sandbox", BaseURL: r.tenant.BaseURL(), ClientID: c.ID, RedirectURI: redirect, Scopes: []string{auth.ScopeRead}}
	if err := p.Normalize(); err != nil {
		t.Fatal(err)
	}
	robot := hrRobot()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	deps := consentDeps{
		do:    func(f func()) { r.queue <- f },
		goFn:  func(f func()) { go f() },
		state: func(name string, _ ...any) { r.states = append(r.states, name) },
		credentials: func(_ context.Context, p *auth.Profile, typed string) (*auth.Profile, string, error) {
			if typed != c.Secret {
				return nil, "", auth.ErrNoClientSecret
			}
			return p, typed, nil
		},
		setUp: func(context.Context, *auth.Profile, *consent.Runner) (bool, error) { return false, nil },
		openBrowser: func(u string) error {
			go func() {
				res, err := robot.Run(ctx, u)
				if err != nil {
					t.Errorf("robot: %v", err)
					r.seen <- false
					return
				}
				r.seen <- res.ConsentShown
			}()
			return nil
		},
		onTrace: func(tr *trace.Trace) { r.traces = append(r.traces, tr) },
	}
	return r, newConsentCheck(deps, r.screen), p
}

// person says what to do at a run: the answer to give, or Repeat/Skip.
type person func(run, attempt int, seen bool) consentAnswer

// truthful answers what the browser showed.
func truthful(_, _ int, seen bool) consentAnswer {
	return consentAnswer{action: consent.Continue, shown: seen}
}

// play runs the UI goroutine until the check ends, pressing Continue
// before each run and answering the question as who says.
func (r *consentRig) play(c *consentCheck, who person) {
	r.t.Helper()
	attempts := map[int]int{}
	deadline := time.After(60 * time.Second)
	for !c.st.finished() {
		select {
		case f := <-r.queue:
			f()
		case <-deadline:
			r.t.Fatalf("the check did not finish; at %q, phase %s", c.st.instruction, c.st.phase)
		}
		row := c.currentRow()
		switch {
		case c.st.phase == consent.PhaseBefore && row != nil:
			// As the screen asks, before a first authorisation.
			if row.step.ClearConsent && r.byHand {
				r.tenant.ClearConsents("")
			}
			c.proceed()
		case c.st.phase == consent.PhaseQuestion && row != nil:
			n := row.step.Number
			attempts[n]++
			r.hints = append(r.hints, c.st.hint)
			select {
			case seen := <-r.seen:
				c.answer(who(n, attempts[n], seen))
			case <-deadline:
				r.t.Fatalf("run %d: asked before the browser answered", n)
			}
		}
	}
}

// TestConsentCheckScreenWalksThePerson: the controller takes the person
// through the six runs against a sandbox in each documented mode, one at a
// time (Continue, the browser, the question), and ends on the verdict the
// answers give; Repeat and Skip act on the run in hand; answers that fit
// no mode are named.
func TestConsentCheckScreenWalksThePerson(t *testing.T) {
	tests := []struct {
		name string
		mode sandbox.AutoApproveMode
		who  person
		want []consent.Mode
		// rows are the runs' statuses at the end.
		rows []string
		// runs is how many attempts the report keeps.
		runs int
	}{
		{name: "OnDemand", mode: sandbox.AutoApproveOnDemand, who: truthful, want: []consent.Mode{consent.OnDemand},
			rows: []string{"shown", "shown", "shown", "not shown", "shown", "shown"}, runs: 6},
		{name: "Automatic", mode: sandbox.AutoApproveAutomatic, who: truthful, want: []consent.Mode{consent.Automatic},
			rows: []string{"shown", "not shown", "shown", "not shown", "shown", "not shown"}, runs: 6},
		{name: "Disabled", mode: sandbox.AutoApproveDisabled, who: truthful, want: []consent.Mode{consent.Disabled},
			rows: slices.Repeat([]string{"shown"}, 6), runs: 6},
		{name: "repeat run 2, skip run 5", mode: sandbox.AutoApproveOnDemand, want: []consent.Mode{consent.OnDemand},
			who: func(run, attempt int, seen bool) consentAnswer {
				switch {
				case run == 2 && attempt == 1:
					return consentAnswer{action: consent.Repeat}
				case run == 5:
					return consentAnswer{action: consent.Skip}
				}
				return truthful(run, attempt, seen)
			},
			// Run 6 follows a skipped first run: not a second authorisation.
			rows: []string{"shown", "shown", "shown", "not shown", "skipped", "shown (not counted)"}, runs: 7},
		{name: "no documented mode", mode: sandbox.AutoApproveOnDemand, want: nil,
			who: func(run, attempt int, seen bool) consentAnswer {
				if run == 2 { // "not shown", where every mode but Automatic shows it
					return consentAnswer{action: consent.Continue, shown: false}
				}
				return truthful(run, attempt, seen)
			},
			rows: []string{"shown", "not shown", "shown", "not shown", "shown", "shown"}, runs: 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, c, p := newConsentRig(t, tt.mode)
			c.start(p, r.secret())
			r.play(c, tt.who)
			rep := c.st.report
			if rep == nil {
				t.Fatalf("no report: %s", c.st.failure)
			}
			if !slices.Equal(rep.Verdict.Matches, tt.want) {
				t.Errorf("matches %v, want %v (%s)", rep.Verdict.Matches, tt.want, rep.Verdict.Summary)
			}
			var rows []string
			for _, row := range c.st.rows {
				rows = append(rows, row.status)
			}
			if !slices.Equal(rows, tt.rows) {
				t.Errorf("rows %q, want %q", rows, tt.rows)
			}
			if len(rep.Runs) != tt.runs || len(r.traces) != tt.runs {
				t.Errorf("%d runs in the report, %d traces in the Flow trace; want %d", len(rep.Runs), len(r.traces), tt.runs)
			}
			if !slices.Contains(r.states, "consent-check-verdict") || c.st.phase != consent.PhaseFinished {
				t.Errorf("states %v, phase %s", r.states, c.st.phase)
			}
		})
	}
}

func (r *consentRig) secret() string {
	c, _ := r.tenant.OAuthClient(sandbox.ClientDesktopOnDemand)
	return c.Secret
}

// TestConsentCheckScreenWithSandboxTenants: the demo tenant answers for
// the person, so its check runs unattended (no Continue, no question) and
// each row shows its cell as it is recorded; a `cezanne-desktop sandbox`
// tenant clears consents itself and shows its answer as a hint, while the
// person still answers.
func TestConsentCheckScreenWithSandboxTenants(t *testing.T) {
	tests := []struct {
		name       string
		demo       bool
		unattended bool
		by         consent.AnsweredBy
	}{
		{"demo tenant", true, true, consent.BySandbox},
		{"sandbox tenant", false, false, consent.ByPerson},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, c, p := newConsentRig(t, sandbox.AutoApproveOnDemand)
			r.byHand = false
			c.deps.setUp = consentSetUp
			p.Demo = tt.demo
			var rows [][]string
			c.screen = renderFunc(func(st *consentState) {
				var now []string
				for _, row := range st.rows {
					now = append(now, row.status)
				}
				rows = append(rows, now)
			})
			c.start(p, r.secret())
			r.play(c, truthful)
			checkSandboxCheck(t, r, c, tt.unattended, tt.by, rows)
		})
	}
}

// checkSandboxCheck checks a check against a sandbox tenant: the verdict,
// who answered, whether the person was asked (and shown the sandbox's
// hints), and that rows showed each answer as it came.
func checkSandboxCheck(t *testing.T, r *consentRig, c *consentCheck, unattended bool, by consent.AnsweredBy, rows [][]string) {
	t.Helper()
	rep := c.st.report
	if rep == nil || !slices.Equal(rep.Verdict.Matches, []consent.Mode{consent.OnDemand}) {
		t.Fatalf("report %+v, failure %q", rep, c.st.failure)
	}
	if c.st.unattended != unattended || !c.st.sandbox || rep.Cells[0].AnsweredBy != by {
		t.Errorf("unattended %v, sandbox %v, answered by %s", c.st.unattended, c.st.sandbox, rep.Cells[0].AnsweredBy)
	}
	asked := slices.Contains(r.states, "consent-check-before") || slices.Contains(r.states, "consent-check-question")
	if asked == unattended {
		t.Errorf("the person was asked: %v (states %v)", asked, r.states)
	}
	shown := "The sandbox tenant's log says it showed the consent page."
	if !unattended && !slices.Equal(r.hints[:2], []string{shown, shown}) {
		t.Errorf("hints %q", r.hints)
	}
	if c.st.outcome != "" || c.st.hint != "" {
		t.Errorf("the last run's outcome %q and hint %q stay beside the verdict", c.st.outcome, c.st.hint)
	}
	// Before the verdict, the first row already says what was seen.
	if !slices.ContainsFunc(rows, func(now []string) bool { return len(now) == 6 && now[0] == "shown" && now[5] == "to do" }) {
		t.Errorf("no render showed run 1's answer while run 6 was to do: %q", rows)
	}
}

// renderFunc is a consent screen made of a function.
type renderFunc func(st *consentState)

func (f renderFunc) render(st *consentState) { f(st) }

// TestConsentCheckScreenAnswersOnce: a second press of Yes (or Continue)
// before the runner asks again sends nothing, so it cannot answer the
// next run; buttons outside their phase do nothing.
func TestConsentCheckScreenAnswersOnce(t *testing.T) {
	tests := []struct {
		name   string
		phase  consent.Phase
		press  func(c *consentCheck)
		queued int
	}{
		{"Continue twice", consent.PhaseBefore, func(c *consentCheck) { c.proceed(); c.proceed() }, 1},
		{"Yes then No", consent.PhaseQuestion, func(c *consentCheck) { c.reply(true); c.reply(false) }, 1},
		{"Yes while the browser is open", consent.PhaseBrowser, func(c *consentCheck) { c.reply(true) }, 0},
		{"Skip after the end", consent.PhaseFinished, func(c *consentCheck) { c.skip() }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newConsentCheck(consentDeps{state: func(string, ...any) {}}, &fakeConsentScreen{})
			c.st.rows = []consentRow{{step: consent.Step{Number: 1}}}
			c.st.current, c.st.phase = 0, tt.phase
			tt.press(c)
			if len(c.answers) != tt.queued {
				t.Errorf("%d answers sent, want %d", len(c.answers), tt.queued)
			}
		})
	}
}

// TestConsentCheckScreenCancelAndFailures: Cancel ends the check with the
// runs made so far; a check that cannot start says why in words.
func TestConsentCheckScreenCancelAndFailures(t *testing.T) {
	t.Run("cancel at the first question", func(t *testing.T) {
		r, c, p := newConsentRig(t, sandbox.AutoApproveOnDemand)
		c.start(p, r.secret())
		r.play(c, func(int, int, bool) consentAnswer {
			c.stop()
			return consentAnswer{action: consent.Continue, shown: true}
		})
		if c.st.report == nil || !c.st.report.Cancelled || !strings.Contains(c.st.instruction, "cancelled") {
			t.Fatalf("report %+v, instruction %q, failure %q", c.st.report, c.st.instruction, c.st.failure)
		}
	})
	t.Run("no client secret", func(t *testing.T) {
		r, c, p := newConsentRig(t, sandbox.AutoApproveOnDemand)
		c.start(p, "wrong")
		r.play(c, truthful)
		if c.st.report != nil || !strings.HasPrefix(c.st.failure, "The consent check could not start: ") ||
			!strings.Contains(c.st.failure, errorText(auth.ErrNoClientSecret)) {
			t.Fatalf("failure %q", c.st.failure)
		}
	})
	t.Run("set-up fails", func(t *testing.T) {
		r, c, p := newConsentRig(t, sandbox.AutoApproveOnDemand)
		c.deps.setUp = func(context.Context, *auth.Profile, *consent.Runner) (bool, error) {
			return false, errors.New("the sandbox did not answer")
		}
		c.start(p, r.secret())
		r.play(c, truthful)
		if c.st.failure != "The consent check could not start: The sandbox did not answer." {
			t.Fatalf("failure %q", c.st.failure)
		}
	})
}
