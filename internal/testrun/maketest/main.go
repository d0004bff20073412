//go:build unix

// Command maketest is make test's runner (see package testrun): the steps
// given with -step, started as soon as the steps they need have passed,
// and the end-to-end tests one process each, -sessions of them at once,
// each in a desktop session of its own, longest first. It prints a line
// as each job ends, then every job's wall and CPU time, the tail of each
// failure's log, and exits 1 when anything failed or was skipped for a
// failure. Every job's whole output is in -logs.
//
//	maketest -logs DIR -durations FILE[,FILE...] -sessions N \
//	  -step "name[ < need,need]: command" ... \
//	  -e2e-binary FILE -e2e-dir DIR -e2e-needs need,need \
//	  -e2e-session "e2e/desktop-session.sh" -e2e-barrier ENV=step
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/testrun"
)

type list []string

func (l *list) String() string     { return strings.Join(*l, "; ") }
func (l *list) Set(s string) error { *l = append(*l, s); return nil }

func main() {
	code, err := run(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "maketest:", err)
	}
	os.Exit(code)
}

func run(args []string) (int, error) {
	fs := flag.NewFlagSet("maketest", flag.ContinueOnError)
	var steps, barriers list
	fs.Var(&steps, "step", `a step, "name: command" or "name < need,need: command" (repeat)`)
	fs.Var(&barriers, "e2e-barrier", "ENV=step: the tests' ENV names a file written when step ends (repeat)")
	logs := fs.String("logs", "test-output/logs", "directory for every job's output")
	durations := fs.String("durations", "", "files of measured test durations, comma-separated; the last is rewritten")
	// Most of an end-to-end test is waiting (for a window, a browser, the
	// soak's timer), so more sessions than cores still shortens the run.
	sessions := fs.Int("sessions", runtime.NumCPU()+2, "end-to-end tests at once, each in its own desktop session")
	binary := fs.String("e2e-binary", "", "the compiled end-to-end test binary (empty: no end-to-end tests)")
	dir := fs.String("e2e-dir", "e2e", "the directory the end-to-end tests run in")
	needs := fs.String("e2e-needs", "", "steps the end-to-end tests need, comma-separated")
	session := fs.String("e2e-session", "e2e/desktop-session.sh", "the command that runs a test in a desktop session")
	timeout := fs.Duration("e2e-timeout", 30*time.Minute, "each end-to-end test's -test.timeout")
	if err := fs.Parse(args); err != nil {
		return 2, err
	}
	plan, err := buildPlan(steps, barriers, *binary, *dir, *needs, *session, *timeout, *sessions)
	if err != nil {
		return 2, err
	}
	// Absolute: the end-to-end tests run in their own directory and read
	// the barrier files named in it.
	if plan.LogDir, err = filepath.Abs(*logs); err != nil {
		return 2, err
	}
	plan.Env, plan.Progress = os.Environ(), os.Stdout
	files := splitList(*durations)
	if plan.Durations, err = testrun.ReadDurations(files...); err != nil {
		return 2, err
	}
	// Ctrl+C, a TERM or the terminal closing (HUP) stops every job and
	// still shows what ran. Handling HUP also gives the jobs its default
	// back: under nohup it would be ignored in every process below, and
	// the test of make run in a terminal that closes could not pass.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	start := time.Now()
	results, err := testrun.Run(ctx, plan)
	if err != nil {
		return 2, err
	}
	if len(files) > 0 {
		if err := testrun.WriteDurations(files[len(files)-1], plan.Durations, results); err != nil {
			fmt.Fprintln(os.Stderr, "maketest: durations not saved:", err)
		}
	}
	return summary(results, time.Since(start), *logs), nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func buildPlan(steps, barriers []string, binary, dir, needs, session string, timeout time.Duration, sessions int) (*testrun.Plan, error) {
	plan := &testrun.Plan{}
	for _, s := range steps {
		st, err := testrun.ParseStep(s)
		if err != nil {
			return nil, err
		}
		plan.Steps = append(plan.Steps, st)
	}
	if binary == "" {
		return plan, nil
	}
	abs, err := filepath.Abs(binary)
	if err != nil {
		return nil, err
	}
	wrap := strings.Fields(session)
	if len(wrap) == 0 {
		return nil, fmt.Errorf("-e2e-session is empty")
	}
	if wrap[0], err = filepath.Abs(wrap[0]); err != nil {
		return nil, err
	}
	e := &testrun.E2E{Binary: abs, Dir: dir, Session: wrap, Sessions: sessions, Needs: splitList(needs),
		Timeout: timeout, Barriers: map[string]string{}}
	for _, b := range barriers {
		env, step, ok := strings.Cut(b, "=")
		if !ok || env == "" || step == "" {
			return nil, fmt.Errorf("-e2e-barrier %q: want ENV=step", b)
		}
		e.Barriers[env] = step
	}
	plan.E2E = e
	return plan, plan.Check()
}

// summary prints every job by the time it ended and the tail of each
// failure's log; it returns the exit code.
func summary(results []testrun.Result, wall time.Duration, logs string) int {
	sort.SliceStable(results, func(i, j int) bool {
		return results[i].Start+results[i].Wall < results[j].Start+results[j].Wall
	})
	var cpu time.Duration
	var bad []testrun.Result
	for _, r := range results {
		cpu += r.CPU
		if r.Status == "fail" || (r.Status == "skip" && r.Why != "") {
			bad = append(bad, r)
		}
	}
	for _, r := range bad {
		fmt.Printf("\n==== %s: %s; the end of %s:\n%s", r.Name, r.Status, r.Log, tail(r.Log, 60))
	}
	fmt.Printf("\n>> make test: %d jobs in %.0fs wall, %.0fs CPU; every job's output is in %s/\n", len(results), wall.Seconds(), cpu.Seconds(), logs)
	if len(bad) > 0 {
		names := make([]string, len(bad))
		for i, r := range bad {
			names[i] = r.Name
		}
		fmt.Printf("!! FAILED: %s\n", strings.Join(names, ", "))
		return 1
	}
	fmt.Println(">> every step and test passed")
	return 0
}

func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(no log)\n"
	}
	lines := strings.SplitAfter(string(b), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "")
}
