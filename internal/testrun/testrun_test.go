//go:build unix

package testrun

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseStep(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Step
		bad  bool
	}{
		{in: "build: make build", want: Step{Name: "build", Command: "make build"}},
		{in: "packages < build: make packages", want: Step{Name: "packages", Needs: []string{"build"}, Command: "make packages"}},
		{in: "e2e < build, compile : go test -c -o x ./e2e/", want: Step{Name: "e2e", Needs: []string{"build", "compile"}, Command: "go test -c -o x ./e2e/"}},
		// The command keeps its own colons.
		{in: "unit: echo a:b", want: Step{Name: "unit", Command: "echo a:b"}},
		{in: "no command", bad: true},
		{in: "empty:", bad: true},
		{in: "two words: x", bad: true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseStep(tc.in)
			if tc.bad != (err != nil) {
				t.Fatalf("ParseStep(%q) = %+v, %v", tc.in, got, err)
			}
			if !tc.bad && !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseStep(%q) = %+v, want %+v", tc.in, got, tc.want)
			}
		})
	}
}

func TestOrder(t *testing.T) {
	d := map[string]time.Duration{"TestSoak": 148 * time.Second, "TestWine": 62 * time.Second, "TestQuick": time.Second, "TestTie": time.Second}
	for _, tc := range []struct {
		name  string
		tests []string
		want  []string
	}{
		{"longest first", []string{"TestQuick", "TestWine", "TestSoak"}, []string{"TestSoak", "TestWine", "TestQuick"}},
		// A test never measured could be the longest: it starts first.
		{"new test first", []string{"TestQuick", "TestSoak", "TestNew"}, []string{"TestNew", "TestSoak", "TestQuick"}},
		{"ties by name", []string{"TestTie", "TestQuick"}, []string{"TestQuick", "TestTie"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Order(tc.tests, d); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Order(%v) = %v, want %v", tc.tests, got, tc.want)
			}
		})
	}
}

func TestDurationsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	seed := filepath.Join(dir, "seed")
	local := filepath.Join(dir, "local")
	writeTestFile(t, seed, "# comment\nTestA 10\nTestB 20.5 cpu=3\n")
	before, err := ReadDurations(seed, local) // local missing: no error
	if err != nil {
		t.Fatal(err)
	}
	if before["TestA"] != 10*time.Second || before["TestB"] != 20500*time.Millisecond {
		t.Fatalf("read %v", before)
	}
	err = WriteDurations(local, before, []Result{
		{Name: "TestB", Kind: "e2e", Status: "pass", Wall: 7 * time.Second, CPU: 2 * time.Second},
		{Name: "unit", Kind: "step", Status: "pass", Wall: time.Minute},
		{Name: "TestSkips", Kind: "e2e", Status: "skip", Wall: 4 * time.Second},
		{Name: "TestNotRun", Kind: "e2e", Status: "skip", Why: "build did not pass"},
	})
	if err != nil {
		t.Fatal(err)
	}
	after, err := ReadDurations(seed, local)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Duration{"TestA": 10 * time.Second, "TestB": 7 * time.Second, "TestSkips": 4 * time.Second}
	if !reflect.DeepEqual(after, want) {
		t.Errorf("after a run: %v, want %v (steps are not tests, a test not run has no measure, the newest measure wins)", after, want)
	}
	writeTestFile(t, local, "TestA ten\n")
	if _, err := ReadDurations(local); err == nil {
		t.Error("a line without seconds was read without error")
	}
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name string
		plan Plan
		bad  string
	}{
		{"fine", Plan{Steps: []Step{{Name: "a", Command: "x"}, {Name: "b", Needs: []string{"a"}, Command: "x"}},
			E2E: &E2E{Needs: []string{"a"}, Barriers: map[string]string{"X": "b"}}}, ""},
		{"unknown need", Plan{Steps: []Step{{Name: "b", Needs: []string{"a"}, Command: "x"}}}, "needs a"},
		{"twice", Plan{Steps: []Step{{Name: "a", Command: "x"}, {Name: "a", Command: "y"}}}, "twice"},
		{"e2e need", Plan{E2E: &E2E{Needs: []string{"build"}}}, "needs build"},
		{"barrier", Plan{E2E: &E2E{Barriers: map[string]string{"X": "packages"}}}, "waits for packages"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.plan.Check()
			if (tc.bad == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.bad)) {
				t.Errorf("Check() = %v, want an error with %q", err, tc.bad)
			}
		})
	}
}

// TestRunStartsStepsAtOnce: steps without needs run at the same time (each
// waits for the other to have started), a step runs after what it needs,
// and a step whose need failed is skipped, not run.
func TestRunStartsStepsAtOnce(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	// Each waits for the other's file: run one after the other, both
	// would time out (after 60 s, so that a busy machine cannot fail it).
	meet := func(mine, other string) string {
		return "touch " + mine + "; for i in $(seq 600); do [ -e " + other + " ] && exit 0; sleep 0.1; done; exit 1"
	}
	plan := &Plan{LogDir: filepath.Join(dir, "logs"), Env: os.Environ(), Steps: []Step{
		{Name: "a", Command: meet(a, b)},
		{Name: "b", Command: meet(b, a)},
		{Name: "after", Needs: []string{"a", "b"}, Command: "[ -e " + a + " ] && [ -e " + b + " ] && echo ran"},
		{Name: "fails", Command: "exit 3"},
		{Name: "never", Needs: []string{"fails"}, Command: "touch " + filepath.Join(dir, "never")},
	}}
	results, err := Run(context.Background(), plan)
	if err != nil {
		t.Fatal(err)
	}
	got := statuses(results)
	want := map[string]string{"a": "pass", "b": "pass", "after": "pass", "fails": "fail", "never": "skip"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "never")); err == nil {
		t.Error("a step ran although the step it needs failed")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "logs", "after.log")); string(b) != "ran\n" {
		t.Errorf("after.log = %q, want the step's output", b)
	}
}

func writeTestFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// fakeTests is a test binary as the runner sees it: -test.list lists its
// tests, -test.run runs one, writing go test's verbose lines.
const fakeTests = `#!/bin/sh
dir=$(dirname "$0")
if [ "$1" = -test.list ]; then printf 'TestA\nTestB\nTestSilent\nTestWaits\nBenchmarkNot\n'; exit 0; fi
name=$(echo "$2" | tr -d '^$')
echo "$name $(pwd)" >> "$dir/started"
case $name in
TestA|TestB)
  # Each needs the other running at the same time.
  touch "$dir/$name"; other=TestA; [ $name = TestA ] && other=TestB
  for i in $(seq 600); do [ -e "$dir/$other" ] && break; sleep 0.1; done
  [ -e "$dir/$other" ] || { echo "--- FAIL: $name (60s)"; exit 1; } ;;
TestSilent) exit 0 ;;
TestWaits)
  for i in $(seq 600); do [ -e "$DONE" ] && break; sleep 0.1; done
  [ "$(cat "$DONE")" = ok ] || { echo "--- FAIL: $name: $(cat "$DONE")"; exit 1; } ;;
esac
echo "--- PASS: $name (0.10s)"
`

// TestRunE2E: the tests are listed from the binary (benchmarks left
// out), run in their directory two at once, a test that does not show it
// ran fails, and a barrier's file says "ok" once its step passed.
func TestRunE2E(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "e2e.test")
	if err := os.WriteFile(bin, []byte(fakeTests), 0o755); err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(dir, "work")
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	plan := &Plan{LogDir: filepath.Join(dir, "logs"), Env: os.Environ(),
		Steps: []Step{{Name: "slow", Command: "sleep 1"}},
		E2E: &E2E{Binary: bin, Dir: work, Session: []string{"env"}, Sessions: 2, Timeout: time.Minute,
			Barriers: map[string]string{"DONE": "slow"}},
		Durations: map[string]time.Duration{"TestA": 9 * time.Second, "TestB": 8 * time.Second, "TestSilent": time.Second, "TestWaits": time.Second}}
	results, err := Run(context.Background(), plan)
	if err != nil {
		t.Fatal(err)
	}
	got := statuses(results)
	want := map[string]string{"slow": "pass", "TestA": "pass", "TestB": "pass", "TestSilent": "fail", "TestWaits": "pass"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
	started, _ := os.ReadFile(filepath.Join(dir, "started"))
	lines := strings.Split(strings.TrimSpace(string(started)), "\n")
	if len(lines) != 4 || !strings.HasSuffix(lines[0], " "+work) {
		t.Errorf("started:\n%s\nwant four tests, each in %s", started, work)
	}
	// TestA and TestB are the longest: the first two started.
	if first := lines[0][:5] + lines[1][:5]; first != "TestATestB" && first != "TestBTestA" {
		t.Errorf("started first: %q, want TestA and TestB", first)
	}
}

// TestMakeKeepsUnchangedPackages: make packages (here package-linux, run
// in the repository with its inputs and outputs in a temporary directory)
// compresses again only when an input changed or the package is missing;
// package-windows keeps its installer by the same rule (Makefile kept).
func TestMakeKeepsUnchangedPackages(t *testing.T) {
	for _, tool := range []string{"make", "tar", "xz", "sha256sum"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s here", tool)
		}
	}
	dir := t.TempDir()
	bin, tarball := filepath.Join(dir, "app"), filepath.Join(dir, "app.tar.xz")
	writeTestFile(t, bin, "first")
	// -o build: the app is the file above, not a go build.
	args := []string{"--no-print-directory", "-o", "build", "package-linux", "BIN=" + bin, "TARBALL=" + tarball,
		"LINUX=" + filepath.Join(dir, "linux", "cezanne-desktop-x"), "STAMPS=" + filepath.Join(dir, "inputs")}
	for _, tc := range []struct {
		name   string
		before func()
		kept   bool
		app    string // the app in the archive
	}{
		{"first", func() {}, false, "first"},
		{"same inputs", func() {}, true, "first"},
		{"app changed", func() { writeTestFile(t, bin, "second") }, false, "second"},
		{"same again", func() {}, true, "second"},
		{"archive gone", func() { _ = os.Remove(tarball) }, false, "second"},
	} {
		tc.before()
		cmd := exec.Command("make", args...)
		cmd.Dir = filepath.Join("..", "..")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: make package-linux: %v\n%s", tc.name, err, out)
		}
		if kept := strings.Contains(string(out), " kept: "); kept != tc.kept {
			t.Errorf("%s: kept=%v, want %v:\n%s", tc.name, kept, tc.kept, out)
		}
		app, err := exec.Command("tar", "-xOJf", tarball, "cezanne-desktop-x/cezanne-desktop").Output()
		if err != nil || string(app) != tc.app {
			t.Errorf("%s: the archive holds the app %q (%v), want %q", tc.name, app, err, tc.app)
		}
	}
}

// statuses is each job's status by name.
func statuses(results []Result) map[string]string {
	got := map[string]string{}
	for _, r := range results {
		got[r.Name] = r.Status
	}
	return got
}
