package consent

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/trace"
)

// check is the state of one Runner.Run.
type check struct {
	r     *Runner
	rep   *Report
	flags []Flag
	total int
	done  int
	// consentGiven says, per auto_approve value, that the first run's
	// callback carried a code: the tenant remembers a consent, so the
	// next run is truly a second authorisation.
	consentGiven map[AutoApprove]bool
}

func (r *Runner) check() error {
	switch {
	case r.Profile == nil:
		return errors.New("the consent check needs a profile")
	case r.Profile.ServiceAccount():
		return errors.New("the consent check needs a browser profile: a service account never sees a consent page")
	case r.ClientSecret == "":
		return auth.ErrNoClientSecret
	case r.OpenBrowser == nil:
		return errors.New("the consent check needs a way to open the browser")
	case r.Guide == nil && r.Oracle == nil:
		return errors.New("the consent check needs a person to answer or a sandbox tenant to read")
	}
	return nil
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Runner) progress(p Progress) {
	if r.OnProgress != nil {
		r.OnProgress(p)
	}
}

func (r *Runner) newReport() *Report {
	return &Report{
		Format: Format, Tenant: r.Profile.Root(), ClientID: r.Profile.ClientID,
		Scopes: slices.Clone(r.Profile.Scopes), AppVersion: r.AppVersion, Date: r.now().UTC(),
		Sandbox: r.Oracle != nil, Cells: []Cell{},
	}
}

// step runs one planned step until it is answered, skipped or fails, and
// records its cell.
func (c *check) step(ctx context.Context, s Step) error {
	for attempt := 1; ; attempt++ {
		c.r.progress(Progress{Step: s, Phase: PhaseBefore, Done: c.done, Total: c.total})
		if c.r.Guide != nil {
			act, err := c.r.Guide.Before(ctx, s)
			if err != nil {
				return err
			}
			if act == Skip {
				c.record(RunRecord{Step: s, Attempt: attempt, Outcome: Skipped}, nil)
				return nil
			}
		}
		rec, obs, err := c.attempt(ctx, s, attempt)
		if err != nil {
			return err
		}
		reply, err := c.answer(ctx, obs)
		if err != nil {
			return err
		}
		switch reply.Action {
		case Repeat:
			rec.Repeated = true
			c.rep.Runs = append(c.rep.Runs, rec)
			continue
		case Skip:
			rec.Outcome, rec.ConsentShown, rec.AnsweredBy = Skipped, nil, ""
		default:
			rec.ConsentShown = &reply.ConsentShown
		}
		c.record(rec, &obs)
		return nil
	}
}

// answer gets the answer to Question: from the person when there is a
// Guide, else from the sandbox.
func (c *check) answer(ctx context.Context, o Observation) (Reply, error) {
	c.r.progress(Progress{Step: o.Step, Phase: PhaseQuestion, Done: c.done, Total: c.total})
	if c.r.Guide != nil {
		return c.r.Guide.Ask(ctx, o)
	}
	if o.Sandbox == nil {
		// Unattended, nobody can say what was shown: the run is kept in
		// the report with its error but takes no part in the verdict.
		return Reply{Action: Skip}, nil
	}
	return Reply{ConsentShown: *o.Sandbox, Action: Continue}, nil
}

// record adds the attempt to the report and its cell to the verdict's input.
func (c *check) record(rec RunRecord, o *Observation) {
	s := rec.Step
	c.rep.Runs = append(c.rep.Runs, rec)
	cell := Cell{
		Run: s.Number, AutoApprove: s.AutoApprove, Authorisation: s.Authorisation, Outcome: rec.Outcome,
		ConsentShown: rec.ConsentShown, Expected: map[Mode]bool{}, Error: rec.Error,
	}
	if rec.ConsentShown != nil {
		cell.AnsweredBy = rec.AnsweredBy
		if c.r.Guide != nil {
			cell.AnsweredBy = ByPerson
		}
	}
	for _, m := range Modes {
		cell.Expected[m] = Expected(m, s.AutoApprove, s.Authorisation)
	}
	cell.Counted = cell.ConsentShown != nil
	given := o != nil && o.gaveCode
	switch {
	case s.Authorisation == First:
		c.consentGiven[s.AutoApprove] = given && rec.Outcome != Skipped
	case cell.Counted && !c.consentGiven[s.AutoApprove]:
		cell.Counted = false
		cell.Note = "not counted: the first authorisation before it did not give consent (denied, skipped or failed), so this was not a second authorisation"
		c.flags = append(c.flags, Flag{Run: s.Number, Kind: FlagSecondAfterDenied, Detail: cell.Note})
	}
	if rec.Outcome == Denied && cell.Note == "" {
		cell.Note = "access was denied on the consent page"
	}
	c.rep.Cells = append(c.rep.Cells, cell)
	c.r.progress(Progress{Step: s, Phase: PhaseDone, Done: c.done + 1, Total: c.total, Cell: &cell})
}

