package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox/sandboxtest"
)

// buildTags are the Makefile's TAGS: the app and the empty-window baseline
// are built alike, so their memory compares. The tests also build with
// make build's -trimpath, which is part of every package's key in Go's
// build cache: built without it, a helper window on a machine whose cache
// make build had just filled compiled Fyne and GLFW's C again (8 minutes
// beside make test's other work, which ran the soak past its deadline
// before it started).
const buildTags = "migrated_fynedo,no_emoji,no_animations"

// goBuild builds pkg, from dir ("" for e2e), into bin as make build does.
func goBuild(t *testing.T, dir, pkg, bin string) {
	t.Helper()
	cmd := exec.Command("go", "build", "-tags", buildTags, "-trimpath", "-o", bin, pkg)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building %s: %v\n%s", filepath.Join(dir, pkg), err, out)
	}
}

// appBinary is the app built by make (CEZANNE_BIN), or built here.
func appBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("CEZANNE_BIN"); bin != "" {
		abs, err := filepath.Abs(bin)
		if err != nil {
			t.Fatal(err)
		}
		return abs
	}
	bin := filepath.Join(t.TempDir(), "cezanne-desktop")
	goBuild(t, "..", ".", bin)
	return bin
}

// desktopRun is one scenario: the standalone sandbox, a profile for it, a
// fake browser, a private HOME, and launches of the app binary.
type desktopRun struct {
	t        *testing.T
	ctx      context.Context
	bin      string
	out      string
	work     string
	home     string
	profile  string
	secret   string
	opened   string
	sbLog    *syncBuffer
	env      []string
	launches []string
	desc     sandbox.Description
}

// runContext bounds what a test starts (the app, the sandbox) by the test
// binary's deadline (go test -timeout; make test gives each end-to-end test
// its own process) less a minute for cleanup; the test's end stops them
// anyway. A fixed 3 minutes killed the layout test's fourth app in the
// middle of its screenshots when the machine was busy, and its window
// vanished.
func runContext(t *testing.T) (context.Context, context.CancelFunc) {
	d, ok := t.Deadline()
	return context.WithDeadline(context.Background(), runDeadline(time.Now(), d, ok))
}

