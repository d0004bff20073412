package trace

import (
	"errors"
	"testing"
)

// TestRunsKeepsEveryRunOfTheSession: a consent check signs in twice; both
// runs stay, numbered, the newest last, and watchers hear of each.
func TestRunsKeepsEveryRunOfTheSession(t *testing.T) {
	for _, tc := range []struct {
		name      string
		add       int
		wantKept  int
		wantFirst int // the number of the oldest run kept
	}{
		{"none", 0, 0, 0},
		{"a consent check", 2, 2, 1},
		{"a long day", maxRuns + 3, maxRuns, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r Runs
			heard := 0
			stop := r.Watch(func() { heard++ })
			var last *Trace
			for range tc.add {
				last = New(Meta{})
				last.BrowserAgain()(nil)
				r.Add(last)
			}
			stop()
			list := r.List()
			if len(list) != tc.wantKept || heard != tc.add || r.Dropped() != tc.add-tc.wantKept {
				t.Fatalf("kept %d, heard %d, dropped %d", len(list), heard, r.Dropped())
			}
			if tc.add == 0 {
				if r.Newest() != nil {
					t.Fatal("a newest run before any")
				}
				return
			}
			if r.Newest() != last || r.Number(last) != tc.add || r.Number(list[0]) != tc.wantFirst {
				t.Fatalf("newest is number %d, oldest number %d", r.Number(r.Newest()), r.Number(list[0]))
			}
			if r.Number(New(Meta{})) != 0 {
				t.Fatal("a run never added has a number")
			}
		})
	}
}

// TestRunsNumberSkipsEmptyRuns: a resume that found nothing stored records
// nothing; the sign-in after it is the person's Run 1.
func TestRunsNumberSkipsEmptyRuns(t *testing.T) {
	var r Runs
	resume, signIn, again := New(Meta{}), New(Meta{}), New(Meta{})
	for _, tr := range []*Trace{resume, signIn, again} {
		r.Add(tr)
	}
	signIn.BrowserAgain()(nil)
	for _, tc := range []struct {
		name string
		run  *Trace
		want int
	}{
		{"the sign-in", signIn, 1},
		{"the second, still starting", again, 2},
	} {
		if got := r.Number(tc.run); got != tc.want {
			t.Errorf("%s is run %d, want %d", tc.name, got, tc.want)
		}
	}
}

// TestTraceOutcome: a run names how it ended once it has, for the run list.
func TestTraceOutcome(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  func(*Trace)
		want string
	}{
		{"still signing in", func(t *Trace) { t.add(Step{Kind: StepAuthorize, Title: "Authorize URL"}) }, ""},
		{"signed in", func(t *Trace) { t.outcome("Signed in", nil) }, "Signed in"},
		{"failed, then calls", func(t *Trace) {
			t.outcome("Failed", errors.New("invalid_grant"))
			t.add(Step{Kind: StepAPICall, Title: "GET People"})
		}, "Failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := New(Meta{})
			if !tr.Empty() {
				t.Fatal("a new run is not empty")
			}
			tc.run(tr)
			if got := tr.Outcome(); got != tc.want || tr.Empty() {
				t.Fatalf("outcome %q, want %q (empty %v)", got, tc.want, tr.Empty())
			}
		})
	}
}
