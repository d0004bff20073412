package e2e

import (
	"slices"
	"strings"
	"testing"
)

// TestStallFiguresAreMediansOfRuns: ui_max_stall_ms is the median of each
// run's longest wait, whichever phase it came in, and the budget goes by
// it; each phase's figure is the median of that phase over the runs.
func TestStallFiguresAreMediansOfRuns(t *testing.T) {
	run := func(signIn, export, besideSignIn, besideExport int) stallRun {
		return stallRun{phases: []string{"sign_in", "export_50k"},
			app:    map[string]int{"sign_in": signIn, "export_50k": export},
			beside: map[string]int{"sign_in": besideSignIn, "export_50k": besideExport}}
	}
	tests := []struct {
		name  string
		runs  []stallRun
		worst int
		want  []string
	}{
		{"one run over", []stallRun{run(92, 70, 27, 12)}, 92, []string{
			"figure ui_stall_sign_in_ms 92 runs=1 (each run: 92)",
			"figure ui_stall_export_50k_floor_beside_ms 12 runs=1 (the plain window repainted beside it; each run: 12)",
			"figure ui_max_stall_ms 92 runs=1 budget<=50 MISSED (each run's longest: 92 in sign_in)",
			"figure ui_max_stall_over_floor_beside_ms 65 runs=1 (the most any phase's longest stall exceeded the plain window's beside it; each run: 65)",
		}},
		{"two runs: their mean, as figures.Median", []stallRun{run(60, 40, 20, 10), run(40, 30, 20, 10)}, 50, []string{
			"figure ui_stall_sign_in_ms 50 runs=2 (each run: 60, 40)",
			"figure ui_max_stall_ms 50 runs=2 budget<=50 ok (each run's longest: 60 in sign_in, 40 in sign_in)",
		}},
		{"an outlier among three", []stallRun{run(92, 70, 27, 12), run(38, 45, 20, 10), run(30, 48, 15, 30)}, 48, []string{
			"figure ui_stall_sign_in_ms 38 runs=3 (each run: 92, 38, 30)",
			"figure ui_stall_export_50k_ms 48 runs=3 (each run: 70, 45, 48)",
			"figure ui_max_stall_ms 48 runs=3 budget<=50 ok (each run's longest: 92 in sign_in, 45 in export_50k, 48 in export_50k)",
			"figure ui_max_stall_over_floor_beside_ms 35 runs=3 (the most any phase's longest stall exceeded the plain window's beside it; each run: 65, 35, 18)",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, worst := stallFigures(tt.runs)
			if worst != tt.worst {
				t.Errorf("worst = %d, want %d", worst, tt.worst)
			}
			for _, w := range tt.want {
				if !slices.Contains(lines, w) {
					t.Errorf("no line %q in\n%s", w, strings.Join(lines, "\n"))
				}
			}
		})
	}
}
