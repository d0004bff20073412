package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"fyne.io/fyne/v2"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/consent"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/trace"
)

// This file is the consent check's controller: what the check screen shows
// and what its buttons do. It holds state and no widgets; the screen
// (consent_view.go) renders consentState. Its methods run on the UI
// goroutine, except the consent.Guide methods, which the check's runner
// calls on its own goroutine and which wait there for the person.

// consentScreen is the check's screen, as the controller sees it.
type consentScreen interface {
	render(st *consentState)
}

// consentDeps are what a consent check needs from the app.
type consentDeps struct {
	// do runs f on the UI goroutine.
	do func(f func())
	// goFn runs the check's runner. It must be a goroutine of its own:
	// the runner waits in the Guide for the person.
	goFn  func(f func())
	state func(name string, args ...any)
	// credentials resolves the profile to check and its client secret
	// (the demo tenant is started here).
	credentials func(ctx context.Context, p *auth.Profile, typedSecret string) (*auth.Profile, string, error)
	// setUp completes the runner for the profile: an Oracle when the
	// tenant is a sandbox, and for the demo tenant the browser that plays
	// the person. It runs in the background: it may ask the tenant.
	setUp func(ctx context.Context, p *auth.Profile, r *consent.Runner) (unattended bool, err error)
	// openBrowser opens the system browser; the runner's browser unless
	// setUp replaced it.
	openBrowser func(url string) error
	schemeInbox *auth.SchemeInbox
	// onTrace adds a run's trace to the Flow trace's runs.
	onTrace func(*trace.Trace)
	// noSecret returns to the form to ask for the client secret, which
	// neither the form, the environment nor the keyring had.
	noSecret   func(err error)
	appVersion string
	now        func() time.Time
}

// consentRow is one planned run as the screen lists it.
type consentRow struct {
	step   consent.Step
	status string
	tone   tone
	// done: the run is answered, skipped or recorded.
	done bool
	// attempts counts the times the run was made.
	attempts int
}

// consentState is what the check screen shows.
type consentState struct {
	profile *auth.Profile // as the form gave it, nil before credentials
	// unattended: a sandbox answers, and plays the person (the demo).
	unattended bool
	// sandbox: a sandbox tenant answers too; its answer is shown as a hint.
	sandbox bool
	rows    []consentRow
	current int // the row of the run in progress, -1 for none
	phase   consent.Phase
	// instruction is what to do now, in words.
	instruction string
	// outcome is what the run just made saw (before the question).
	outcome     string
	outcomeTone tone
	// hint is the sandbox's answer to the question, when it has one.
	hint string
	// authURL is the run's Authorize URL, for "Open the browser again".
	authURL string
	// browserNote says the browser could not be opened, and why.
	browserNote string
	report      *consent.Report
	// failure says why the check could not run or finish.
	failure string
	// saved says where the report was saved, or why it was not.
	saved     string
	savedTone tone
	started   time.Time
	took      time.Duration
}

// waiting reports whether the runner waits for the person's answer.
func (s *consentState) waiting() bool {
	return s.phase == consent.PhaseBefore || s.phase == consent.PhaseQuestion
}

// finished reports whether the check has ended, with a report or without.
func (s *consentState) finished() bool { return s.report != nil || s.failure != "" }

// consentAnswer is what the person pressed: Continue, Skip, Repeat, and
// for the question Yes or No.
type consentAnswer struct {
	action consent.Action
	shown  bool
}

// consentCheck is one consent check in the window.
type consentCheck struct {
	deps   consentDeps
	screen consentScreen
	st     consentState
	// answers carries one answer to the runner waiting in the Guide; it
	// holds one, so pressing a button never blocks the UI goroutine.
	answers chan consentAnswer
	cancel  context.CancelFunc
	// runner is the check's runner once it is set up (for Stop this run);
	// set and read on the UI goroutine.
	runner *consent.Runner
}

// newConsentCheck makes the check of p; start runs it.
func newConsentCheck(deps consentDeps, screen consentScreen) *consentCheck {
	if deps.now == nil {
		deps.now = time.Now
	}
	return &consentCheck{deps: deps, screen: screen, answers: make(chan consentAnswer, 1), st: consentState{current: -1}}
}

// start resolves the profile's credentials and runs the check in the
// background; the screen follows it.
func (c *consentCheck) start(p *auth.Profile, typedSecret string) {
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	c.st.profile = p
	c.st.started = c.deps.now()
	c.st.instruction = "Getting ready: reading the profile's client secret."
	if p.Demo {
		c.st.instruction = "Starting the demo tenant."
	}
	c.render()
	c.deps.state("consent-check-started", "profile", p.Name)
	c.deps.goFn(func() { c.run(ctx, p, typedSecret) })
}

