package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMakeRunWithoutDisplayLeavesNothing runs `make run` as a newcomer does
// on a machine with no display (a container, SSH): the app opens on a
// virtual display, the person looks at it, then ends it. However it ends,
// nothing `make run` started may outlive it: not the Xvfb, not a D-Bus
// daemon, not a gnome-keyring-daemon. Every process make starts inherits a
// marker in its environment, so the leftovers are found by that marker,
// whoever their parent is by then.
func TestMakeRunWithoutDisplayLeavesNothing(t *testing.T) {
	requireDesktop(t, true)
	for _, tt := range []struct {
		name string
		end  func(t *testing.T, run *makeRun, marker string)
	}{
		// The terminal sends Ctrl+C to its whole foreground process group.
		{"Ctrl+C", func(t *testing.T, run *makeRun, _ string) { signalGroup(t, run.cmd, syscall.SIGINT) }},
		// Closing the terminal sends SIGHUP, which Xvfb takes as "reset".
		{"terminal closed", func(t *testing.T, run *makeRun, _ string) { signalGroup(t, run.cmd, syscall.SIGHUP) }},
		// The app ends on its own (its window closed): make returns.
		{"app ended", func(t *testing.T, _ *makeRun, marker string) {
			app := markedProcesses(marker, "cezanne-desktop")
			if len(app) != 1 {
				t.Fatalf("want one app process, found %v", app)
			}
			if err := syscall.Kill(app[0].pid, syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
		}},
		// A process manager or CI stops make alone.
		{"make stopped", func(t *testing.T, run *makeRun, _ string) { _ = run.cmd.Process.Signal(syscall.SIGTERM) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			marker := fmt.Sprintf("%d-%d", os.Getpid(), time.Now().UnixNano())
			run := startMakeRun(t, marker)
			run.out.waitFor(t, "state=form", 5*time.Minute)
			appKeepsPersonsLocale(t, marker)
			shot := filepath.Join(outputDir(t), "make-run", strings.ReplaceAll(tt.name, " ", "-")+".png")
			screenshotDisplay(t, run.out.text(), shot)

			tt.end(t, run, marker)
			run.waitExit(t, marker, 30*time.Second)
			if left := waitNoMarkedProcesses(marker, 10*time.Second); len(left) > 0 {
				t.Errorf("still running after make run ended:\n%v\nmake run said:\n%s", left, run.out.text())
			}
			// The app ends before its display: no X error for the person.
			if said := run.out.text(); strings.Contains(said, "XIO") || strings.Contains(said, "user locale") {
				t.Errorf("the display went before the app, or Fyne could not read the locale:\n%s", said)
			}
		})
	}
}

// makeRun is a `make run` the test started.
type makeRun struct {
	cmd    *exec.Cmd
	out    *logWatcher   // what make and everything under it said
	exited chan struct{} // closed once make has exited: cmd.Wait is called once, by startMakeRun
}

// startMakeRun starts `make run` in its own process group with no display,
// no D-Bus session and a fresh home (the demo tenant), every process of it
// marked by marker. Whatever is left at the end is killed, by the marker.
func startMakeRun(t *testing.T, marker string) *makeRun {
	t.Helper()
	// Short: the app's single-instance socket lives under it.
	home, err := os.MkdirTemp("", "mkrun")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(home) })
	// A newcomer's container or SSH session: Debian's C.UTF-8.
	env := []string{"CEZANNE_MAKE_RUN_TEST=" + marker, "HOME=" + home, "LANG=C.UTF-8",
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "XDG_DATA_HOME=" + filepath.Join(home, ".local", "share"),
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache")}
	// The Go caches stay where they are: a fresh home would mean a cold build.
	for _, v := range []string{"GOCACHE", "GOMODCACHE", "GOPATH"} {
		out, err := exec.Command("go", "env", v).Output()
		if err != nil {
			t.Fatalf("go env %s: %v", v, err)
		}
		env = append(env, v+"="+strings.TrimSpace(string(out)))
	}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "GNOME_KEYRING_CONTROL", "XDG_RUNTIME_DIR",
			"LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE",
			"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "MAKEFLAGS", "MFLAGS", "MAKELEVEL":
		default:
			env = append(env, kv)
		}
	}
	// A binary of its own: the other e2e packages run bin/cezanne-desktop
	// while this test runs, and make run rebuilds its BIN.
	cmd := exec.Command("make", "--no-print-directory", "run", "BIN=bin/make-run/cezanne-desktop")
	cmd.Dir = ".."
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// A pipe of the test's own: read to its end, which comes once make and
	// everything under it are gone, however soon make's Wait returns.
	// (exec's StderrPipe is closed by Wait: what was not read yet is lost.)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = w, w
	run := &makeRun{cmd: cmd, out: watchReader(r), exited: make(chan struct{})}
	err = cmd.Start()
	_ = w.Close()
	if err != nil {
		_ = r.Close()
		t.Fatal(err)
	}
	go func() { _ = cmd.Wait(); close(run.exited) }()
	t.Cleanup(func() {
		for _, p := range markedProcesses(marker, "") {
			_ = syscall.Kill(p.pid, syscall.SIGKILL)
		}
		_ = cmd.Process.Kill()
		<-run.exited
		run.out.waitEnded(5 * time.Second)
		_ = r.Close()
		_ = os.WriteFile(filepath.Join(outputDir(t), "make-run", "make-run-"+marker+".log"), []byte(run.out.text()), 0o644)
	})
	return run
}

