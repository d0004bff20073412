package textcut

import (
	"testing"
	"unicode/utf8"
)

func TestCut(t *testing.T) {
	tests := []struct {
		name, s string
		n       int
		want    string
	}{
		{"short enough", "abc", 3, "abc"},
		{"empty", "", 0, ""},
		{"cut", "abcdef", 3, "abc…"},
		{"never inside a character", "aé", 2, "a…"}, // é is 2 bytes: a cut at 2 would split it
		{"at a character's start", "éa", 2, "é…"},
		{"nothing fits", "é", 1, "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Cut(tt.s, tt.n, "…")
			if got != tt.want {
				t.Errorf("Cut(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
			}
			if !utf8.ValidString(got) {
				t.Errorf("Cut(%q, %d) = %q is not valid UTF-8", tt.s, tt.n, got)
			}
		})
	}
}
