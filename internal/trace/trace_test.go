package trace

import (
	"bytes"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
)

// TestRedact: a redacted value shows at most two characters at each end,
// and nothing at all of a value too short for four characters to be a
// small part of it.
func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"short", "(redacted, 5 chars)"},
		{"0123456789abcdef", "(redacted, 16 chars)"},
		{"0123456789abcdefghijklm", "(redacted, 23 chars)"},
		{"0123456789abcdefghijklmn", "01…mn"},
		{"eyJhbGciOiJSUzI1NiJ9.payload.signature", "ey…re"},
		{"ééééééééééééééééééééééééé", "éé…éé"},
	}
	for _, tt := range tests {
		if got := Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTraceKeepsAtMostMaxCalls: API calls and token refreshes together
// are bounded, oldest dropped first, however long the session runs; the
// sign-in's own steps (its token request and response too) stay.
func TestTraceKeepsAtMostMaxCalls(t *testing.T) {
	signIn := []Step{{Kind: StepAuthorize, Title: "Authorize URL"},
		{Kind: StepTokenRequest, Title: "Token request (authorization_code)"}, {Kind: StepTokenResponse, Title: "Token response"}}
	call := Step{Kind: StepAPICall, Title: "GET People"}
	refresh := []Step{{Kind: StepTokenRequest, Title: "Refresh: token request"}, {Kind: StepTokenResponse, Title: "Refresh: token response"}}
	for _, tc := range []struct {
		name  string
		after func(tr *Trace) // what the session adds after the sign-in
	}{
		{"API calls", func(tr *Trace) {
			for i := 0; i < maxCalls+50; i++ {
				tr.add(call)
			}
		}},
		// A session left open refreshes for ever: 3-second tokens in the
		// soak, hourly ones for weeks.
		{"refreshes", func(tr *Trace) {
			for i := 0; i < (maxCalls+50)/2; i++ {
				tr.add(refresh[0])
				tr.add(refresh[1])
			}
		}},
		{"both", func(tr *Trace) {
			for i := 0; i < (maxCalls+50)/2; i++ {
				tr.add(call)
				tr.add(refresh[i%2])
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := New(Meta{})
			for _, s := range signIn {
				tr.add(s)
			}
			tc.after(tr)
			steps := tr.Steps()
			if len(steps) != maxCalls+len(signIn) || tr.Dropped() != 50 {
				t.Fatalf("%d steps, dropped %d; want %d, 50", len(steps), tr.Dropped(), maxCalls+len(signIn))
			}
			for i, s := range signIn {
				if steps[i].Kind != s.Kind || steps[i].Title != s.Title {
					t.Errorf("step %d is %s %q, want the sign-in's %s %q", i, steps[i].Kind, steps[i].Title, s.Kind, s.Title)
				}
			}
		})
	}
}

// TestForgedCallbacksAreBounded: a local process hammering the redirect
// URI with big forged answers must not grow the trace without end. The
// first maxCallbacks are kept, the rest only counted in one step, and
// every value is cut to a bounded size. The answer the sign-in accepted is
// always kept, however many forgeries came first.
func TestForgedCallbacksAreBounded(t *testing.T) {
	big := strings.Repeat("A", 30<<10)
	tests := []struct {
		name      string
		forged    int
		wantKept  int
		wantCount string // the summary step's count; "" when there is none
	}{
		{"few", 3, 4, ""},
		{"exactly the cap", maxCallbacks, maxCallbacks + 1, ""},
		{"one more", maxCallbacks + 1, maxCallbacks + 1, "1"},
		{"2,000 of 30 KiB", 2000, maxCallbacks + 1, "1980"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := New(Meta{})
			for i := 0; i < tt.forged; i++ {
				q := url.Values{"code": {big}, "state": {"forged"}, "junk": {big}, "error_description": {big}}
				for j := 0; j < 50; j++ {
					q.Set("p"+strings.Repeat("x", j), "v")
				}
				tr.callbackStep(auth.CallbackInfo{Via: "the loopback redirect", Query: q})
			}
			tr.callbackStep(auth.CallbackInfo{Via: "the loopback redirect", Query: url.Values{"code": {"c"}, "state": {"s"}}, StateMatched: true, Accepted: true})
			tr.outcome("Signed in", nil)
			kept, summary := 0, Step{}
			for _, s := range tr.Steps() {
				switch s.Kind {
				case StepCallback:
					kept++
					wantStepBounded(t, s)
				case StepCallbacksSkipped:
					summary = s
				}
			}
			if last := tr.Steps()[len(tr.Steps())-2]; last.Kind != StepCallback || last.Field("state matched") != "yes" {
				t.Errorf("the accepted answer was not kept: %+v", last)
			}
			if kept != tt.wantKept || summary.Field("not recorded") != tt.wantCount {
				t.Fatalf("kept %d callbacks, summary %+v; want %d kept, %q counted", kept, summary, tt.wantKept, tt.wantCount)
			}
			var js bytes.Buffer
			if err := tr.WriteJSON(&js); err != nil {
				t.Fatal(err)
			}
			if js.Len() > (maxCallbacks+2)*maxStepBytes*2 {
				t.Fatalf("JSON export of %d bytes", js.Len())
			}
		})
	}
}

// wantStepBounded fails unless every recorded text of s is within bounds.
func wantStepBounded(t *testing.T, s Step) {
	t.Helper()
	total := len(s.Title) + len(s.URL) + len(s.Error) + len(s.Curl)
	for _, f := range s.Fields {
		if len(f.Value) > maxFieldBytes+64 || len(f.Name) > maxNameBytes+64 {
			t.Fatalf("field %.20q holds %d bytes", f.Name, len(f.Value))
		}
		total += len(f.Name) + len(f.Value) + len(f.Note)
	}
	if total > maxStepBytes+1024 {
		t.Fatalf("step %q holds %d bytes", s.Title, total)
	}
}

// TestBoundText: a cut value says it was cut and by how much, and never
// splits a character.
func TestBoundText(t *testing.T) {
	tests := []struct {
		name, in string
		max      int
		want     string
	}{
		{"short kept", "abc", 10, "abc"},
		{"at the limit kept", "abcdefghij", 10, "abcdefghij"},
		{"cut", strings.Repeat("a", 20), 10, "aaaaaaaaaa… (20 bytes, cut)"},
		{"never splits a character", "aaaaaaaaaé" + strings.Repeat("b", 10), 10, "aaaaaaaaa… (21 bytes, cut)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := boundText(tt.in, tt.max)
			if got != tt.want || !utf8.ValidString(got) {
				t.Errorf("boundText = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestStepsAreBounded: whatever a step is given, what the trace keeps of it
// is bounded: each field, the number of fields, the URL, the error.
func TestStepsAreBounded(t *testing.T) {
	huge := strings.Repeat("x", 1<<20)
	many := make([]Field, 5000)
	for i := range many {
		many[i] = Field{Name: "f", Value: strings.Repeat("v", 500)}
	}
	tests := []struct {
		name string
		step Step
	}{
		{"huge field", Step{Kind: StepTokenInfo, Fields: []Field{{Name: huge, Value: huge, Note: huge}}}},
		{"many fields", Step{Kind: StepTokenInfo, Fields: many}},
		{"huge URL, error and curl", Step{Kind: StepAPICall, Title: huge, URL: "https://h/" + huge, Error: huge, Curl: huge}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := New(Meta{})
			tr.add(tt.step)
			steps := tr.Steps()
			if len(steps) != 1 {
				t.Fatalf("%d steps", len(steps))
			}
			wantStepBounded(t, steps[0])
		})
	}
}

// FuzzRedact: a redacted value never shows more than two characters at
// each end, nothing of a short one, and never the value itself.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{"", "short", "0123456789abcdefghijklmn", "ééééééééééééééééééééééééé", "\xff\xfe\xfd" + strings.Repeat("a", 30)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		got := Redact(v)
		n := utf8.RuneCountInString(v)
		switch {
		case v == "":
			if got != "" {
				t.Fatalf("Redact(\"\") = %q", got)
			}
		case n < redactMinLen:
			if got != "(redacted, "+strconv.Itoa(n)+" chars)" {
				t.Fatalf("Redact(%q) = %q, want only its length", v, got)
			}
		default:
			head, tail, ok := strings.Cut(got, "…")
			if !ok || utf8.RuneCountInString(head) > 2 || utf8.RuneCountInString(tail) > 2 || !strings.HasPrefix(v, head) || !strings.HasSuffix(v, tail) {
				t.Fatalf("Redact(%q) = %q", v, got)
			}
		}
	})
}