// run is the check, on its own goroutine.
func (c *consentCheck) run(ctx context.Context, p *auth.Profile, typedSecret string) {
	prof, secret, err := c.deps.credentials(ctx, p, typedSecret)
	if err != nil {
		c.deps.do(func() { c.failed(err) })
		return
	}
	r := &consent.Runner{
		Profile: prof, ClientSecret: secret, SchemeInbox: c.deps.schemeInbox, Guide: c,
		AppVersion: c.deps.appVersion, Now: c.deps.now, OnTrace: c.deps.onTrace,
		OpenBrowser: c.deps.openBrowser,
	}
	unattended, err := c.deps.setUp(ctx, prof, r)
	if err != nil {
		c.deps.do(func() { c.failed(err) })
		return
	}
	if unattended {
		r.Guide = nil
	}
	// The screen offers the link again, so the browser is wrapped to
	// remember it; whether it opened is said on the screen.
	open := r.OpenBrowser
	r.OpenBrowser = func(u string) error {
		c.deps.do(func() { c.st.authURL, c.st.browserNote = u, ""; c.render() })
		return open(u)
	}
	r.OnBrowser = func(err error) { c.deps.do(func() { c.browserOpened(err) }) }
	r.OnProgress = func(pr consent.Progress) { c.deps.do(func() { c.progress(pr) }) }
	plan := consent.NewPlan(r.Oracle != nil)
	c.deps.do(func() {
		c.runner = r
		c.planned(prof, plan, unattended, r.Oracle != nil)
	})
	rep, err := r.Run(ctx)
	c.deps.do(func() { c.done(rep, err) })
}

// planned shows the runs to come.
func (c *consentCheck) planned(p *auth.Profile, plan consent.Plan, unattended, sandbox bool) {
	c.st.profile, c.st.unattended, c.st.sandbox = p, unattended, sandbox
	c.st.rows = c.st.rows[:0]
	for _, s := range plan.Steps {
		c.st.rows = append(c.st.rows, consentRow{step: s, status: "to do", tone: toneInfo})
	}
	c.st.instruction = ""
	if unattended {
		c.st.instruction = "The demo tenant answers for you: the app clears its consents, signs in as " +
			"hrprof@sandbox.cezannehr.com and reads from the tenant whether it showed the consent page."
	}
	c.render()
	c.deps.state("consent-check-planned", "runs", len(plan.Steps), "unattended", unattended)
}

// row is the row of step s.
func (c *consentCheck) row(s consent.Step) *consentRow {
	for i := range c.st.rows {
		if c.st.rows[i].step.Number == s.Number {
			c.st.current = i
			return &c.st.rows[i]
		}
	}
	return nil
}

// progress follows the runner from phase to phase.
func (c *consentCheck) progress(p consent.Progress) {
	r := c.row(p.Step)
	if r == nil {
		return
	}
	switch p.Phase {
	case consent.PhaseClearing:
		r.status, r.tone = "clearing consent", toneInfo
		c.st.instruction = "Clearing this application's remembered consent on the sandbox tenant."
	case consent.PhaseBrowser:
		r.attempts++
		r.status, r.tone = "in the browser", toneInfo
		c.st.authURL, c.st.browserNote, c.st.outcome, c.st.hint = "", "", "", ""
		c.st.instruction = "Your browser opens on Cezanne: sign in there and allow (or deny) access. " +
			"The app carries on as soon as the browser hands back the answer."
		if c.st.unattended {
			c.st.instruction = "The demo tenant's robot signs in for you."
		}
	case consent.PhaseDone:
		if p.Cell != nil {
			r.status, r.tone = cellStatus(*p.Cell)
		}
		r.done = true
	}
	// Only the Guide's own calls wait for the person (Before, Ask): an
	// unattended run passes these phases without stopping.
	if p.Phase != consent.PhaseQuestion && p.Phase != consent.PhaseBefore {
		c.st.phase = p.Phase
		c.render()
	}
	c.deps.state("consent-check-progress", "run", p.Step.Number, "phase", p.Phase, "done", p.Done, "total", p.Total)
}

// cellStatus is a run's recorded cell in words, and its tone.
func cellStatus(cell consent.Cell) (string, tone) {
	switch {
	case cell.Outcome == consent.Skipped:
		return "skipped", toneWarning
	case cell.Outcome == consent.Failed:
		return "failed: " + cell.Error, toneError
	case cell.ConsentShown == nil:
		return "not answered", toneWarning
	case !cell.Counted:
		// e.g. a second run after a first one that gave no consent
		return consentShownText(*cell.ConsentShown) + " (not counted)", toneWarning
	case cell.Outcome == consent.Denied:
		return "shown; access denied", toneWarning
	default:
		return consentShownText(*cell.ConsentShown), toneInfo
	}
}

