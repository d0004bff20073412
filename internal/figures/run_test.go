package figures

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestRunShowsEveryFigure runs make bench's runner on steps that stand in
// for the figure tests: however the steps before ended, every figure is
// shown, then one summary line, and the run fails only when something
// missed (the old make bench stopped at the first failing step).
func TestRunShowsEveryFigure(t *testing.T) {
	okStep := Step{"ratios", `echo "figure first_page_ratio 1.05 runs=40 budget<=1.2 ok"; echo noise`}
	missStep := Step{"start", `echo "figure start_ratio 1.50 runs=7 budget<=1.3 MISSED"; echo "--- FAIL: TestFigureStart"; exit 1`}
	brokeStep := Step{"browse", `echo "figure browse_rss_mb - runs=0 not measured: no display"; exit 3`}
	infoStep := Step{"info", `echo "figure browse_rss_mb 177 runs=3"`}
	lateStep := Step{"export", `echo "figure export_rss_mb 23 runs=3 budget<150 ok"`}
	tests := []struct {
		name    string
		steps   []Step
		expect  []string
		ok      bool
		summary string
		shown   []string
	}{
		{"all within budget", []Step{okStep, lateStep}, []string{"first_page_ratio", "export_rss_mb"}, true,
			"bench: all 2 figures printed, all 2 budgets met", []string{"figure first_page_ratio", "figure export_rss_mb"}},
		{"a miss in the middle", []Step{okStep, missStep, lateStep}, []string{"first_page_ratio", "start_ratio", "export_rss_mb"}, false,
			"bench: MISSED start_ratio 1.50 (budget<=1.3)", []string{"figure first_page_ratio", "figure start_ratio", "--- FAIL: TestFigureStart", "figure export_rss_mb"}},
		{"a broken step and a figure nobody printed", []Step{brokeStep, lateStep}, []string{"browse_rss_mb", "export_rss_mb", "ui_max_stall_ms"}, false,
			"bench: not printed: ui_max_stall_ms; failed: browse (exit status 3)", []string{"figure browse_rss_mb -", "figure export_rss_mb"}},
		{"a later value replaces an earlier one", []Step{{"first", `echo "figure browse_rss_mb 150 runs=1"`}, infoStep}, []string{"browse_rss_mb"}, true,
			"bench: all 1 figures printed, all 0 budgets met", []string{"figure browse_rss_mb 150", "figure browse_rss_mb 177"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log, show bytes.Buffer
			res := Run(context.Background(), tt.steps, tt.expect, &log, &show)
			if res.OK() != tt.ok {
				t.Fatalf("OK() = %v, want %v: %s", res.OK(), tt.ok, res.Summary())
			}
			if !strings.HasPrefix(res.Summary(), tt.summary) {
				t.Fatalf("summary %q, want it to start %q", res.Summary(), tt.summary)
			}
			for _, want := range tt.shown {
				if !strings.Contains(show.String(), want) {
					t.Errorf("terminal output lacks %q:\n%s", want, show.String())
				}
			}
			if strings.Contains(show.String(), "noise") || tt.steps[0] == okStep && !strings.Contains(log.String(), "noise") {
				t.Errorf("other output belongs in the log only:\nshown %s\nlog %s", show.String(), log.String())
			}
			if last := res.Figures[len(res.Figures)-1]; tt.name == "a later value replaces an earlier one" && (len(res.Figures) != 1 || last.Value != 177) {
				t.Errorf("figures %+v, want browse_rss_mb 177 once", res.Figures)
			}
		})
	}
}

// TestRunNamesStepsThatFailWithoutAMiss: a step that fails but whose
// figures all met their budgets is named, so a broken measurement never
// passes for a good one.
func TestRunNamesStepsThatFailWithoutAMiss(t *testing.T) {
	steps := []Step{{"export", `echo "figure export_rss_mb 23 runs=3 budget<150 ok"; exit 1`}}
	res := Run(context.Background(), steps, []string{"export_rss_mb"}, &bytes.Buffer{}, &bytes.Buffer{})
	if res.OK() || res.Summary() != "bench: failed: export (exit status 1)" {
		t.Fatalf("summary %q", res.Summary())
	}
}
