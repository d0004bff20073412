// make test runs on Linux (its desktop sessions are Xvfb and D-Bus); the
// process groups and CPU times here are Unix's.

//go:build unix

// Package testrun is make test's scheduler. The steps of make test (build,
// vet, packages, the unit tests, compiling the end-to-end tests) are
// independent or nearly so, and the end-to-end tests spend most of their
// time waiting for a window, a browser or a timer (the soak runs 2
// minutes whatever the machine does): one after another they took most of
// make test's 8.5 minutes on a machine that was mostly idle. Here every
// step starts as soon as the steps it needs have passed, and the
// end-to-end tests run one process each, several at once, each in a
// desktop session of its own (its own Xvfb, D-Bus and keyring, so no test
// sees another's windows or secrets), longest first by the durations
// measured in earlier runs: a new test needs no placement, it is simply
// started early until its duration is known.
package testrun

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Step is one command of make test, run with bash once the steps it needs
// have passed.
type Step struct {
	Name    string
	Needs   []string
	Command string
}

// ParseStep reads a step written "name: command" or
// "name < need,need: command".
func ParseStep(s string) (Step, error) {
	head, command, ok := strings.Cut(s, ":")
	command = strings.TrimSpace(command)
	if !ok || command == "" {
		return Step{}, fmt.Errorf("step %q: want \"name: command\" or \"name < need,need: command\"", s)
	}
	name, needs, _ := strings.Cut(head, "<")
	st := Step{Name: strings.TrimSpace(name), Command: command}
	if !validName.MatchString(st.Name) {
		return Step{}, fmt.Errorf("step %q: the name must be letters, digits, - or _", s)
	}
	for _, n := range strings.Split(needs, ",") {
		if n = strings.TrimSpace(n); n != "" {
			st.Needs = append(st.Needs, n)
		}
	}
	return st, nil
}

var validName = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// E2E is the end-to-end package: its test binary (compiled by a step), the
// directory its tests run in (they read testdata/ relative to it), the
// command that wraps each test in a desktop session of its own, and how
// many sessions run at once.
type E2E struct {
	Binary   string
	Dir      string
	Session  []string
	Sessions int
	Needs    []string
	// Timeout is each test process's -test.timeout.
	Timeout time.Duration
	// Barriers: an environment variable of every test names a file that
	// is written when the step ends, "ok" or why not, so a test that needs
	// what the step makes (the packages) can start before it and wait
	// (e2e/harness_test.go awaitStep).
	Barriers map[string]string // environment variable → step
}

// Result is how one job (a step or one end-to-end test) ended.
type Result struct {
	Name    string
	Kind    string // "step" or "e2e"
	Status  string // pass, fail or skip
	Why     string // for a skip or a failure the job itself did not report
	Start   time.Duration
	Wall    time.Duration
	CPU     time.Duration // user+system of the job and the children it waited for
	Session int           // which desktop session slot ran an e2e test (1-based)
	Log     string
}

// Plan is what one make test runs.
type Plan struct {
	Steps     []Step
	E2E       *E2E
	LogDir    string
	Durations map[string]time.Duration // e2e test → measured wall time
	Env       []string                 // the environment of every job
	Progress  io.Writer                // a line per job as it ends
}

// Check refuses a plan whose steps need steps it does not have, or name
// one twice.
func (p *Plan) Check() error {
	have := map[string]bool{}
	for _, s := range p.Steps {
		if have[s.Name] {
			return fmt.Errorf("step %s is named twice", s.Name)
		}
		have[s.Name] = true
	}
	needs := func(who string, list []string) error {
		for _, n := range list {
			if !have[n] {
				return fmt.Errorf("%s needs %s, which is not a step", who, n)
			}
		}
		return nil
	}
	for _, s := range p.Steps {
		if err := needs("step "+s.Name, s.Needs); err != nil {
			return err
		}
	}
	if p.E2E == nil {
		return nil
	}
	if err := needs("the end-to-end tests", p.E2E.Needs); err != nil {
		return err
	}
	for env, step := range p.E2E.Barriers {
		if !have[step] {
			return fmt.Errorf("%s waits for %s, which is not a step", env, step)
		}
	}
	return nil
}

// Order lists tests longest first by their measured durations. A test
// never measured goes first of all, as if it were the longest: started
// early it cannot end up alone at the end of the run.
func Order(tests []string, durations map[string]time.Duration) []string {
	out := append([]string(nil), tests...)
	sort.SliceStable(out, func(i, j int) bool {
		di, iok := durations[out[i]]
		dj, jok := durations[out[j]]
		if iok != jok {
			return !iok
		}
		if di != dj {
			return di > dj
		}
		return out[i] < out[j]
	})
	return out
}

