package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// patchedFunc is the function third_party/fyne/_patched/loop.go adds to
// Fyne's run loop: found in a binary, the binary was built with the patch.
const patchedFunc = "fyne.io/fyne/v2/internal/driver/glfw.runWaitingFuncs"

// TestAppHasFyneRunLoopPatch: the app make builds runs Fyne's loop with the
// patch of third_party/fyne (a fyne.Do waits for at most one frame). The
// Makefile's workspace is what puts it there, and nothing else would tell
// if a change to the Makefile or to workspace.sh left it out: the app
// would still work, its stalls up to 86 ms again.
func TestAppHasFyneRunLoopPatch(t *testing.T) {
	if os.Getenv("CEZANNE_BIN") == "" && os.Getenv("GOWORK") == "" {
		t.Skip("the app as make builds it: run through make test, or set CEZANNE_BIN to an app make built, or GOWORK to bin/go.work")
	}
	bin := appBinary(t)
	out, err := exec.Command("go", "tool", "nm", bin).CombinedOutput()
	if err != nil {
		t.Fatalf("go tool nm %s: %v\n%s", bin, err, out)
	}
	if !strings.Contains(string(out), " "+patchedFunc+"\n") {
		t.Errorf("%s has no %s: built without third_party/fyne's workspace", bin, patchedFunc)
	}
	checkPatchedBuildInfo(t, bin)
}

// TestWindowsExeHasFyneRunLoopPatch: the .exe in the installer was built
// in a workspace of its own (make package-windows builds from a copy of
// the source); it is stripped of symbols, so its build information says.
func TestWindowsExeHasFyneRunLoopPatch(t *testing.T) {
	setup := packageFile(t, "CEZANNE_SETUP")
	checkPatchedBuildInfo(t, filepath.Join(filepath.Dir(setup), "windows", "cezanne-desktop.exe"))
}

// checkPatchedBuildInfo fails unless bin's build information has Fyne
// replaced by the workspace's patched copy, named by a path relative to
// the workspace: no builder's folder in a shipped binary.
func checkPatchedBuildInfo(t *testing.T, bin string) {
	t.Helper()
	info, err := exec.Command("go", "version", "-m", bin).CombinedOutput()
	if err != nil {
		t.Fatalf("go version -m %s: %v\n%s", bin, err, info)
	}
	if !strings.Contains(string(info), "=>\t./fyne-v2.7.1-patched\t") {
		t.Errorf("%s: the build information does not name Fyne's patched copy as ./fyne-v2.7.1-patched:\n%s", bin, info)
	}
}

// TestFyneWorkspace: workspace.sh makes a workspace whose Fyne differs from
// the released module by the lines the patch adds and nothing else, and
// whose go.work names this module and the copy by relative paths; run
// again, it leaves the copy alone.
func TestFyneWorkspace(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join("..", "third_party", "fyne", "workspace.sh")
	stamp := filepath.Join(dir, "fyne-v2.7.1-patched", ".patched")
	var made []time.Time
	for range 2 {
		cmd := exec.Command(script, dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s %s: %v\n%s", script, dir, err, out)
		}
		fi, err := os.Stat(stamp)
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, fi.ModTime())
	}
	if !made[0].Equal(made[1]) {
		t.Errorf("the second run made the copy again (%v, then %v)", made[0], made[1])
	}
	work, err := os.ReadFile(filepath.Join(dir, "go.work"))
	if err != nil {
		t.Fatal(err)
	}
	root, _ := filepath.Abs("..")
	rel, _ := filepath.Rel(dir, root)
	for _, want := range []string{"use " + rel + "\n", "replace fyne.io/fyne/v2 v2.7.1 => ./fyne-v2.7.1-patched\n"} {
		if !strings.Contains(string(work), want) {
			t.Errorf("go.work lacks %q:\n%s", want, work)
		}
	}

	mod := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "fyne.io/fyne/v2")
	mod.Env = append(os.Environ(), "GOWORK=off")
	released, err := mod.Output()
	if err != nil {
		t.Fatalf("go list -m fyne.io/fyne/v2: %v", err)
	}
	loop := filepath.Join("internal", "driver", "glfw", "loop.go")
	original := filepath.Join(strings.TrimSpace(string(released)), loop)
	patched := filepath.Join(dir, "fyne-v2.7.1-patched", loop)
	checkPatchDiff(t, original, patched)
}

// checkPatchDiff fails unless patched differs from Fyne's original file by
// added lines and the removal of replacedByPatch, in that order, only, with
// both of the patch's functions in it.
func checkPatchDiff(t *testing.T, original, patched string) {
	t.Helper()
	// diff exits 1 when the files differ, as they must.
	diff, _ := exec.Command("diff", original, patched).Output()
	var added int
	var removed []string
	for _, l := range strings.Split(strings.TrimSpace(string(diff)), "\n") {
		switch {
		case strings.HasPrefix(l, "> "):
			added++
		case strings.HasPrefix(l, "< "):
			removed = append(removed, strings.TrimPrefix(l, "< "))
		}
	}
	if got := strings.Join(removed, "\n"); got != replacedByPatch {
		t.Errorf("the patch removes or changes lines of Fyne's loop.go other than those it replaces:\n%s\nwant removed:\n%s", got, replacedByPatch)
	}
	if added == 0 || !strings.Contains(string(diff), "func runWaitingFuncs()") || !strings.Contains(string(diff), "func shutDownQueue(") {
		t.Errorf("the copy's loop.go is not the patched one; diff:\n%s", diff)
	}
}

// replacedByPatch are the lines of Fyne's loop.go the patch replaces (its
// README says why), in order: the check before a function is queued, now
// made with the queue held, and the shutdown's queueing of the stopped
// hook and release of the queue, now shutDownQueue. Every other line of
// the released file is kept.
const replacedByPatch = "\tif (!running.Load() && async.IsMainGoroutine()) || drained.Load() {\n" +
	"\t\t\tif f := l.OnStopped(); f != nil {\n" +
	"\t\t\t\tl.QueueEvent(f)\n" +
	"\t\t\t}\n" +
	"\n" +
	"\t\t\t// as we are shutting down make sure we drain the pending funcQueue and close it out.\n" +
	"\t\t\tfor len(funcQueue.Out()) > 0 {\n" +
	"\t\t\t\tf := <-funcQueue.Out()\n" +
	"\t\t\t\tif f.done != nil {\n" +
	"\t\t\t\t\tf.done <- struct{}{}\n" +
	"\t\t\t\t}\n" +
	"\t\t\t}\n" +
	"\t\t\tdrained.Store(true)\n" +
	"\t\t\tfuncQueue.Close()"
