package trace

import (
	"sync"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
)

// maxRuns bounds how many runs an app session keeps: enough for a day of
// consent checks, while an app left open for weeks stays small.
const maxRuns = 50

// Runs keeps the traces of this app session, oldest first, so QA can put
// the first and the second authorisation of a consent check side by side.
// It is safe for concurrent use.
type Runs struct {
	mu       sync.Mutex
	runs     []*Trace
	added    int
	watchers watchers
}

// Add keeps t as the newest run, leaving out the oldest beyond maxRuns.
func (r *Runs) Add(t *Trace) {
	r.mu.Lock()
	r.added++
	r.runs = append(r.runs, t)
	if len(r.runs) > maxRuns {
		r.runs = r.runs[1:]
	}
	fs := r.watchers.list()
	r.mu.Unlock()
	for _, f := range fs {
		f()
	}
}

// List is the runs kept, oldest first.
func (r *Runs) List() []*Trace {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*Trace(nil), r.runs...)
}

// Newest is the latest run, nil before the first.
func (r *Runs) Newest() *Trace {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.runs) == 0 {
		return nil
	}
	return r.runs[len(r.runs)-1]
}

// Number is t's number in this session (1 for the first run), 0 when t
// is not kept. Runs that recorded nothing (a resume that found no stored
// sign-in) are not counted: the person sees "Run 1" for their first
// sign-in, not "Run 2".
func (r *Runs) Number(t *Trace) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := r.added - len(r.runs) // dropped runs keep their numbers
	for _, k := range r.runs {
		if k == t {
			return n + 1
		}
		if !k.Empty() {
			n++
		}
	}
	return 0
}

// Dropped is how many early runs were left out to bound the session.
func (r *Runs) Dropped() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.added - len(r.runs)
}

// Watch registers f, called from any goroutine after every new run, until
// stop is called.
func (r *Runs) Watch(f func()) (stop func()) { return r.watchers.add(&r.mu, f) }

// Profile is the profile the run signed in with (no secrets), or nil.
func (t *Trace) Profile() *auth.Profile { return t.runMeta().Profile }

// Outcome is how the run ended ("Signed in", "Cancelled", "Failed"), or ""
// while it is still signing in.
func (t *Trace) Outcome() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i := len(t.steps) - 1; i >= 0; i-- {
		if t.steps[i].Kind == StepOutcome {
			return t.steps[i].Title
		}
	}
	return ""
}

// Empty says whether nothing was recorded in the run: a sign-in resumed
// from the keyring that found nothing stored has no steps to compare.
func (t *Trace) Empty() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.steps) == 0
}
