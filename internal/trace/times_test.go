package trace

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestDuration: how long a step took reads as a person would say it.
func TestDuration(t *testing.T) {
	for _, tc := range []struct {
		ms   float64
		want string
	}{
		{0, "0 ms"},
		{320.4, "320 ms"},
		{999.4, "999 ms"},
		{4210, "4.2 s"},
		{105493, "1 min 45 s"},
		{3_725_000, "1 h 2 min"},
	} {
		if got := Duration(tc.ms); got != tc.want {
			t.Errorf("Duration(%v) = %q, want %q", tc.ms, got, tc.want)
		}
	}
}

// TestClock: a step's time is a clock time, to the millisecond.
func TestClock(t *testing.T) {
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 12, 1, 10, 41, 3, 512_000_000, time.UTC), "10:41:03.512"},
		{time.Date(2026, 12, 1, 23, 0, 0, 0, time.UTC), "23:00:00.000"},
	} {
		if got := Clock(tc.at); got != tc.want {
			t.Errorf("Clock(%v) = %q, want %q", tc.at, got, tc.want)
		}
	}
}

// TestBrowserAgain: every "Open the browser again" is a step of its own,
// with how long opening took, or why it failed.
func TestBrowserAgain(t *testing.T) {
	for _, tc := range []struct {
		name      string
		errs      []error
		wantTitle []string
	}{
		{"once", []error{nil}, []string{"Browser opened again"}},
		{"twice, the second failing", []error{nil, errors.New("xdg-open: no method")},
			[]string{"Browser opened again", "Browser could not be opened again"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := New(Meta{})
			now := tr.started
			tr.now = func() time.Time { now = now.Add(150 * time.Millisecond); return now }
			for _, err := range tc.errs {
				tr.BrowserAgain()(err)
			}
			steps := tr.Steps()
			if len(steps) != len(tc.wantTitle) {
				t.Fatalf("%d steps", len(steps))
			}
			for i, s := range steps {
				if s.Kind != StepBrowser || s.Title != tc.wantTitle[i] || s.DurationMS != 150 || (s.Error != "") != (tc.errs[i] != nil) {
					t.Fatalf("step %d: %+v", i, s)
				}
			}
		})
	}
	var none *Trace
	none.BrowserAgain()(nil)
}

// TestAuthorizeStepAutoApprove: a consent check compares runs with and
// without auto_approve; the Authorize step says when it was not sent.
func TestAuthorizeStepAutoApprove(t *testing.T) {
	base := "https://w3.cezanneondemand.com/CezanneOnDemand/OAuth/Authorize?client_id=c&response_type=code&state=s"
	for _, tc := range []struct {
		name, url, want, note string
	}{
		{"omitted", base, "(omitted)", "not sent"},
		{"true", base + "&auto_approve=true", "true", ""},
		{"false", base + "&auto_approve=false", "false", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := New(Meta{})
			tr.authorizeStep(tc.url, false)
			s := tr.Steps()[0]
			var names []string
			for _, f := range s.Fields {
				names = append(names, f.Name)
				if f.Name == "auto_approve" && (f.Value != tc.want || f.Note != tc.note) {
					t.Fatalf("auto_approve shows %q (%q), want %q (%q)", f.Value, f.Note, tc.want, tc.note)
				}
			}
			if s.Field("auto_approve") == "" {
				t.Fatalf("no auto_approve field in %v", names)
			}
			if !slices.IsSorted(names) {
				t.Fatalf("fields out of order: %v", names)
			}
		})
	}
}

// TestMarkdownTimes: the exported steps table shows clock times, the time
// since the start and how long each step took in words, not raw offsets.
func TestMarkdownTimes(t *testing.T) {
	tr := New(Meta{})
	start := time.Date(2026, 12, 1, 10, 40, 0, 0, time.Local)
	tr.started = start
	for _, tc := range []struct {
		after, took time.Duration
		want        string
	}{
		{52 * time.Second, 0, "| 10:40:52.000 | 52.0 s |  |"},
		{105493 * time.Millisecond, 320 * time.Millisecond, "| 10:41:45.493 | 1 min 45 s | 320 ms |"},
	} {
		tr.add(Step{Kind: StepAPICall, Title: "GET People", At: start.Add(tc.after), DurationMS: ms(tc.took)})
		var b strings.Builder
		if err := tr.WriteMarkdown(&b); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), tc.want) || strings.Contains(b.String(), "105493") {
			t.Fatalf("Markdown lacks %q:\n%s", tc.want, b.String())
		}
	}
}