// appKeepsPersonsLocale: make run hands the app the person's locale (the
// tests' en_GB is theirs alone), so its dates and words follow the person.
func appKeepsPersonsLocale(t *testing.T, marker string) {
	t.Helper()
	app := markedProcesses(marker, "cezanne-desktop")
	if len(app) != 1 {
		t.Fatalf("want one app process, found %v", app)
	}
	environ, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", app[0].pid))
	if err != nil {
		t.Fatal(err)
	}
	if !environHas(environ, "LANG=C.UTF-8") {
		t.Errorf("the app runs with LANG=%s, not the person's C.UTF-8", langOf(environ))
	}
}

// environHas says whether a process's environ (/proc/<pid>/environ, NUL
// separated) holds the variable kv, "NAME=value".
func environHas(environ []byte, kv string) bool {
	return bytes.Contains(append([]byte{0}, environ...), []byte("\x00"+kv+"\x00"))
}

func langOf(environ []byte) string {
	for _, kv := range strings.Split(string(environ), "\x00") {
		if v, ok := strings.CutPrefix(kv, "LANG="); ok {
			return v
		}
	}
	return "(unset)"
}

// signalGroup sends sig to every process in make's process group, as a
// terminal does to its foreground job.
func signalGroup(t *testing.T, cmd *exec.Cmd, sig syscall.Signal) {
	t.Helper()
	if err := syscall.Kill(-cmd.Process.Pid, sig); err != nil {
		t.Fatal(err)
	}
}

// screenshotDisplay photographs the display make run said it uses.
func screenshotDisplay(t *testing.T, said, shot string) {
	t.Helper()
	m := regexp.MustCompile(`DISPLAY=(:[0-9]+) import`).FindStringSubmatch(said)
	if m == nil {
		t.Fatalf("make run did not say which display to photograph:\n%s", said)
	}
	if err := os.MkdirAll(filepath.Dir(shot), 0o755); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond) // let the window paint
	cmd := exec.Command("import", "-window", "root", shot)
	cmd.Env = append(os.Environ(), "DISPLAY="+m[1])
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("screenshot of %s: %v %s", m[1], err, out)
	}
	t.Logf("screenshot: %s", shot)
}

// waitExit waits for make to exit. When it has not in time, the failure
// says what is still running and where each process waits; an app still
// running is sent SIGQUIT first, so that the stacks of its goroutines (Go
// prints them as it quits) are in what make run said.
func (r *makeRun) waitExit(t *testing.T, marker string, timeout time.Duration) {
	t.Helper()
	select {
	case <-r.exited:
		// What make run said last (it is checked next) is read before
		// going on; a process make left behind may hold the pipe open.
		r.out.waitEnded(5 * time.Second)
		return
	case <-time.After(timeout):
	}
	left := describeProcesses(markedProcesses(marker, ""))
	for _, p := range markedProcesses(marker, "cezanne-desktop") {
		_ = syscall.Kill(p.pid, syscall.SIGQUIT)
	}
	select {
	case <-r.exited:
		r.out.waitEnded(5 * time.Second)
	case <-time.After(5 * time.Second):
	}
	said := r.out.text()
	// Last, as a CI log's excerpt shows its end.
	t.Fatalf("make run said:\n%s\nmake run still running %v after it was ended; what still ran then (pid, state, kernel wait, command):\n%s"+
		"the app's goroutines, each where it waited (SIGQUIT):\n%s", said, timeout, left, goroutineSummary(said))
}