// runDeadline: the binary's deadline less a minute, never sooner than 5
// minutes from now (a package run by hand shares its 10 minutes among its
// tests), and 10 minutes without one.
func runDeadline(now, deadline time.Time, ok bool) time.Time {
	if !ok {
		return now.Add(10 * time.Minute)
	}
	return later(deadline.Add(-time.Minute), now.Add(5*time.Minute))
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func newDesktopRun(t *testing.T, name string, extraEnv ...string) *desktopRun {
	return newDesktopRunPeople(t, name, 2000, extraEnv...)
}

func newDesktopRunPeople(t *testing.T, name string, people int, extraEnv ...string) *desktopRun {
	t.Helper()
	ctx, cancel := runContext(t)
	t.Cleanup(cancel)
	r := &desktopRun{t: t, ctx: ctx, bin: appBinary(t), out: filepath.Join(outputDir(t), name), work: t.TempDir(), sbLog: &syncBuffer{}}
	if err := os.MkdirAll(r.out, 0o755); err != nil {
		t.Fatal(err)
	}
	redirect := freeLoopbackURI(t)
	desc := sandboxtest.StartBinary(t, r.bin, r.sbLog, "--redirect-uri", redirect, "--people", fmt.Sprint(people))
	t.Cleanup(func() { _ = os.WriteFile(filepath.Join(r.out, "sandbox.log"), []byte(r.sbLog.String()), 0o644) })
	clientID := "desktop-ondemand.sandbox.cezannehr.com"
	r.secret = sandboxtest.Secret(desc, clientID)
	r.profile = filepath.Join(r.work, "profile.json")
	writeFile(t, r.profile, fmt.Sprintf(`{"name":"Sandbox %s","base_url":%q,"client_id":%q,"redirect_uri":%q,"scopes":["APIRead"],"auto_approve":"true","pkce":true}`,
		name, desc.BaseURL, clientID, redirect))
	fakeBin := r.installBrowser()
	r.home = filepath.Join(r.work, "home")
	r.desc = desc
	r.env = append(append(os.Environ(), "HOME="+r.home, "XDG_CONFIG_HOME="+filepath.Join(r.home, ".config"),
		"XDG_DATA_HOME="+filepath.Join(r.home, ".local", "share"), "XDG_RUNTIME_DIR="+filepath.Join(r.work, "run"),
		"PATH="+fakeBin+":"+os.Getenv("PATH"), "CEZANNE_CLIENT_SECRET="+r.secret, "LANG=en_GB.UTF-8",
		"CEZANNE_E2E_BROWSER_LOG="+r.opened, "CEZANNE_E2E_APP="+r.bin), extraEnv...)
	return r
}

// installBrowser puts testdata/xdg-open.sh as xdg-open in a directory of
// its own, which it returns for PATH: the "browser" plays the person with
// the sandbox robot and records in r.opened that it was asked to open
// something (browser.log in the test output).
func (r *desktopRun) installBrowser() string {
	r.t.Helper()
	script, err := os.ReadFile(filepath.Join("testdata", "xdg-open.sh"))
	if err != nil {
		r.t.Fatal(err)
	}
	fakeBin := filepath.Join(r.work, "fakebin")
	r.opened = filepath.Join(r.work, "opened.log")
	if err := os.MkdirAll(fakeBin, 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fakeBin, "xdg-open"), script, 0o755); err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() {
		if b, err := os.ReadFile(r.opened); err == nil {
			_ = os.WriteFile(filepath.Join(r.out, "browser.log"), b, 0o644)
		}
	})
	return fakeBin
}

// launch starts the app; its log is saved under the test output.
func (r *desktopRun) launch(name string, args ...string) (*exec.Cmd, *logWatcher) {
	cmd := exec.CommandContext(r.ctx, r.bin, args...)
	cmd.Env = r.env
	w := watch(r.t, cmd)
	if err := cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	r.launches = append(r.launches, name)
	r.t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		_ = os.WriteFile(filepath.Join(r.out, "app-"+name+".log"), []byte(w.text()), 0o644)
	})
	return cmd, w
}

// stop ends the app as a person closing it would (SIGINT), or kills it.
func stop(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

func (r *desktopRun) browserOpens() int {
	b, _ := os.ReadFile(r.opened)
	return strings.Count(string(b), "opened\n")
}

// peopleRequests lists the $skip of every People request the sandbox logged.
func (r *desktopRun) peopleRequests() []int {
	var skips []int
	for _, line := range strings.Split(r.sbLog.String(), "\n") {
		if !strings.Contains(line, "path=/CezanneOnDemand/DataService.svc/People ") {
			continue
		}
		skip := 0
		if i := strings.Index(line, "%24skip="); i >= 0 {
			fmt.Sscanf(line[i+len("%24skip="):], "%d", &skip)
		}
		skips = append(skips, skip)
	}
	return skips
}

// assertNoSecretsLeaked scans every log and preference file of the run for
// the client secret and for anything shaped like a token or code.
func (r *desktopRun) assertNoSecretsLeaked() {
	r.t.Helper()
	var all strings.Builder
	all.WriteString(r.sbLog.String())
	_ = filepath.Walk(r.home, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			b, _ := os.ReadFile(p)
			all.Write(b)
		}
		return nil
	})
	for _, name := range r.launches {
		b, _ := os.ReadFile(filepath.Join(r.out, "app-"+name+".log"))
		all.Write(b)
	}
	b, _ := os.ReadFile(r.opened)
	all.Write(b)
	// The traces written (JSON, Markdown), not the screenshots of the
	// trace tab, whose compressed pixels once held "gAAAAA".
	traces, _ := filepath.Glob(filepath.Join(r.out, "trace-*"))
	for _, p := range traces {
		if strings.HasSuffix(p, ".png") {
			continue
		}
		b, _ := os.ReadFile(p)
		all.Write(b)
	}
	text := all.String()
	if len(text) < 1000 {
		r.t.Fatalf("only %d bytes of logs and preferences to scan; the scan would prove nothing", len(text))
	}
	for _, leak := range []string{r.secret, "gAAAA", "qZR6!I", "qZR6%21I", "Pzw5!I", "Pzw5%21I"} {
		if strings.Contains(text, leak) {
			r.t.Errorf("a secret or token (%.6s…) appears in logs or preferences", leak)
		}
	}
}

