package trace

import (
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/textcut"
)

// StepKind names what a trace step records.
type StepKind string

// The steps of a sign-in, in the order they happen, then the calls after it.
const (
	StepAuthorize     StepKind = "authorize_url"
	StepBrowser       StepKind = "browser_opened"
	StepCallback      StepKind = "callback"
	StepTokenRequest  StepKind = "token_request"
	StepTokenResponse StepKind = "token_response"
	StepTokenInfo     StepKind = "tokeninfo"
	StepAPICall       StepKind = "api_call"
	StepOutcome       StepKind = "outcome"
	// StepCallbacksSkipped counts the answers on the redirect URI beyond
	// the first maxCallbacks, which are not recorded one by one.
	StepCallbacksSkipped StepKind = "callbacks_skipped"
)

// Field is one name and value of a step, already redacted when secret.
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	// Note qualifies the value: "redacted", "extra" (a field Cezanne's docs
	// do not name), "not granted", ...
	Note string `json:"note,omitempty"`
}

// Step is one thing that happened during a run. Nothing in a step is secret:
// tokens, codes and client secrets are redacted when the step is recorded.
type Step struct {
	Kind  StepKind  `json:"kind"`
	Title string    `json:"title"`
	At    time.Time `json:"at"`
	// OffsetMS is when the step happened, from the start of the run.
	OffsetMS   float64 `json:"offset_ms"`
	DurationMS float64 `json:"duration_ms,omitempty"`
	Method     string  `json:"method,omitempty"`
	URL        string  `json:"url,omitempty"`
	Status     int     `json:"status,omitempty"`
	Size       int64   `json:"size,omitempty"`
	Fields     []Field `json:"fields,omitempty"`
	Error      string  `json:"error,omitempty"`
	// Curl repeats the request with curl, secrets as shell variables.
	Curl string `json:"curl,omitempty"`
}

// Field returns the value of a named field ("" when absent).
func (s Step) Field(name string) string {
	for _, f := range s.Fields {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

// Meta describes the run for a bug report. Profile holds no secrets.
type Meta struct {
	App       string        `json:"app"`
	Version   string        `json:"version"`
	OS        string        `json:"os"`
	GoVersion string        `json:"go_version"`
	Profile   *auth.Profile `json:"profile,omitempty"`
}

// maxCalls bounds how many API calls a trace keeps: an app left open
// all day must not grow without end. The sign-in steps are always kept.
const maxCalls = 2000

// Bounds on what a trace keeps. Anything on this computer can send
// answers to the redirect URI, and a server chooses its own fields, so
// neither may make the trace (the app's memory, the exported file) grow
// without end: a real sign-in has one or two callbacks and short values.
const (
	maxCallbacks  = 20       // callback steps kept one by one; the rest are counted
	maxFieldBytes = 2 << 10  // a field's value, a step's error
	maxNameBytes  = 128      // a field's name or note, a step's title
	maxURLBytes   = 4 << 10  // a step's URL
	maxCurlBytes  = 8 << 10  // a step's curl command
	maxStepBytes  = 32 << 10 // all of one step
)

// Trace records a sign-in run step by step, then every token refresh and
// API call made by the session, for QA staff to see and attach to a bug.
// It is safe for concurrent use.
type Trace struct {
	mu      sync.Mutex
	meta    Meta
	started time.Time
	steps   []Step
	calls   int // API call and refresh steps held (bounded)
	dropped int // API call and refresh steps dropped to stay within maxCalls
	// callbacks and skipped count the callback steps kept and those only
	// counted, to stay within maxCallbacks.
	callbacks int
	skipped   int
	access    string
	watchers  watchers
	now       func() time.Time
}

// New starts a trace now.
func New(meta Meta) *Trace {
	t := &Trace{meta: meta, now: time.Now}
	t.started = t.now()
	return t
}

// Watch registers f, called from any goroutine after every new or updated
// step, until stop is called.
func (t *Trace) Watch(f func()) (stop func()) { return t.watchers.add(&t.mu, f) }

// notifyLocked returns the watchers to call once the lock is released.
func (t *Trace) notifyLocked() []func() { return t.watchers.list() }

// watchers are the functions a Trace or Runs calls after a change; the
// owner's mutex guards them.
type watchers struct {
	fs     map[int]func()
	nextID int
}

// add registers f, taking mu, and returns the function that removes it.
func (w *watchers) add(mu *sync.Mutex, f func()) (stop func()) {
	mu.Lock()
	defer mu.Unlock()
	if w.fs == nil {
		w.fs = map[int]func(){}
	}
	id := w.nextID
	w.nextID++
	w.fs[id] = f
	return func() {
		mu.Lock()
		delete(w.fs, id)
		mu.Unlock()
	}
}

// list is the functions to call once mu is released; call it with mu held.
func (w *watchers) list() []func() {
	fs := make([]func(), 0, len(w.fs))
	for _, f := range w.fs {
		fs = append(fs, f)
	}
	return fs
}

// runMeta is the run's description.
func (t *Trace) runMeta() Meta {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.meta
}

// Started is when the run began.
func (t *Trace) Started() time.Time { return t.started }

// Steps is a copy of the steps so far.
func (t *Trace) Steps() []Step {
	if t == nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Step, len(t.steps))
	copy(out, t.steps)
	return out
}

// Dropped is how many early API calls were left out to bound the trace.
func (t *Trace) Dropped() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.dropped
}