// goroutineSummary shortens Go's dump of its goroutines (as a program
// prints it on SIGQUIT) to a line per kind, with a count: its state and
// where it waits, the first function of its stack from outside Go's
// standard library (the first of the library's own when it has none). The
// runtime's own goroutines, and what follows the goroutines (the
// registers), are left out.
func goroutineSummary(dump string) string {
	header := regexp.MustCompile(`^goroutine \d+ .*\[(.*)\]:$`)
	frame := regexp.MustCompile(`^(\S+)\(.*\)$`)
	var order []string
	count := map[string]int{}
	var state, first, own string
	end := func() {
		where := own
		if where == "" {
			where = first
		}
		if state != "" && where != "" {
			key := "[" + state + "] " + where
			if count[key] == 0 {
				order = append(order, key)
			}
			count[key]++
		}
		state, first, own = "", "", ""
	}
	for _, line := range strings.Split(dump, "\n") {
		if m := header.FindStringSubmatch(line); m != nil {
			end()
			state = m[1]
			continue
		}
		if line == "" {
			end()
			continue
		}
		m := frame.FindStringSubmatch(line)
		if state == "" || m == nil || strings.HasPrefix(m[1], "runtime.") {
			continue
		}
		if first == "" {
			first = m[1]
		}
		if own == "" && !standardLibrary(m[1]) {
			own = m[1]
		}
	}
	end()
	var b strings.Builder
	for _, key := range order {
		fmt.Fprintf(&b, "  %d× %s\n", count[key], key)
	}
	return b.String()
}

// standardLibrary says whether a function, as a stack names it, is Go's
// own: its import path's first element has no dot (and it is not main's).
func standardLibrary(fn string) bool {
	if strings.HasPrefix(fn, "main.") {
		return false
	}
	first, _, hasSlash := strings.Cut(fn, "/")
	return !hasSlash || !strings.Contains(first, ".")
}

// describeProcesses lists processes with their state and the kernel
// function each waits in, for a failure's reader.
func describeProcesses(ps []markedProcess) string {
	var b strings.Builder
	for _, p := range ps {
		state, wchan := "?", "?"
		if f := statFields(p.pid); len(f) > 0 {
			state = f[0]
		}
		if w, err := os.ReadFile(fmt.Sprintf("/proc/%d/wchan", p.pid)); err == nil {
			wchan = string(w)
		}
		fmt.Fprintf(&b, "  %d %s %s %s\n", p.pid, state, wchan, p.cmdline)
	}
	return b.String()
}

// markedProcess is one process whose environment holds the test's marker.
type markedProcess struct {
	pid     int
	cmdline string
}

func (p markedProcess) String() string { return fmt.Sprintf("%d %s", p.pid, p.cmdline) }

// markedProcesses lists the live processes (zombies are gone already)
// whose environment holds marker and, unless exe is "", whose executable is
// called exe.
func markedProcesses(marker, exe string) []markedProcess {
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	var found []markedProcess
	for _, dir := range dirs {
		pid, err := strconv.Atoi(filepath.Base(dir))
		if err != nil || pid == os.Getpid() {
			continue
		}
		environ, err := os.ReadFile(filepath.Join(dir, "environ"))
		if err != nil || !environHas(environ, "CEZANNE_MAKE_RUN_TEST="+marker) {
			continue
		}
		if stat, _ := os.ReadFile(filepath.Join(dir, "stat")); bytes.Contains(stat, []byte(") Z ")) {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join(dir, "cmdline"))
		line := strings.TrimSpace(strings.ReplaceAll(string(cmdline), "\x00", " "))
		if path, _ := os.Readlink(filepath.Join(dir, "exe")); exe == "" || filepath.Base(path) == exe {
			found = append(found, markedProcess{pid, line})
		}
	}
	return found
}