// ReadDurations reads "name seconds" lines (the rest of a line, such as
// the CPU time, is for people); later files override earlier ones, and a
// missing file is no error (a fresh clone has only the committed one).
func ReadDurations(paths ...string) (map[string]time.Duration, error) {
	d := map[string]time.Duration{}
	for _, p := range paths {
		f, err := os.Open(p)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			fields := strings.Fields(sc.Text())
			if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
				continue
			}
			secs, err := strconv.ParseFloat(strings.TrimSuffix(fieldOr(fields, 1), "s"), 64)
			if err != nil || secs < 0 {
				_ = f.Close()
				return nil, fmt.Errorf("%s:%d: want \"TestName seconds\", got %q", p, line, sc.Text())
			}
			d[fields[0]] = time.Duration(secs * float64(time.Second))
		}
		err = sc.Err()
		_ = f.Close()
		if err != nil {
			return nil, err
		}
	}
	return d, nil
}

func fieldOr(f []string, i int) string {
	if i < len(f) {
		return f[i]
	}
	return ""
}

// WriteDurations writes the e2e tests' measured wall and CPU times, the
// durations of tests not run this time kept from before, for the next
// run's order.
func WriteDurations(path string, before map[string]time.Duration, results []Result) error {
	all := map[string]string{}
	for name, d := range before {
		all[name] = fmt.Sprintf("%s %.1f", name, d.Seconds())
	}
	for _, r := range results {
		// A test that skipped itself took its time too (and would
		// otherwise go first every run as never measured); one not run
		// (a step it needs failed, or the run was stopped) did not.
		if r.Kind == "e2e" && !(r.Status == "skip" && r.Why != "") {
			all[r.Name] = fmt.Sprintf("%s %.1f cpu=%.1f", r.Name, r.Wall.Seconds(), r.CPU.Seconds())
		}
	}
	names := make([]string, 0, len(all))
	for n := range all {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("# make test's end-to-end tests: name, wall seconds, CPU seconds (internal/testrun orders by wall, longest first)\n")
	for _, n := range names {
		b.WriteString(all[n] + "\n")
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// runner is one Run: the results so far and what is running.
type runner struct {
	plan  *Plan
	start time.Time
	mu    sync.Mutex
	done  map[string]chan struct{} // closed when the step ends
	res   map[string]*Result
	all   []*Result
}

// Run runs the plan and returns every job's result in the order they
// ended. Cancelling ctx stops what runs (SIGTERM to each job's process
// group, then SIGKILL) and skips the rest.
func Run(ctx context.Context, p *Plan) ([]Result, error) {
	if err := p.Check(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(p.LogDir, 0o755); err != nil {
		return nil, err
	}
	r := &runner{plan: p, start: time.Now(), done: map[string]chan struct{}{}, res: map[string]*Result{}}
	for _, s := range p.Steps {
		r.done[s.Name] = make(chan struct{})
	}
	var wg sync.WaitGroup
	for _, s := range p.Steps {
		wg.Add(1)
		go func() { defer wg.Done(); r.step(ctx, s) }()
	}
	if p.E2E != nil {
		wg.Add(1)
		go func() { defer wg.Done(); r.e2e(ctx) }()
	}
	wg.Wait()
	out := make([]Result, len(r.all))
	for i, res := range r.all {
		out[i] = *res
	}
	return out, nil
}

// await waits for the steps and says which did not pass ("" when all did).
func (r *runner) await(ctx context.Context, needs []string) string {
	for _, n := range needs {
		select {
		case <-r.done[n]:
		case <-ctx.Done():
			return "stopped"
		}
		r.mu.Lock()
		st := r.res[n].Status
		r.mu.Unlock()
		if st != "pass" {
			return n + " did not pass"
		}
	}
	return ""
}

func (r *runner) finish(res *Result) {
	r.mu.Lock()
	r.res[res.Name] = res
	r.all = append(r.all, res)
	r.mu.Unlock()
	if r.plan.Progress != nil {
		fmt.Fprintln(r.plan.Progress, res.Line())
	}
}

// Line is a result as the progress and the summary show it.
func (res Result) Line() string {
	what := res.Name
	if res.Kind == "e2e" {
		what = fmt.Sprintf("%s (session %d)", res.Name, res.Session)
	}
	s := fmt.Sprintf("%7.1fs %-4s %-45s wall %6.1fs  cpu %6.1fs", (res.Start + res.Wall).Seconds(), res.Status, what, res.Wall.Seconds(), res.CPU.Seconds())
	if res.Why != "" {
		s += "  (" + res.Why + ")"
	}
	return s
}

func (r *runner) step(ctx context.Context, s Step) {
	res := &Result{Name: s.Name, Kind: "step", Log: filepath.Join(r.plan.LogDir, s.Name+".log")}
	defer func() {
		r.finish(res)
		close(r.done[s.Name])
	}()
	if why := r.await(ctx, s.Needs); why != "" {
		res.Status, res.Why, res.Start = "skip", why, time.Since(r.start)
		return
	}
	r.run(ctx, res, exec.Command("bash", "-o", "pipefail", "-c", s.Command), "", nil)
}

// run runs cmd with its output in res.Log and fills in res.
func (r *runner) run(ctx context.Context, res *Result, cmd *exec.Cmd, dir string, env []string) {
	res.Start = time.Since(r.start)
	log, err := os.Create(res.Log)
	if err != nil {
		res.Status, res.Why = "fail", err.Error()
		return
	}
	defer log.Close()
	cmd.Dir = dir
	cmd.Env = append(append([]string(nil), r.plan.Env...), env...)
	cmd.Stdout, cmd.Stderr = log, log
	// A group of its own: stopping a job stops the make, go and bash
	// processes under it too (desktop-session.sh stops its services
	// itself, as it does on Ctrl+C).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		res.Status, res.Why = "fail", err.Error()
		return
	}
	ended := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
			select {
			case <-ended:
			case <-time.After(15 * time.Second):
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			}
		case <-ended:
		}
	}()
	err = cmd.Wait()
	close(ended)
	res.Wall = time.Since(r.start) - res.Start
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		res.CPU = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	res.Status = "pass"
	if err != nil {
		res.Status, res.Why = "fail", err.Error()
	}
}

// e2e waits for what the end-to-end tests need, lists them from their
// binary and runs them, longest first, in as many sessions at once as
// the plan says.
func (r *runner) e2e(ctx context.Context) {
	e := r.plan.E2E
	barrierEnv := r.barriers(ctx)
	if why := r.await(ctx, e.Needs); why != "" {
		r.finish(&Result{Name: "e2e", Kind: "step", Status: "skip", Why: why, Start: time.Since(r.start)})
		return
	}
	tests, err := ListTests(e.Binary, e.Dir)
	if err != nil || len(tests) == 0 {
		if err == nil {
			err = fmt.Errorf("%s lists no tests", e.Binary)
		}
		r.finish(&Result{Name: "e2e", Kind: "step", Status: "fail", Why: err.Error(), Start: time.Since(r.start)})
		return
	}
	queue := make(chan string, len(tests))
	for _, t := range Order(tests, r.plan.Durations) {
		queue <- t
	}
	close(queue)
	var wg sync.WaitGroup
	for slot := 1; slot <= max(e.Sessions, 1); slot++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for name := range queue {
				r.e2eTest(ctx, name, slot, barrierEnv)
			}
		}()
	}
	wg.Wait()
}

