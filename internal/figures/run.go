package figures

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"strings"
)

// Step is one command of a bench run, named for the summary.
type Step struct {
	Name    string
	Command string // run by bash -o pipefail -c
}

// Result is what a bench run measured and what went wrong.
type Result struct {
	Figures    []Figure // in the order printed; a figure printed twice keeps its last value
	Missed     []Figure // figures over their budget, or with a budget but not measured
	NotPrinted []string // expected figures no step printed
	Failed     []string // steps that failed without any figure of theirs missing, "name (why)"
}

// OK reports whether every expected figure was printed, none missed and no
// step failed.
func (r Result) OK() bool {
	return len(r.Missed) == 0 && len(r.NotPrinted) == 0 && len(r.Failed) == 0
}

// Summary is the one line make bench ends with.
func (r Result) Summary() string {
	if r.OK() {
		budgets := 0
		for _, f := range r.Figures {
			if f.Budget.Set() {
				budgets++
			}
		}
		return fmt.Sprintf("bench: all %d figures printed, all %d budgets met", len(r.Figures), budgets)
	}
	var parts []string
	if len(r.Missed) > 0 {
		var m []string
		for _, f := range r.Missed {
			if f.Measured() {
				m = append(m, fmt.Sprintf("%s %.*f (%s)", f.Name, f.Decimals, f.Value, f.Budget))
			} else {
				m = append(m, fmt.Sprintf("%s not measured (%s)", f.Name, f.Budget))
			}
		}
		parts = append(parts, "MISSED "+strings.Join(m, ", "))
	}
	if len(r.NotPrinted) > 0 {
		parts = append(parts, "not printed: "+strings.Join(r.NotPrinted, ", "))
	}
	if len(r.Failed) > 0 {
		parts = append(parts, "failed: "+strings.Join(r.Failed, ", "))
	}
	return "bench: " + strings.Join(parts, "; ")
}

// shown are the lines of a step's output a person reads on the terminal;
// the log keeps everything. Test errors are indented "x_test.go:12: ...".
var shown = regexp.MustCompile(`^(figure |--- FAIL|FAIL|panic:|Benchmark|ok\s|\s+\w+_test\.go:\d+: )`)

// Run runs the steps one after another, each whatever the one before ended
// with, so one broken or over-budget figure never hides the others. Every
// line of output goes to log; figure lines, failures and benchmark results
// also go to show, after a line naming the step. expect names the figures
// the run must print.
func Run(ctx context.Context, steps []Step, expect []string, log, show io.Writer) Result {
	var res Result
	index := map[string]int{}
	for _, s := range steps {
		fmt.Fprintf(show, ">> %s\n", s.Name)
		fmt.Fprintf(log, ">> %s: %s\n", s.Name, s.Command)
		figs, err := runStep(ctx, s, log, show)
		missedHere := false
		for _, f := range figs {
			if i, ok := index[f.Name]; ok {
				res.Figures[i] = f
			} else {
				index[f.Name] = len(res.Figures)
				res.Figures = append(res.Figures, f)
			}
			missedHere = missedHere || f.Missed()
		}
		// A test fails on its own missed budget too; the figure line says
		// that already, so the step is named only for another failure.
		if err != nil && !missedHere {
			res.Failed = append(res.Failed, fmt.Sprintf("%s (%v)", s.Name, err))
		}
	}
	for _, f := range res.Figures {
		if f.Missed() {
			res.Missed = append(res.Missed, f)
		}
	}
	for _, name := range expect {
		if _, ok := index[name]; !ok {
			res.NotPrinted = append(res.NotPrinted, name)
		}
	}
	return res
}

func runStep(ctx context.Context, s Step, log, show io.Writer) ([]Figure, error) {
	cmd := exec.CommandContext(ctx, "bash", "-o", "pipefail", "-c", s.Command)
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("could not start: %w", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait(); pw.Close() }()
	var figs []Figure
	sc := bufio.NewScanner(pr)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		line := sc.Text()
		fmt.Fprintln(log, line)
		if shown.MatchString(line) {
			fmt.Fprintln(show, line)
		}
		if f, ok := Parse(line); ok {
			figs = append(figs, f)
		}
	}
	if err := sc.Err(); err != nil {
		// Drain so the command is never blocked on a full pipe.
		_, _ = io.Copy(log, pr)
	}
	err := <-done
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return figs, fmt.Errorf("exit status %d", exit.ExitCode())
	}
	return figs, err
}