// attempt makes one sign-in for step s and says what it saw. Only a
// cancelled check or a failing Oracle is an error: a sign-in that fails is
// an observation.
func (c *check) attempt(ctx context.Context, s Step, n int) (RunRecord, Observation, error) {
	r := c.r
	if s.ClearConsent && r.Oracle != nil {
		r.progress(Progress{Step: s, Phase: PhaseClearing, Done: c.done, Total: c.total})
		if err := r.Oracle.ClearConsents(ctx, r.Profile.ClientID); err != nil {
			return RunRecord{}, Observation{}, fmt.Errorf("could not clear the sandbox's consents: %w", err)
		}
	}
	p := *r.Profile
	p.Scopes = slices.Clone(r.Profile.Scopes)
	p.AutoApprove = string(s.AutoApprove)
	tr := trace.New(trace.Meta{App: "Cezanne HR Desktop (consent check)", Version: r.AppVersion, OS: runtime.GOOS + "/" + runtime.GOARCH, GoVersion: runtime.Version(), Profile: &p})
	if r.OnTrace != nil {
		r.OnTrace(tr)
	}
	seen := &sighting{}
	hooks := seen.wrap(tr.SignInHooks())
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	seen.stop = stop
	r.setStopRun(stop)
	defer r.setStopRun(nil)
	r.progress(Progress{Step: s, Phase: PhaseBrowser, Done: c.done, Total: c.total})
	_, err := auth.SignIn(runCtx, auth.Options{
		Profile: &p, ClientSecret: r.ClientSecret,
		// A memory store: the check's refresh tokens never replace the
		// person's stored sign-in, and are dropped with the run.
		Store: keyring.NewMemoryStore(), OpenBrowser: r.OpenBrowser, OnBrowser: r.OnBrowser,
		SchemeInbox: r.SchemeInbox, HTTPClient: r.HTTPClient, Timeout: r.Timeout, Trace: hooks,
		OnAttempt: func(a *auth.Attempt) { seen.setState(a.State) },
	})
	if ctx.Err() != nil {
		return RunRecord{}, Observation{}, ctx.Err()
	}
	rec := RunRecord{Step: s, Attempt: n, Outcome: Granted}
	obs := Observation{Step: s, Outcome: Granted, Trace: tr, gaveCode: seen.gaveCode()}
	if err != nil {
		failed(&rec, &obs, err, seen)
	}
	c.flags = append(c.flags, runFlags(s.Number, seen, tr.Steps())...)
	if r.Oracle != nil && seen.state() != "" {
		c.askSandbox(ctx, &rec, &obs, seen.state())
	}
	rec.Steps = tr.Steps()
	return rec, obs, nil
}

// failed records why a sign-in failed: a denied consent, a lost state, a
// run stopped by the person, or the sign-in's own error.
func failed(rec *RunRecord, obs *Observation, err error, seen *sighting) {
	rec.Outcome, rec.Error, obs.Err = Failed, err.Error(), err
	if ae := (*auth.AuthorizeError)(nil); errors.As(err, &ae) && ae.Code == "access_denied" {
		rec.Outcome = Denied
	}
	switch why := seen.stateProblem(); {
	case why != "":
		rec.Error = why
		obs.Err = errors.New(why)
	case errors.Is(err, auth.ErrCancelled):
		rec.Error = "stopped before the tenant answered"
		obs.Err = errors.New(rec.Error)
	}
	obs.Outcome = rec.Outcome
}

