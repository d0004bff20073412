// Package figures writes and reads the "figure" lines that make bench
// prints, one per measured figure, so that the tests that measure (in data,
// ui and e2e) and the runner that sums them up (benchrun) agree on one
// format:
//
//	figure <name> <value> runs=<n> [budget<=<limit>|budget<<limit> ok|MISSED] [note]
//
// A figure without a budget is shown for information and never misses. A
// figure that could not be measured has the value "-" and, when it has a
// budget, counts as missed: a budget nobody checked is not met.
package figures

import (
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Budget is the limit a figure must stay within. The zero Budget is none.
type Budget struct {
	Limit  float64
	Strict bool // the value must be below Limit, not merely at most
	set    bool
}

// AtMost is a budget the value may reach but not pass (≤ limit).
func AtMost(limit float64) Budget { return Budget{Limit: limit, set: true} }

// Below is a budget the value must stay under (< limit).
func Below(limit float64) Budget { return Budget{Limit: limit, Strict: true, set: true} }

// None is no budget: the figure is shown for information.
var None = Budget{}

// Set reports whether there is a budget at all.
func (b Budget) Set() bool { return b.set }

// Met reports whether v is within the budget; any value meets None.
func (b Budget) Met(v float64) bool {
	switch {
	case !b.set:
		return true
	case math.IsNaN(v):
		return false
	case b.Strict:
		return v < b.Limit
	default:
		return v <= b.Limit
	}
}

func (b Budget) String() string {
	if !b.set {
		return ""
	}
	op := "<="
	if b.Strict {
		op = "<"
	}
	return "budget" + op + strconv.FormatFloat(b.Limit, 'f', -1, 64)
}

// Figure is one measured value and how it was measured.
type Figure struct {
	Name     string
	Value    float64 // NaN when not measured
	Decimals int     // digits printed after the point
	Runs     int     // how many measurements Value is the median of
	Budget   Budget
	Note     string // why it was not measured, or nothing
}

// Measured reports whether the figure has a value.
func (f Figure) Measured() bool { return !math.IsNaN(f.Value) }

// Missed reports whether the figure has a budget it does not meet (or no
// value to meet it with).
func (f Figure) Missed() bool { return f.Budget.Set() && !f.Budget.Met(f.Value) }

// String is the figure's line, without a newline.
func (f Figure) String() string {
	value := "-"
	if f.Measured() {
		value = strconv.FormatFloat(f.Value, 'f', f.Decimals, 64)
	}
	parts := []string{"figure", f.Name, value, "runs=" + strconv.Itoa(f.Runs)}
	if f.Budget.Set() {
		verdict := "ok"
		if f.Missed() {
			verdict = "MISSED"
		}
		parts = append(parts, f.Budget.String(), verdict)
	}
	if f.Note != "" {
		parts = append(parts, f.Note)
	}
	return strings.Join(parts, " ")
}

// Parse reads a figure line as String writes it. ok is false for any other
// line, so a whole test log can be fed to it line by line.
func Parse(line string) (f Figure, ok bool) {
	fields := strings.Fields(line)
	if len(fields) < 4 || fields[0] != "figure" || !strings.HasPrefix(fields[3], "runs=") {
		return Figure{}, false
	}
	f.Name = fields[1]
	f.Value = math.NaN()
	if fields[2] != "-" {
		v, err := strconv.ParseFloat(fields[2], 64)
		if err != nil {
			return Figure{}, false
		}
		f.Value = v
		if i := strings.IndexByte(fields[2], '.'); i >= 0 {
			f.Decimals = len(fields[2]) - i - 1
		}
	}
	runs, err := strconv.Atoi(strings.TrimPrefix(fields[3], "runs="))
	if err != nil {
		return Figure{}, false
	}
	f.Runs = runs
	rest := fields[4:]
	if len(rest) >= 2 && strings.HasPrefix(rest[0], "budget<") {
		b, err := parseBudget(rest[0])
		if err != nil {
			return Figure{}, false
		}
		f.Budget = b
		rest = rest[2:] // the verdict is recomputed from the value, never trusted
	}
	f.Note = strings.Join(rest, " ")
	return f, true
}

func parseBudget(s string) (Budget, error) {
	s = strings.TrimPrefix(s, "budget")
	strict := !strings.HasPrefix(s, "<=")
	limit, err := strconv.ParseFloat(strings.TrimLeft(s, "<="), 64)
	if err != nil {
		return Budget{}, fmt.Errorf("budget %q: %w", s, err)
	}
	if strict {
		return Below(limit), nil
	}
	return AtMost(limit), nil
}

// Median is the middle value of xs (the mean of the two middle ones for an
// even count); NaN when xs is empty. xs is not reordered.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Runs is how many runs a figure takes: CEZANNE_FIGURE_RUNS when it is set
// to a positive number (a quick check of the machinery on a busy machine
// uses 1 or 2), otherwise def.
func Runs(def int) int {
	if n, err := strconv.Atoi(os.Getenv("CEZANNE_FIGURE_RUNS")); err == nil && n > 0 {
		return n
	}
	return def
}

// Spec declares a figure a test will measure, before measuring it.
type Spec struct {
	Name     string
	Decimals int
	Budget   Budget
}

// Reporter prints a test's figures as they are measured and, at the end,
// a "not measured" line for each declared figure that never got a value
// (the test failed before it): make bench then shows every figure even
// when a measurement breaks.
type Reporter struct {
	mu      sync.Mutex
	w       io.Writer
	specs   []Spec
	printed map[string]Figure
}

// NewReporter declares the figures a test measures; lines go to w
// (os.Stdout in the tests, where go test -v passes them through).
func NewReporter(w io.Writer, specs ...Spec) *Reporter {
	return &Reporter{w: w, specs: specs, printed: map[string]Figure{}}
}

// Add prints a declared figure's value, the median of runs measurements.
// It panics on an undeclared name: a figure without a spec has no budget
// and would slip past make bench's summary.
func (r *Reporter) Add(name string, value float64, runs int) Figure {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.specs {
		if s.Name == name {
			f := Figure{Name: name, Value: value, Decimals: s.Decimals, Runs: runs, Budget: s.Budget}
			r.printed[name] = f
			fmt.Fprintln(r.w, f.String())
			return f
		}
	}
	panic("figures: " + name + " was not declared")
}

// Finish prints "not measured" for every declared figure not printed yet,
// with why, and returns every figure that missed its budget, in declared
// order.
func (r *Reporter) Finish(why string) []Figure {
	r.mu.Lock()
	defer r.mu.Unlock()
	if why == "" {
		why = "the measurement did not finish"
	}
	var missed []Figure
	for _, s := range r.specs {
		f, ok := r.printed[s.Name]
		if !ok {
			f = Figure{Name: s.Name, Value: math.NaN(), Budget: s.Budget, Note: "not measured: " + why}
			r.printed[s.Name] = f
			fmt.Fprintln(r.w, f.String())
		}
		if f.Missed() {
			missed = append(missed, f)
		}
	}
	return missed
}

// TB is the part of testing.TB that Check needs.
type TB interface {
	Helper()
	Failed() bool
	Errorf(format string, args ...any)
}

// Check ends a test's figures: deferred right after NewReporter, it prints
// what was not measured (the test failed first) and fails the test for
// every figure over its budget, after all of them are printed.
func (r *Reporter) Check(t TB) {
	t.Helper()
	why := ""
	if t.Failed() {
		why = "the test failed first (see its log)"
	}
	for _, f := range r.Finish(why) {
		if f.Measured() {
			t.Errorf("%s is %s, over its budget (%s)", f.Name, strconv.FormatFloat(f.Value, 'f', f.Decimals, 64), f.Budget)
		}
	}
}
