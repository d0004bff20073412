package trace

import (
	"testing"
)

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"short", "…(5 characters)"},
		{"0123456789abcde", "…(15 characters)"},
		{"0123456789abcdef", "0123…cdef"},
		{"eyJhbGciOiJSUzI1NiJ9.payload.signature", "eyJh…ture"},
	}
	for _, tt := range tests {
		if got := Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTraceKeepsAtMostMaxCalls(t *testing.T) {
	tr := New(Meta{})
	tr.add(Step{Kind: StepAuthorize, Title: "Authorize URL"})
	for i := 0; i < maxCalls+50; i++ {
		tr.add(Step{Kind: StepAPICall, Title: "GET People"})
	}
	steps := tr.Steps()
	if len(steps) != maxCalls+1 || steps[0].Kind != StepAuthorize || tr.Dropped() != 50 {
		t.Fatalf("%d steps, first %s, dropped %d", len(steps), steps[0].Kind, tr.Dropped())
	}
}