// askSandbox reads the sandbox's decision on the run's authorize request.
func (c *check) askSandbox(ctx context.Context, rec *RunRecord, obs *Observation, state string) {
	shown, denied, err := c.r.Oracle.ConsentShown(ctx, c.r.Profile.ClientID, state)
	if err != nil {
		if rec.Error == "" {
			rec.Error = "the sandbox could not say whether the consent page was shown: " + err.Error()
		}
		return
	}
	obs.Sandbox = &shown
	rec.AnsweredBy = BySandbox
	if denied {
		rec.Outcome, obs.Outcome = Denied, Denied
	}
}

// runFlags lists what the run's token response and callbacks show that is
// worth a look, whichever mode the tenant is in.
func runFlags(run int, seen *sighting, steps []trace.Step) []Flag {
	var out []Flag
	if why := seen.stateProblem(); why != "" {
		out = append(out, Flag{Run: run, Kind: FlagStateNotEchoed, Detail: why})
	}
	for _, st := range steps {
		if st.Kind != trace.StepTokenResponse || st.Error != "" || st.Status/100 != 2 || strings.HasPrefix(st.Title, "Refresh") {
			continue
		}
		if !hasField(st, "refresh_token") {
			out = append(out, Flag{Run: run, Kind: FlagNoRefreshToken, Detail: "the token response had no refresh_token: the app cannot stay signed in"})
		}
		if !hasField(st, "expires_in") {
			out = append(out, Flag{Run: run, Kind: FlagNoExpiresIn, Detail: "the token response had no expires_in: the app cannot tell when the access token ends"})
		}
		out = append(out, scopeFlags(run, st)...)
	}
	return out
}

func scopeFlags(run int, st trace.Step) []Flag {
	var parts []string
	if v := st.Field("scope not granted"); v != "" {
		parts = append(parts, "requested but not granted: "+v)
	}
	if v := st.Field("scope granted beyond request"); v != "" {
		parts = append(parts, "granted beyond the request: "+v)
	}
	if len(parts) == 0 {
		return nil
	}
	return []Flag{{Run: run, Kind: FlagScopesDiffer, Detail: "the scopes granted differ from those requested (" + strings.Join(parts, "; ") + ")"}}
}

func hasField(st trace.Step, name string) bool {
	return slices.ContainsFunc(st.Fields, func(f trace.Field) bool { return f.Name == name })
}

// sighting is what the check itself notes of a run's callbacks, beside the
// trace: the state sent, and whether the tenant echoed it.
type sighting struct {
	mu      sync.Mutex
	sent    string
	code    bool
	problem string
	stop    func()
}

func (g *sighting) setState(s string) {
	g.mu.Lock()
	g.sent = s
	g.mu.Unlock()
}

func (g *sighting) state() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.sent
}

func (g *sighting) gaveCode() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.code
}

func (g *sighting) stateProblem() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.problem
}

// wrap adds the check's own look at each callback to the trace's hooks.
func (g *sighting) wrap(h *auth.SignInTrace) *auth.SignInTrace {
	next := h.CallbackReceived
	h.CallbackReceived = func(info auth.CallbackInfo) {
		if next != nil {
			next(info)
		}
		g.callback(info)
	}
	return h
}

// callback notes a code, and a tenant answer that lost the state: auth
// rightly ignores such an answer and would wait for the browser until its
// timeout, so the run is ended at once and the reason kept.
func (g *sighting) callback(info auth.CallbackInfo) {
	answer := info.Query.Has("code") || info.Query.Has("error")
	g.mu.Lock()
	defer g.mu.Unlock()
	if info.Query.Get("code") != "" && (info.Accepted || !info.StateMatched) {
		g.code = true
	}
	if !answer || info.StateMatched || g.problem != "" {
		return
	}
	got := info.Query.Get("state")
	if got == "" {
		g.problem = "Cezanne's answer on the redirect URI did not echo the state the app sent, so the app cannot tell it from a forged one"
	} else {
		g.problem = fmt.Sprintf("Cezanne's answer on the redirect URI carried another state than the one the app sent (%d characters instead of %d)", len(got), len(g.sent))
	}
	if g.stop != nil {
		g.stop()
	}
}