// Before is the Guide's wait for Continue before a run.
func (c *consentCheck) Before(ctx context.Context, s consent.Step) (consent.Action, error) {
	c.deps.do(func() {
		r := c.row(s)
		if r != nil {
			r.status, r.tone = "next", toneInfo
		}
		c.st.phase, c.st.instruction, c.st.outcome, c.st.hint = consent.PhaseBefore, s.Before, "", ""
		c.render()
		c.deps.state("consent-check-before", "run", s.Number)
	})
	a, err := c.wait(ctx)
	return a.action, err
}

// Ask is the Guide's question after a run.
func (c *consentCheck) Ask(ctx context.Context, o consent.Observation) (consent.Reply, error) {
	c.deps.do(func() {
		c.row(o.Step)
		c.st.phase, c.st.instruction = consent.PhaseQuestion, consent.Question
		c.st.outcome, c.st.outcomeTone = observationText(o)
		c.st.hint = ""
		if o.Sandbox != nil {
			c.st.hint = "The sandbox tenant's log says it did not show the consent page."
			if *o.Sandbox {
				c.st.hint = "The sandbox tenant's log says it showed the consent page."
			}
		}
		c.render()
		c.deps.state("consent-check-question", "run", o.Step.Number, "outcome", o.Outcome)
	})
	a, err := c.wait(ctx)
	return consent.Reply{ConsentShown: a.shown, Action: a.action}, err
}

// observationText is what a run saw, in words for the person.
func observationText(o consent.Observation) (string, tone) {
	switch o.Outcome {
	case consent.Granted:
		return "Signed in: Cezanne granted access.", toneDone
	case consent.Denied:
		return "Access was denied on the consent page; the run is recorded as denied.", toneWarning
	default:
		msg := "The sign-in did not complete."
		if o.Err != nil {
			msg = "The sign-in did not complete: " + errorText(o.Err)
		}
		return msg + " Repeat the run, or skip it.", toneError
	}
}

// wait waits for the person's answer, or for the check to be cancelled.
func (c *consentCheck) wait(ctx context.Context) (consentAnswer, error) {
	select {
	case a := <-c.answers:
		return a, nil
	case <-ctx.Done():
		return consentAnswer{}, ctx.Err()
	}
}

// answer hands the person's answer to the runner, once: the screen leaves
// the waiting phase at once, so a second press sends nothing.
func (c *consentCheck) answer(a consentAnswer) {
	if !c.st.waiting() {
		return
	}
	asked := c.st.phase
	c.st.phase = consent.PhaseBrowser
	if r := c.currentRow(); r != nil {
		c.answered(r, asked, a)
	}
	select {
	case c.answers <- a:
	default: // never expected: waiting() admits one answer per question
	}
	c.render()
}

// answered shows the answer on the run's row until the runner says more.
func (c *consentCheck) answered(r *consentRow, asked consent.Phase, a consentAnswer) {
	switch {
	case a.action == consent.Skip:
		r.status, r.tone, r.done = "skipped", toneWarning, true
		c.st.phase = consent.PhaseDone
	case a.action == consent.Repeat:
		r.status, r.tone = "repeating", toneInfo
	case asked == consent.PhaseQuestion:
		r.status, r.tone, r.done = consentShownText(a.shown), toneInfo, true
		c.st.phase = consent.PhaseDone
	}
	c.deps.state("consent-check-answer", "run", r.step.Number, "action", a.action, "shown", a.shown)
}

func (c *consentCheck) currentRow() *consentRow {
	if c.st.current < 0 || c.st.current >= len(c.st.rows) {
		return nil
	}
	return &c.st.rows[c.st.current]
}

// The screen's buttons.
func (c *consentCheck) proceed() { c.answer(consentAnswer{action: consent.Continue}) }
func (c *consentCheck) skip()    { c.answer(consentAnswer{action: consent.Skip}) }
func (c *consentCheck) repeat()  { c.answer(consentAnswer{action: consent.Repeat}) }
func (c *consentCheck) reply(shown bool) {
	c.answer(consentAnswer{action: consent.Continue, shown: shown})
}

// stopRun is "Stop this run": the browser will not answer (closed, or
// stuck on the tenant's page); the run is recorded as failed and the
// question comes, so it can be repeated or skipped.
func (c *consentCheck) stopRun() {
	if c.runner != nil && c.st.phase == consent.PhaseBrowser {
		c.runner.StopRun()
		c.deps.state("consent-check-run-stopped")
	}
}