// waitNoMarkedProcesses gives what is stopping the time to go, and returns
// what is still there after timeout.
func waitNoMarkedProcesses(marker string, timeout time.Duration) []markedProcess {
	deadline := time.Now().Add(timeout)
	for {
		left := markedProcesses(marker, "")
		if len(left) == 0 || time.Now().After(deadline) {
			return left
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestDescribeProcesses(t *testing.T) {
	sleeper := exec.Command("sleep", "30")
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = sleeper.Process.Kill(); _ = sleeper.Wait() }()
	// Asleep once it has run sleep's code (before that it is this binary, forked).
	deadline := time.Now().Add(10 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		got = describeProcesses([]markedProcess{{sleeper.Process.Pid, "sleep 30"}})
		if strings.Contains(got, " S ") {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	want := regexp.MustCompile(fmt.Sprintf(`^  %d S \S+ sleep 30\n$`, sleeper.Process.Pid))
	if !want.MatchString(got) {
		t.Errorf("describeProcesses = %q, want pid, state S, a kernel wait and the command", got)
	}
	if got := describeProcesses([]markedProcess{{1 << 30, "gone"}}); got != "  1073741824 ? ? gone\n" {
		t.Errorf("a process that is gone: %q", got)
	}
}

func TestGoroutineSummary(t *testing.T) {
	dump := `SIGQUIT: quit
goroutine 1 gp=0x1 m=nil [select, locked to thread]:
runtime.gopark(0x1?)
	runtime/proc.go:462 +0xce fp=0x1 sp=0x1 pc=0x1
fyne.io/fyne/v2/internal/driver/glfw.(*gLDriver).runGL(0xe5f140?)
	fyne.io/fyne/v2@v2.7.1/internal/driver/glfw/loop.go:129 +0x157 fp=0x1 sp=0x1 pc=0x1
main.main()
	main.go:16

goroutine 7 gp=0x2 m=nil [semacquire, 2 minutes]:
runtime.gopark(0x1?)
	runtime/proc.go:462
sync.(*RWMutex).RLock(...)
	sync/rwmutex.go:74
fyne.io/fyne/v2/internal/driver/glfw.runOnMainWithWait(0x1, 0x1)
	loop.go:47
created by fyne.io/fyne/v2/app.(*fyneApp).Run in goroutine 1
	app.go:71

goroutine 8 gp=0x3 m=nil [semacquire, 2 minutes]:
sync.(*RWMutex).RLock(...)
	sync/rwmutex.go:74
fyne.io/fyne/v2/internal/driver/glfw.runOnMainWithWait(...)
	loop.go:47

goroutine 9 gp=0x4 m=nil [select]:
main.trimEvery({0x1164fe8, 0x1d047c0}, 0x0?, 0x11520f0)
	ctrim.go:20

goroutine 10 gp=0x5 m=nil [syscall]:
runtime.notetsleepg(0x1)
	runtime/lock_futex.go:123
os/signal.signal_recv()
	runtime/sigqueue.go:152
os/signal.loop()
	os/signal/signal_unix.go:23

goroutine 11 gp=0x6 m=nil [GC worker (idle)]:
runtime.gopark(0x1?)
	runtime/proc.go:462
runtime.gcBgMarkWorker(0x1)
	runtime/mgc.go:1423

rax    0xca
rbx    0x0
`
	want := "  1× [select, locked to thread] fyne.io/fyne/v2/internal/driver/glfw.(*gLDriver).runGL\n" +
		"  2× [semacquire, 2 minutes] fyne.io/fyne/v2/internal/driver/glfw.runOnMainWithWait\n" +
		"  1× [select] main.trimEvery\n" +
		"  1× [syscall] os/signal.signal_recv\n"
	if got := goroutineSummary(dump); got != want {
		t.Errorf("goroutineSummary =\n%s\nwant\n%s", got, want)
	}

	// A real dump: the app at its form, sent SIGQUIT (Go 1.26).
	real, err := os.ReadFile(filepath.Join("testdata", "sigquit-app.txt"))
	if err != nil {
		t.Fatal(err)
	}
	got := goroutineSummary(string(real))
	for _, want := range []string{
		"  1× [select, locked to thread] fyne.io/fyne/v2/internal/driver/glfw.(*gLDriver).runGL\n",
		"] fyne.io/fyne/v2/internal/driver/glfw.(*gLDriver).catchTerm\n",
		"] github.com/cezanne-hr-desktop/cezanne-desktop/ui.(*laterPrefs).run\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the real dump's summary lacks %q:\n%s", want, got)
		}
	}
	for _, unwanted := range []string{"rax", "GC worker", "runtime.", "\t"} {
		if strings.Contains(got, unwanted) {
			t.Errorf("the real dump's summary holds %q:\n%s", unwanted, got)
		}
	}
}

func TestStandardLibrary(t *testing.T) {
	for fn, want := range map[string]bool{
		"sync.(*RWMutex).RLock":                         true,
		"os/signal.signal_recv":                         true,
		"internal/poll.(*FD).Read":                      true,
		"main.trimEvery":                                false,
		"main.(*laterPrefs).run":                        false,
		"fyne.io/fyne/v2/app.watchFile.func1":           false,
		"github.com/godbus/dbus/v5.(*Conn).inWorker":    false,
		"golang.org/x/net/http2.(*ClientConn).readLoop": false,
	} {
		if got := standardLibrary(fn); got != want {
			t.Errorf("standardLibrary(%q) = %v, want %v", fn, got, want)
		}
	}
}
