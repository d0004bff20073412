package figures

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
)

func TestFigureLineRoundTrip(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name   string
		fig    Figure
		line   string
		missed bool
	}{
		{"within an at-most budget", Figure{Name: "start_ratio", Value: 1.3, Decimals: 2, Runs: 7, Budget: AtMost(1.3)},
			"figure start_ratio 1.30 runs=7 budget<=1.3 ok", false},
		{"over it", Figure{Name: "start_ratio", Value: 1.31, Decimals: 2, Runs: 7, Budget: AtMost(1.3)},
			"figure start_ratio 1.31 runs=7 budget<=1.3 MISSED", true},
		{"a strict budget reached is missed", Figure{Name: "crawl_concurrent_ratio", Value: 1, Decimals: 2, Runs: 5, Budget: Below(1)},
			"figure crawl_concurrent_ratio 1.00 runs=5 budget<1 MISSED", true},
		{"under a strict budget", Figure{Name: "crawl_concurrent_ratio", Value: 0.7, Decimals: 2, Runs: 5, Budget: Below(1)},
			"figure crawl_concurrent_ratio 0.70 runs=5 budget<1 ok", false},
		{"no budget never misses", Figure{Name: "browse_rss_mb", Value: 177, Runs: 3},
			"figure browse_rss_mb 177 runs=3", false},
		{"not measured with a budget misses", Figure{Name: "ui_max_stall_ms", Value: nan, Runs: 0, Budget: AtMost(50), Note: "not measured: no heartbeat"},
			"figure ui_max_stall_ms - runs=0 budget<=50 MISSED not measured: no heartbeat", true},
		{"negative differences print", Figure{Name: "idle_cpu_over_empty_window_pct", Value: -0.25, Decimals: 2, Runs: 3, Budget: AtMost(0.5)},
			"figure idle_cpu_over_empty_window_pct -0.25 runs=3 budget<=0.5 ok", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.fig.String(); got != tt.line {
				t.Fatalf("line %q, want %q", got, tt.line)
			}
			if tt.fig.Missed() != tt.missed {
				t.Fatalf("missed %v, want %v", tt.fig.Missed(), tt.missed)
			}
			back, ok := Parse(tt.line)
			if !ok {
				t.Fatalf("Parse(%q) refused it", tt.line)
			}
			if back.String() != tt.line || back.Missed() != tt.missed {
				t.Fatalf("read back as %q (missed %v)", back.String(), back.Missed())
			}
		})
	}
}

func TestParseIgnoresOtherLines(t *testing.T) {
	for _, line := range []string{
		"", "=== RUN   TestFigureRatios", "figure", "figure x", "figure x 1", "figure x abc runs=1",
		"figure x 1 runs=many", "    figures_test.go:12: figure x 1 runs=1", "figure x 1 runs=1 budget<=abc ok",
	} {
		if f, ok := Parse(line); ok {
			t.Errorf("Parse(%q) = %+v, want no figure", line, f)
		}
	}
	// The verdict is recomputed from the value: a line cannot claim "ok".
	f, ok := Parse("figure start_ratio 2.00 runs=3 budget<=1.3 ok")
	if !ok || !f.Missed() {
		t.Fatalf("a value over budget labelled ok read as %+v (missed %v)", f, f.Missed())
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		in   []float64
		want float64
	}{
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{10, 1, 1, 1, 10}, 1},
	}
	for _, tt := range tests {
		in := append([]float64(nil), tt.in...)
		if got := Median(tt.in); got != tt.want {
			t.Errorf("Median(%v) = %v, want %v", tt.in, got, tt.want)
		}
		if fmt.Sprint(in) != fmt.Sprint(tt.in) {
			t.Errorf("Median reordered its input: %v", tt.in)
		}
	}
	if !math.IsNaN(Median(nil)) {
		t.Error("the median of nothing must be NaN, not a number that could meet a budget")
	}
}

func TestRuns(t *testing.T) {
	tests := []struct {
		env  string
		def  int
		want int
	}{
		{"", 7, 7}, {"2", 7, 2}, {"0", 7, 7}, {"-1", 7, 7}, {"x", 3, 3},
	}
	for _, tt := range tests {
		t.Setenv("CEZANNE_FIGURE_RUNS", tt.env)
		if got := Runs(tt.def); got != tt.want {
			t.Errorf("CEZANNE_FIGURE_RUNS=%q: Runs(%d) = %d, want %d", tt.env, tt.def, got, tt.want)
		}
	}
}

// fakeTB records what Check reports.
type fakeTB struct {
	failed bool
	errors []string
}

func (f *fakeTB) Helper()      {}
func (f *fakeTB) Failed() bool { return f.failed }
func (f *fakeTB) Errorf(format string, args ...any) {
	f.failed = true
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

func TestReporterPrintsEveryFigure(t *testing.T) {
	specs := []Spec{
		{Name: "start_ratio", Decimals: 2, Budget: AtMost(1.3)},
		{Name: "resume_to_people_over_start_ms", Budget: AtMost(400)},
		{Name: "start_app_first_frame_ms"},
	}
	tests := []struct {
		name      string
		failFirst bool
		add       map[string]float64
		lines     []string
		errors    int
	}{
		{"all measured, one over budget", false,
			map[string]float64{"start_ratio": 1.5, "resume_to_people_over_start_ms": 120, "start_app_first_frame_ms": 900},
			[]string{"figure start_ratio 1.50 runs=3 budget<=1.3 MISSED", "figure resume_to_people_over_start_ms 120 runs=3 budget<=400 ok",
				"figure start_app_first_frame_ms 900 runs=3"}, 1},
		{"the test broke after the first figure", true,
			map[string]float64{"start_ratio": 1.1},
			[]string{"figure start_ratio 1.10 runs=3 budget<=1.3 ok",
				"figure resume_to_people_over_start_ms - runs=0 budget<=400 MISSED not measured: the test failed first (see its log)",
				"figure start_app_first_frame_ms - runs=0 not measured: the test failed first (see its log)"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			r := NewReporter(&out, specs...)
			for _, s := range specs {
				if v, ok := tt.add[s.Name]; ok {
					r.Add(s.Name, v, 3)
				}
			}
			tb := &fakeTB{failed: tt.failFirst}
			r.Check(tb)
			if got := strings.Split(strings.TrimSpace(out.String()), "\n"); strings.Join(got, "\n") != strings.Join(tt.lines, "\n") {
				t.Fatalf("printed\n%s\nwant\n%s", out.String(), strings.Join(tt.lines, "\n"))
			}
			if len(tb.errors) != tt.errors {
				t.Fatalf("errors %q, want %d", tb.errors, tt.errors)
			}
		})
	}
}

func TestReporterRefusesUndeclaredFigures(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("an undeclared figure was printed without a budget")
		}
	}()
	NewReporter(&bytes.Buffer{}, Spec{Name: "a"}).Add("b", 1, 1)
}