// RevealAccessToken returns the latest access token in full. It exists for
// the UI's explicit "reveal" only; no export or log ever contains it.
func (t *Trace) RevealAccessToken() string {
	if t == nil {
		return ""
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.access
}

// add appends a step, stamping its time, and returns its index for update.
func (t *Trace) add(s Step) int {
	if t == nil {
		return -1
	}
	t.mu.Lock()
	i := t.appendLocked(s)
	fs := t.notifyLocked()
	t.mu.Unlock()
	for _, f := range fs {
		f()
	}
	return i
}

// appendLocked stamps s, bounds it, and appends it, dropping the oldest API
// call or refresh step once maxCalls are held.
func (t *Trace) appendLocked(s Step) int {
	if s.At.IsZero() {
		s.At = t.now()
	}
	s.OffsetMS = ms(s.At.Sub(t.started))
	if bounded(s) {
		if t.calls >= maxCalls {
			for i, old := range t.steps {
				if bounded(old) {
					t.steps = append(t.steps[:i], t.steps[i+1:]...)
					t.dropped++
					t.calls--
					break
				}
			}
		}
		t.calls++
	}
	bound(&s)
	t.steps = append(t.steps, s)
	return len(t.steps) - 1
}

// bounded says whether a step counts against maxCalls: an API call, or a
// token refresh's request or response. A session refreshes for as long as
// the app stays open, and those steps used to be kept like the sign-in's:
// without end (the soak's 3-second tokens added 320 in 10 minutes; hourly
// tokens add 336 a week). The sign-in's own steps are still always kept.
func bounded(s Step) bool {
	refresh := (s.Kind == StepTokenRequest || s.Kind == StepTokenResponse) && strings.HasPrefix(s.Title, refreshTitle)
	return s.Kind == StepAPICall || refresh
}

// addCallback records an answer on the redirect URI while fewer than
// maxCallbacks are held, and only counts it after that. The answer the
// sign-in accepted is always recorded: there is at most one per run, and
// it is the one QA needs.
func (t *Trace) addCallback(s Step, accepted bool) {
	t.mu.Lock()
	switch {
	case accepted || t.callbacks < maxCallbacks:
		t.callbacks++
		t.appendLocked(s)
	default:
		t.skipped++
		t.countSkippedLocked()
	}
	fs := t.notifyLocked()
	t.mu.Unlock()
	for _, f := range fs {
		f()
	}
}

// countSkippedLocked keeps the one step that counts the callbacks not
// recorded up to date, adding it for the first.
func (t *Trace) countSkippedLocked() {
	n := strconv.Itoa(t.skipped)
	title := n + " more answers on the redirect URI, not recorded"
	if t.skipped == 1 {
		title = "1 more answer on the redirect URI, not recorded"
	}
	for i := len(t.steps) - 1; i >= 0; i-- {
		if t.steps[i].Kind == StepCallbacksSkipped {
			t.steps[i].Title, t.steps[i].Fields[0].Value = title, n
			return
		}
	}
	t.appendLocked(Step{Kind: StepCallbacksSkipped, Title: title,
		Fields: []Field{{Name: "not recorded", Value: n, Note: "only the first " + strconv.Itoa(maxCallbacks) + " are kept"}},
		Error:  "ignored: too many answers reached the redirect URI; something on this computer may be sending them"})
}

// update changes a recorded step found by its time and kind (indexes move
// when old calls are dropped).
func (t *Trace) update(at time.Time, kind StepKind, change func(*Step)) {
	t.mu.Lock()
	for i := len(t.steps) - 1; i >= 0; i-- {
		if t.steps[i].At.Equal(at) && t.steps[i].Kind == kind {
			change(&t.steps[i])
			bound(&t.steps[i])
			break
		}
	}
	fs := t.notifyLocked()
	t.mu.Unlock()
	for _, f := range fs {
		f()
	}
}

// bound cuts every text of s to its limit and, once the step holds
// maxStepBytes, leaves out the remaining fields, saying how many. Secrets
// are redacted before a step gets here, so a cut never shows more of one.
func bound(s *Step) {
	s.Title = boundText(s.Title, maxNameBytes)
	s.URL = boundText(s.URL, maxURLBytes)
	s.Error = boundText(s.Error, maxFieldBytes)
	s.Curl = boundText(s.Curl, maxCurlBytes)
	budget := maxStepBytes - len(s.Title) - len(s.URL) - len(s.Error) - len(s.Curl)
	for i := range s.Fields {
		f := &s.Fields[i]
		f.Name, f.Value, f.Note = boundText(f.Name, maxNameBytes), boundText(f.Value, maxFieldBytes), boundText(f.Note, maxNameBytes)
		budget -= len(f.Name) + len(f.Value) + len(f.Note)
		if budget < 0 {
			left := len(s.Fields) - i
			s.Fields = append(s.Fields[:i:i], Field{Name: "more fields", Value: strconv.Itoa(left), Note: "not recorded"})
			return
		}
	}
}

// boundText cuts s to at most max bytes, on a character boundary, and says
// how long it was.
func boundText(s string, max int) string {
	if len(s) <= max {
		return s
	}
	return textcut.Cut(s, max, "… ("+strconv.Itoa(len(s))+" bytes, cut)")
}

func (t *Trace) setAccessToken(v string) {
	t.mu.Lock()
	t.access = v
	t.mu.Unlock()
}

// outcome records how the run ended: signed in, or the error shown.
func (t *Trace) outcome(title string, err error) {
	s := Step{Kind: StepOutcome, Title: title}
	if err != nil {
		s.Error = err.Error()
	}
	t.add(s)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// authorizeStep lists the Authorize URL's parameters; none is secret (the
// PKCE challenge is public by design), so the URL can be copied whole.
func (t *Trace) authorizeStep(authURL string, custom bool) {
	s := Step{Kind: StepAuthorize, Title: "Authorize URL", Method: "GET", URL: authURL}
	if u, err := url.Parse(authURL); err == nil {
		q := u.Query()
		keys := slices.Collect(maps.Keys(q))
		if !q.Has("auto_approve") {
			// An omitted auto_approve is a choice a consent check tests
			// (the tenant then shows its consent page): named, not absent.
			keys = append(keys, "auto_approve")
		}
		slices.Sort(keys)
		for _, k := range keys {
			if !q.Has(k) {
				s.Fields = append(s.Fields, Field{Name: k, Value: "(omitted)", Note: "not sent"})
				continue
			}
			f := Field{Name: k, Value: strings.Join(q[k], " ")}
			if k == "state" && custom {
				f.Note = "custom"
			}
			s.Fields = append(s.Fields, f)
		}
	}
	t.add(s)
}

// callbackStep records an answer reaching the redirect URI: whether its
// state matched and what it carried, the code redacted.
func (t *Trace) callbackStep(info auth.CallbackInfo) {
	q := info.Query
	s := Step{Kind: StepCallback, Title: "Callback received on " + info.Via}
	s.Fields = append([]Field{{Name: "state matched", Value: yesNo(info.StateMatched)}}, paramFields(q)...)
	switch {
	case !info.StateMatched:
		s.Error = "ignored: the state does not belong to this sign-in"
	case q.Get("error") != "":
		s.Error = q.Get("error")
		if d := q.Get("error_description"); d != "" {
			s.Error += ": " + d
		}
	case !info.Accepted:
		s.Error = "ignored: an answer was already received"
	}
	t.addCallback(s, info.Accepted)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// secretField is a name and value for the trace, the value redacted when
// the name is a credential's.
func secretField(name, value string) Field {
	if secretParam(name) {
		return Field{Name: name, Value: Redact(value), Note: "redacted"}
	}
	return Field{Name: name, Value: value}
}

// paramFields lists form or query parameters, sorted, credentials redacted.
func paramFields(q url.Values) []Field {
	var fields []Field
	for _, k := range slices.Sorted(maps.Keys(q)) {
		fields = append(fields, secretField(k, strings.Join(q[k], " ")))
	}
	return fields
}

// secretParam names the parameters whose values are credentials.
func secretParam(name string) bool {
	switch strings.ToLower(name) {
	case "code", "access_token", "refresh_token", "id_token", "client_secret", "code_verifier",
		"password", "assertion", "token", "client_assertion":
		return true
	}
	return false
}

// redactMinLen is the shortest secret of which anything is shown: two
// characters at each end are then at most a sixth of it, enough to tell
// two tokens apart in a bug report but not to guess one.
const redactMinLen = 24

// Redact shows at most the first and last two characters of a secret, and
// only its length when it is shorter than redactMinLen characters.
func Redact(v string) string {
	n := utf8.RuneCountInString(v)
	switch {
	case v == "":
		return ""
	case n < redactMinLen:
		return "(redacted, " + strconv.Itoa(n) + " chars)"
	}
	head, tail := 0, len(v)
	for range 2 {
		_, size := utf8.DecodeRuneInString(v[head:])
		head += size
		_, size = utf8.DecodeLastRuneInString(v[:tail])
		tail -= size
	}
	return v[:head] + "…" + v[tail:]
}
