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
// scripts look for it and every earlier run of the session that recorded
// anything beside it.
func TestSaveTraceWritesEveryRun(t *testing.T) {
	for _, tc := range []struct {
		name string
		runs []bool // whether each run recorded anything
		out  string
		want []string
	}{
		{"no sign-in", nil, "run.json", []string{"run.json"}},
		{"one run", []bool{true}, "run.md", []string{"run.md"}},
		{"a consent check", []bool{true, true, true}, "run.json", []string{"run-run1.json", "run-run2.json", "run.json"}},
		{"a resume that found nothing, then a sign-in", []bool{false, true}, "run.json", []string{"run.json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := ui.New(test.NewTempApp(t), ui.Options{})
			for _, recorded := range tc.runs {
				run := trace.New(trace.Meta{App: "Cezanne HR Desktop"})
				if recorded {
					run.BrowserAgain()(nil)
				}
				w.Traces().Add(run)
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