// e2eTest runs one end-to-end test in a desktop session of its own.
func (r *runner) e2eTest(ctx context.Context, name string, slot int, env []string) {
	e := r.plan.E2E
	res := &Result{Name: name, Kind: "e2e", Session: slot, Log: filepath.Join(r.plan.LogDir, "e2e-"+name+".log")}
	defer r.finish(res)
	if ctx.Err() != nil {
		res.Status, res.Why, res.Start = "skip", "stopped", time.Since(r.start)
		return
	}
	args := append(append([]string(nil), e.Session[1:]...), e.Binary, "-test.run", "^"+regexp.QuoteMeta(name)+"$",
		"-test.count", "1", "-test.v", "-test.timeout", e.Timeout.String())
	cmd := exec.Command(e.Session[0], args...)
	r.run(ctx, res, cmd, e.Dir, env)
	if res.Status != "pass" {
		return
	}
	switch ranTest(res.Log, name) {
	case "SKIP":
		res.Status = "skip"
	case "":
		res.Status, res.Why = "fail", "the test binary exited 0 without running "+name
	}
}

// barriers writes, for each barrier step, a file the tests can wait on,
// once the step has ended; it returns the environment naming the files.
func (r *runner) barriers(ctx context.Context) []string {
	var env []string
	for name, step := range r.plan.E2E.Barriers {
		file := filepath.Join(r.plan.LogDir, step+".done")
		_ = os.Remove(file)
		env = append(env, name+"="+file)
		go func() {
			why := r.await(ctx, []string{step})
			if why == "" {
				why = "ok"
			}
			tmp := file + ".tmp"
			if err := os.WriteFile(tmp, []byte(why+"\n"), 0o644); err == nil {
				_ = os.Rename(tmp, file)
			}
		}()
	}
	sort.Strings(env)
	return env
}

// ranTest reads how a test ended from its verbose log: PASS, SKIP, or ""
// when the log does not show it ending (a -test.run that matched nothing
// exits 0 too).
func ranTest(log, name string) string {
	b, err := os.ReadFile(log)
	if err != nil {
		return ""
	}
	for _, end := range []string{"PASS", "SKIP"} {
		if strings.Contains(string(b), "--- "+end+": "+name+" (") {
			return end
		}
	}
	return ""
}

// ListTests lists the tests, fuzz seeds and examples the test binary
// runs (not its benchmarks), as go test would run them.
func ListTests(binary, dir string) ([]string, error) {
	cmd := exec.Command(binary, "-test.list", ".")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s -test.list: %v", binary, err)
	}
	var tests []string
	for _, line := range strings.Fields(string(out)) {
		if strings.HasPrefix(line, "Test") || strings.HasPrefix(line, "Fuzz") || strings.HasPrefix(line, "Example") {
			tests = append(tests, line)
		}
	}
	return tests, nil
}
