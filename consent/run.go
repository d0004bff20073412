package consent

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/trace"
)

// Action is what the person chose for a run.
type Action int

const (
	// Continue starts the run (before it) or keeps its answer (after it).
	Continue Action = iota
	// Repeat runs the same step again; the earlier attempt is dropped
	// from the verdict but kept in the report's runs.
	Repeat
	// Skip records the run as skipped; it takes no part in the verdict.
	Skip
)

// Reply is the person's answer after a run.
type Reply struct {
	// ConsentShown answers Question: Yes (true) or No (false). It is read
	// only when Action is Continue.
	ConsentShown bool
	Action       Action
}

// Observation is what the app saw of one run, handed to the Guide so the
// screen can show it next to the question.
type Observation struct {
	Step    Step
	Outcome Outcome
	// Err is the sign-in's error for a failed run, in words.
	Err error
	// Sandbox is the sandbox's answer when an Oracle is set (nil without
	// one, or when it could not tell): a UI may show it as a hint.
	Sandbox *bool
	// Trace is the run's redacted trace (for the Flow trace tab).
	Trace *trace.Trace

	// gaveCode says the tenant answered with a code: consent is now
	// remembered, whatever became of the code.
	gaveCode bool
}

// Guide is the person, as the UI presents them. Both methods are called on
// the Runner's goroutine and may block until the person answers; they
// return ctx.Err() when the check is cancelled.
type Guide interface {
	// Before shows s.Before and waits for Continue or Skip (Repeat counts
	// as Continue here).
	Before(ctx context.Context, s Step) (Action, error)
	// Ask asks Question about the run just made (also after a failed or
	// denied run, so the person can repeat or skip it).
	Ask(ctx context.Context, o Observation) (Reply, error)
}

// Oracle is a tenant that can answer the question itself: a sandbox, read on
// loopback (see SandboxOracle).
type Oracle interface {
	// ClearConsents forgets every remembered consent of clientID, so that
	// the next run is a first authorisation.
	ClearConsents(ctx context.Context, clientID string) error
	// ConsentShown says whether the consent page was shown for the
	// authorize request that carried state, and whether it was denied there.
	ConsentShown(ctx context.Context, clientID, state string) (shown, denied bool, err error)
}

// Phase is where a run is, for the progress callback.
type Phase string

// The phases of a run, in order.
const (
	PhaseBefore   Phase = "before"   // waiting for the person's Continue
	PhaseClearing Phase = "clearing" // the app clears consents (sandbox)
	PhaseBrowser  Phase = "browser"  // the browser is open; waiting for the callback
	PhaseQuestion Phase = "question" // waiting for the answer
	PhaseDone     Phase = "done"     // the run's cell is recorded
	PhaseFinished Phase = "finished" // every run is done; the report is ready
)

// Progress is told to Runner.OnProgress as the check moves on.
type Progress struct {
	Step  Step
	Phase Phase
	// Done counts the steps finished (answered or skipped); Total is the
	// plan's length.
	Done, Total int
	// Cell is the step's recorded cell, at PhaseDone only.
	Cell *Cell
}

// Runner runs one consent check. Profile, ClientSecret and OpenBrowser are
// required, and a Guide or an Oracle (both: the person answers, the
// sandbox's answer is shown as a hint and consents are cleared by the app).
type Runner struct {
	// Profile is the browser profile under test; each run copies it with
	// its own auto_approve.
	Profile      *auth.Profile
	ClientSecret string
	// OpenBrowser opens the Authorize URL (the system browser, or a
	// sandbox Robot's Run for unattended checks).
	OpenBrowser func(url string) error
	// OnBrowser hears whether the browser opened (see auth.Options).
	OnBrowser func(err error)
	// SchemeInbox receives x-cez:// redirects (see auth.Options).
	SchemeInbox *auth.SchemeInbox
	// HTTPClient makes the token requests (default auth.NewHTTPClient()).
	HTTPClient *http.Client
	// Timeout bounds each run's wait for the browser (default 5 minutes).
	Timeout time.Duration

	Guide  Guide
	Oracle Oracle

	// OnProgress, when set, is called on the Runner's goroutine at every
	// phase; a UI hands it to fyne.Do.
	OnProgress func(Progress)
	// OnTrace, when set, is given each run's trace as the run starts, so
	// the UI can add it to the Flow trace's Run list.
	OnTrace func(*trace.Trace)

	// AppVersion and Now go into the report (Now defaults to time.Now).
	AppVersion string
	Now        func() time.Time

	// mu guards stopRun, the cancel of the run waiting for the browser.
	mu      sync.Mutex
	stopRun context.CancelFunc
}

// StopRun ends the wait for the browser of the run in progress (the person
// closed the browser, or gave up on the tenant's page): the run is recorded
// as failed and the Guide is asked about it as after any run, so it can be
// repeated or skipped. Without a run waiting it does nothing. Safe to call
// from any goroutine.
func (r *Runner) StopRun() {
	r.mu.Lock()
	stop := r.stopRun
	r.mu.Unlock()
	if stop != nil {
		stop()
	}
}

func (r *Runner) setStopRun(stop context.CancelFunc) {
	r.mu.Lock()
	r.stopRun = stop
	r.mu.Unlock()
}

// Run runs the plan one step at a time and returns the report. When ctx is
// cancelled it stops at once and returns the report of the steps done so
// far (Cancelled set) with auth.ErrCancelled. Any other error (a missing
// field, the Oracle failing) ends the check with the report so far.
func (r *Runner) Run(ctx context.Context) (*Report, error) {
	if err := r.check(); err != nil {
		return nil, err
	}
	plan := NewPlan(r.Oracle != nil)
	rep := r.newReport()
	rep.Planned = len(plan.Steps)
	c := &check{r: r, rep: rep, total: len(plan.Steps), consentGiven: map[AutoApprove]bool{}}
	for _, s := range plan.Steps {
		if err := c.step(ctx, s); err != nil {
			rep.Verdict = Decide(rep.Cells, c.flags)
			if ctx.Err() != nil {
				rep.Cancelled = true
				return rep, auth.ErrCancelled
			}
			return rep, err
		}
		c.done++
	}
	rep.Verdict = Decide(rep.Cells, c.flags)
	r.progress(Progress{Phase: PhaseFinished, Done: c.done, Total: c.total})
	return rep, nil
}
