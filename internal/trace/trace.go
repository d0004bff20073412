package trace

import (
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
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

// Trace records a sign-in run step by step, then every token refresh and
// API call made by the session, for QA staff to see and attach to a bug.
// It is safe for concurrent use.
type Trace struct {
	mu       sync.Mutex
	meta     Meta
	started  time.Time
	steps    []Step
	calls    int // API call steps held
	dropped  int // API call steps dropped to stay within maxCalls
	access   string
	watchers map[int]func()
	nextID   int
	now      func() time.Time
}

// New starts a trace now.
func New(meta Meta) *Trace {
	t := &Trace{meta: meta, now: time.Now}
	t.started = t.now()
	return t
}

// Watch registers f, called from any goroutine after every new or updated
// step, until stop is called.
func (t *Trace) Watch(f func()) (stop func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.watchers == nil {
		t.watchers = map[int]func(){}
	}
	id := t.nextID
	t.nextID++
	t.watchers[id] = f
	return func() {
		t.mu.Lock()
		delete(t.watchers, id)
		t.mu.Unlock()
	}
}

// notifyLocked returns the watchers to call once the lock is released.
func (t *Trace) notifyLocked() []func() {
	fs := make([]func(), 0, len(t.watchers))
	for _, f := range t.watchers {
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
	if s.At.IsZero() {
		s.At = t.now()
	}
	s.OffsetMS = ms(s.At.Sub(t.started))
	if s.Kind == StepAPICall {
		if t.calls >= maxCalls {
			for i, old := range t.steps {
				if old.Kind == StepAPICall {
					t.steps = append(t.steps[:i], t.steps[i+1:]...)
					t.dropped++
					t.calls--
					break
				}
			}
		}
		t.calls++
	}
	t.steps = append(t.steps, s)
	i := len(t.steps) - 1
	fs := t.notifyLocked()
	t.mu.Unlock()
	for _, f := range fs {
		f()
	}
	return i
}

// update changes a recorded step found by its time and kind (indexes move
// when old calls are dropped).
func (t *Trace) update(at time.Time, kind StepKind, change func(*Step)) {
	t.mu.Lock()
	for i := len(t.steps) - 1; i >= 0; i-- {
		if t.steps[i].At.Equal(at) && t.steps[i].Kind == kind {
			change(&t.steps[i])
			break
		}
	}
	fs := t.notifyLocked()
	t.mu.Unlock()
	for _, f := range fs {
		f()
	}
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
		for _, k := range slices.Sorted(maps.Keys(q)) {
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
	t.add(s)
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

// Redact shows only the first and last four characters of a secret, enough
// to tell two tokens apart in a bug report but not to use one.
func Redact(v string) string {
	switch {
	case v == "":
		return ""
	case len(v) < 16:
		return "…(" + strconv.Itoa(len(v)) + " characters)"
	}
	return v[:4] + "…" + v[len(v)-4:]
}