// awaitStep waits until make test's runner says the step behind env has
// ended (internal/testrun: env names a file it writes then, "ok" or why
// not), and fails the test when the step did not pass. The runner starts
// every test at once with the steps, so a test that needs what a step
// makes (the packages) waits here rather than finding it half written or
// left from an earlier run. Without env (go test by hand, make bench)
// the step ran before the tests, and there is nothing to wait for.
func awaitStep(t *testing.T, env string) {
	t.Helper()
	file := os.Getenv(env)
	if file == "" {
		return
	}
	// Bounded, should the runner die: it writes the file however the step
	// ends, and a cold Windows cross-build takes about 5 minutes.
	if err := awaitStepFile(file, time.Now().Add(20*time.Minute)); err != nil {
		t.Fatalf("%s: %v", env, err)
	}
}

// awaitStepFile waits for the runner's file of a step: nil once it says
// "ok", an error once it says anything else or the deadline passes.
func awaitStepFile(file string, deadline time.Time) error {
	for {
		b, err := os.ReadFile(file)
		if err == nil {
			if said := strings.TrimSpace(string(b)); said != "ok" {
				return fmt.Errorf("the step this test needs did not pass: %s", said)
			}
			return nil
		}
		if !os.IsNotExist(err) || time.Now().After(deadline) {
			return fmt.Errorf("no word from the step this test needs (%s): %v", file, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestAwaitStepFile: a test that needs a step's output waits for the
// runner's word, goes on at "ok", and fails with the runner's reason or
// when no word comes. No desktop needed.
func TestAwaitStepFile(t *testing.T) {
	for _, tc := range []struct {
		name  string
		write string        // what the runner writes
		after time.Duration // and when (-1: never)
		fails string        // "" or a part of the error
	}{
		{"ok already", "ok\n", 0, ""},
		{"ok later", "ok\n", 300 * time.Millisecond, ""},
		{"step failed", "packages did not pass\n", 0, "packages did not pass"},
		{"no word", "", -1, "no word"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "packages.done")
			if tc.after >= 0 {
				time.AfterFunc(tc.after, func() { _ = os.WriteFile(file, []byte(tc.write), 0o644) })
			}
			// Long enough for a busy machine to run the write above.
			deadline := time.Now().Add(time.Minute)
			if tc.after < 0 {
				deadline = time.Now().Add(500 * time.Millisecond)
			}
			err := awaitStepFile(file, deadline)
			if (tc.fails == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.fails)) {
				t.Errorf("awaitStepFile: %v, want an error with %q", err, tc.fails)
			}
		})
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestRunDeadline: what a test starts lives as long as the test binary
// may, not a fixed few minutes that a busy machine outlasts, and never
// gets an expired context.
func TestRunDeadline(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name     string
		deadline time.Time
		ok       bool
		want     time.Time
	}{
		{"no deadline", time.Time{}, false, now.Add(10 * time.Minute)},
		{"make test's 30 minutes", now.Add(30 * time.Minute), true, now.Add(29 * time.Minute)},
		{"a deadline under a minute away", now.Add(30 * time.Second), true, now.Add(5 * time.Minute)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := runDeadline(now, tc.deadline, tc.ok); !got.Equal(tc.want) {
				t.Fatalf("runDeadline = %v, want %v", got, tc.want)
			}
		})
	}
}
