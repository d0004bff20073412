package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/trace"
	"github.com/cezanne-hr-desktop/cezanne-desktop/ui"
)

// TestSaveTraceWritesEveryRun: --trace-out keeps the newest run where
// scripts look for it and every earlier run of the session beside it.
func TestSaveTraceWritesEveryRun(t *testing.T) {
	for _, tc := range []struct {
		name string
		runs int
		out  string
		want []string
	}{
		{"no sign-in", 0, "run.json", []string{"run.json"}},
		{"one run", 1, "run.md", []string{"run.md"}},
		{"a consent check", 3, "run.json", []string{"run-run1.json", "run-run2.json", "run.json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := ui.New(test.NewTempApp(t), ui.Options{})
			for range tc.runs {
				w.Traces().Add(trace.New(trace.Meta{App: "Cezanne HR Desktop"}))
			}
			dir := t.TempDir()
			saveTrace(w, filepath.Join(dir, tc.out), slog.New(slog.DiscardHandler))
			var got []string
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				got = append(got, e.Name())
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("wrote %q, want %q", got, tc.want)
			}
		})
	}
}