// stop is Cancel: the runner ends the run in progress and the check ends
// with what was observed so far.
func (c *consentCheck) stop() {
	if c.cancel != nil {
		c.cancel()
	}
	c.deps.state("consent-check-cancelled")
}

// browserOpened says on the screen when the browser could not be opened;
// the run keeps waiting for the link to be opened by hand.
func (c *consentCheck) browserOpened(err error) {
	if err != nil {
		c.st.browserNote = "The browser could not be opened (" + errorText(err) + "). Copy the sign-in link and open it in a browser: the app is still waiting."
	}
	c.render()
}

// done shows the verdict, or why the check ended without one.
func (c *consentCheck) done(rep *consent.Report, err error) {
	c.st.took = c.deps.now().Sub(c.st.started)
	c.st.phase = consent.PhaseFinished
	c.st.current = -1
	c.st.instruction, c.st.outcome, c.st.hint, c.st.browserNote = "", "", "", ""
	switch {
	case rep != nil:
		c.st.report = rep
		for i := range c.st.rows {
			for _, cell := range rep.Cells {
				if cell.Run == c.st.rows[i].step.Number {
					c.st.rows[i].status, c.st.rows[i].tone = cellStatus(cell)
					c.st.rows[i].done = true
				}
			}
		}
		if rep.Cancelled {
			c.st.instruction = "The check was cancelled: the verdict covers the runs made before."
		}
	case errors.Is(err, auth.ErrCancelled), errors.Is(err, context.Canceled):
		c.st.failure = "The consent check was cancelled."
	case err != nil:
		c.st.failure = "The consent check could not finish: " + errorText(err)
	}
	c.render()
	if rep != nil {
		c.deps.state("consent-check-verdict", "matches", fmt.Sprint(rep.Verdict.Matches), "summary", rep.Verdict.Summary,
			"took_ms", c.st.took.Milliseconds())
	}
}

// failed ends a check that could not start; a missing client secret is
// asked for on the form, as signing in does.
func (c *consentCheck) failed(err error) {
	if errors.Is(err, auth.ErrNoClientSecret) && c.deps.noSecret != nil {
		c.deps.state("consent-check-failed", "err", err)
		c.deps.noSecret(err)
		return
	}
	c.st.phase = consent.PhaseFinished
	c.st.failure = "The consent check could not start: " + errorText(err)
	c.render()
	c.deps.state("consent-check-failed", "err", err)
}

// consentFormats are the report's formats, as the Save buttons name them,
// with their file extension and writer.
var consentFormats = []struct {
	name, ext string
	key       fyne.KeyName // its key on the check screen
	write     func(r *consent.Report, w io.Writer) error
}{
	{"HTML", ".html", fyne.KeyH, (*consent.Report).WriteHTML},
	{"Markdown", ".md", fyne.KeyM, (*consent.Report).WriteMarkdown},
	{"JSON", ".json", fyne.KeyJ, (*consent.Report).WriteJSON},
}

// reportName is the file name the Save dialog offers for ext.
func (c *consentCheck) reportName(ext string) string {
	name := "consent-check"
	if c.st.profile != nil {
		name += "-" + safeFileName(c.st.profile.Name)
	}
	return name + "-" + c.st.started.Format("20060102-150405") + ext
}

// saved says on the screen where the report went.
func (c *consentCheck) saved(path string, err error) {
	if err != nil {
		c.st.saved, c.st.savedTone = "Could not save the report: "+errorText(err), toneError
	} else {
		c.st.saved, c.st.savedTone = "Report saved to "+path, toneDone
		c.deps.state("consent-report-saved", "path", path)
	}
	c.render()
}

func (c *consentCheck) render() { c.screen.render(&c.st) }

// consentSetUp completes a check's runner for p's tenant. A sandbox on this
// computer answers the question itself and clears consents between runs:
// for the demo tenant it also plays the person, so the whole check runs
// unattended; for a `cezanne-desktop sandbox` tenant the person still
// answers, with the sandbox's answer shown as a hint. Any other tenant
// needs the person alone.
func consentSetUp(ctx context.Context, p *auth.Profile, r *consent.Runner) (unattended bool, err error) {
	o, err := consent.NewSandboxOracle(ctx, p, nil)
	switch {
	case errors.Is(err, consent.ErrNotSandbox) && !p.Demo:
		return false, nil
	case err != nil:
		return false, err
	}
	r.Oracle = o
	if p.Demo {
		r.OpenBrowser = o.Browser(r.SchemeInbox, r.Timeout)
		return true, nil
	}
	return false, nil
}
