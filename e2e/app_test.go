package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox/sandboxtest"
)

// buildTags are the Makefile's TAGS: the app and the empty-window baseline
// are built alike, so their memory compares.
const buildTags = "migrated_fynedo,no_emoji"

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
	cmd := exec.Command("go", "build", "-tags", buildTags, "-o", bin, ".")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// logWatcher collects a process's stderr and waits for lines in it.
type logWatcher struct {
	mu    sync.Mutex
	lines []string
	cond  *sync.Cond
}

func watch(t *testing.T, cmd *exec.Cmd) *logWatcher {
	t.Helper()
	w := &logWatcher{}
	w.cond = sync.NewCond(&w.mu)
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(pipe)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			w.mu.Lock()
			w.lines = append(w.lines, sc.Text())
			w.cond.Broadcast()
			w.mu.Unlock()
		}
		w.mu.Lock()
		w.lines = append(w.lines, "<exited>")
		w.cond.Broadcast()
		w.mu.Unlock()
	}()
	return w
}

// waitFor blocks until a line contains want, failing on a line with
// state=error or after the timeout.
func (w *logWatcher) waitFor(t *testing.T, want string, timeout time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	go func() { time.Sleep(timeout); w.mu.Lock(); w.cond.Broadcast(); w.mu.Unlock() }()
	w.mu.Lock()
	defer w.mu.Unlock()
	for seen := 0; ; {
		for ; seen < len(w.lines); seen++ {
			l := w.lines[seen]
			if strings.Contains(l, want) {
				return l
			}
			if strings.Contains(l, "state=error") || l == "<exited>" {
				t.Fatalf("waiting for %q, got %q\n%s", want, l, strings.Join(w.lines, "\n"))
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q within %v:\n%s", want, timeout, strings.Join(w.lines, "\n"))
		}
		w.cond.Wait()
	}
}

func (w *logWatcher) text() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Join(w.lines, "\n")
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

func newDesktopRun(t *testing.T, name string, extraEnv ...string) *desktopRun {
	return newDesktopRunPeople(t, name, 2000, extraEnv...)
}

func newDesktopRunPeople(t *testing.T, name string, people int, extraEnv ...string) *desktopRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
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

	// The "browser": xdg-open plays the person with the sandbox robot and
	// records that it was asked to open something.
	fakeBin := filepath.Join(r.work, "fakebin")
	r.opened = filepath.Join(r.work, "opened.log")
	if err := os.MkdirAll(fakeBin, 0o755); err != nil {
		t.Fatal(err)
	}
	// A link of another scheme (x-cez://) goes to the handler registered in
	// mimeapps.list and its .desktop file, as xdg-open does.
	writeFile(t, filepath.Join(fakeBin, "xdg-open"), fmt.Sprintf(`#!/bin/sh
case "$1" in
http*)
	echo "opened" >> %[1]q
	exec %[2]q sandbox approve --hand-off "$1" >> %[1]q 2>&1 ;;
*)
	scheme="${1%%%%:*}"
	desktop=$(sed -n "s|^x-scheme-handler/$scheme=\([^;]*\).*|\1|p" "$XDG_CONFIG_HOME/mimeapps.list")
	[ -n "$desktop" ] || { echo "no handler for $scheme" >> %[1]q; exit 4; }
	cmd=$(sed -n 's|^Exec=\(.*\) %%u$|\1|p' "$XDG_DATA_HOME/applications/$desktop")
	echo "link handed to $cmd" >> %[1]q
	exec $cmd "$1" >> %[1]q 2>&1 ;;
esac
`, r.opened, r.bin))
	if err := os.Chmod(filepath.Join(fakeBin, "xdg-open"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if b, err := os.ReadFile(r.opened); err == nil {
			_ = os.WriteFile(filepath.Join(r.out, "browser.log"), b, 0o644)
		}
	})
	r.home = filepath.Join(r.work, "home")
	r.desc = desc
	r.env = append(append(os.Environ(), "HOME="+r.home, "XDG_CONFIG_HOME="+filepath.Join(r.home, ".config"),
		"XDG_DATA_HOME="+filepath.Join(r.home, ".local", "share"), "XDG_RUNTIME_DIR="+filepath.Join(r.work, "run"),
		"PATH="+fakeBin+":"+os.Getenv("PATH"), "CEZANNE_CLIENT_SECRET="+r.secret, "LANG=en_GB.UTF-8"), extraEnv...)
	return r
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

func (r *desktopRun) screenshot(name string) string {
	r.t.Helper()
	time.Sleep(1500 * time.Millisecond) // let the window paint
	shot := filepath.Join(r.out, name)
	if b, err := exec.Command("import", "-window", "root", shot).CombinedOutput(); err != nil {
		r.t.Fatalf("screenshot: %v %s", err, b)
	}
	if st, err := os.Stat(shot); err != nil || st.Size() < 10_000 {
		r.t.Fatalf("screenshot missing or blank: %v", err)
	}
	r.t.Logf("screenshot: %s", shot)
	return shot
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
	traces, _ := filepath.Glob(filepath.Join(r.out, "trace-*"))
	for _, p := range traces {
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

// TestAppSignsInUnderXvfb launches the real binary in a window against the
// standalone sandbox, with xdg-open replaced by a script that plays the
// browser. It must end signed in with the People table showing; a relaunch
// with the same profile, and one with none, must sign in from the keyring
// without opening the browser.
func TestAppSignsInUnderXvfb(t *testing.T) {
	requireDesktop(t, true)
	r := newDesktopRun(t, "keyring")

	traceFile := filepath.Join(r.out, "trace-first.json")
	first, w := r.launch("first", "--profile", r.profile, "--sign-in", "--trace-out", traceFile)
	w.waitFor(t, "state=signed-in", 60*time.Second)
	loaded := w.waitFor(t, "state=people-loaded", 10*time.Second)
	if !strings.Contains(loaded, "rows=200") || !strings.Contains(loaded, "total=2000") {
		t.Fatalf("People table: %s", loaded)
	}
	r.screenshot("signed-in.png")
	if b, _ := os.ReadFile(r.opened); r.browserOpens() != 1 || !strings.Contains(string(b), "app answered: HTTP 200") {
		t.Fatalf("browser log: %s", b)
	}
	// Ctrl+T shows the flow trace tab.
	xdo(t, "search", "--name", "Cezanne HR Desktop", "windowfocus", "--sync", "key", "ctrl+t")
	time.Sleep(1500 * time.Millisecond)
	// The token response row (the fifth step) for the evidence picture.
	xdo(t, "mousemove", "460", "312", "click", "1")
	time.Sleep(800 * time.Millisecond)
	r.screenshot("trace-tab.png")
	stop(first) // Ctrl+C: the trace is written on the way out
	w.waitFor(t, "flow trace written", 5*time.Second)
	checkTraceFile(t, traceFile)

	// Relaunch three times (the sandbox rotates refresh tokens, so each
	// launch must find the newest one), with the profile and without.
	for i, args := range [][]string{{"--profile", r.profile}, nil, nil} {
		cmd, w := r.launch(fmt.Sprintf("relaunch-%d", i+1), args...)
		w.waitFor(t, "signed in from the keyring", 30*time.Second)
		w.waitFor(t, "state=people-loaded", 15*time.Second)
		stop(cmd)
		if r.browserOpens() != 1 {
			t.Fatalf("relaunch %d opened the browser again", i+1)
		}
	}
	r.assertNoSecretsLeaked()
}

// checkTraceFile: --trace-out wrote the whole run: the browser sign-in's
// steps, TokenInfo, then the API calls, with secrets redacted.
func checkTraceFile(t *testing.T, path string) {
	t.Helper()
	meta, steps := readTraceFile(t, path)
	want := "authorize_url,browser_opened,callback,token_request,token_response,outcome,tokeninfo,api_call"
	if got := kinds(steps); !strings.HasPrefix(got, want) {
		t.Fatalf("trace steps %s, want them to start %s", got, want)
	}
	if meta.App != "Cezanne HR Desktop" || meta.Version == "" || meta.Profile == nil || meta.OS == "" {
		t.Fatalf("trace meta %+v", meta)
	}
}

// TestAppWithoutKeyring: no Secret Service at all. The app must say so
// plainly, sign in for the session only, and write nothing to disk.
func TestAppWithoutKeyring(t *testing.T) {
	requireDesktop(t, true)
	r := newDesktopRun(t, "no-keyring", "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus")

	cmd, w := r.launch("no-keyring", "--profile", r.profile, "--sign-in")
	w.waitFor(t, "state=no-keyring", 30*time.Second)
	w.waitFor(t, "session_only=true", 10*time.Second)
	w.waitFor(t, "state=people-loaded", 60*time.Second)
	r.screenshot("signed-in-session-only.png")
	stop(cmd)

	// Nothing was kept: the next launch needs the browser again.
	cmd, w = r.launch("no-keyring-again", "--profile", r.profile)
	w.waitFor(t, "state=no-keyring", 30*time.Second)
	w.waitFor(t, "state=form", 10*time.Second)
	stop(cmd)
	r.assertNoSecretsLeaked()
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

// TestPeopleBrowser50kScrolledToMiddle: 50,000 people in a real window.
// Dragging the scrollbar to the middle must fetch only the pages around
// the rows shown (at most 3 requests), and the screenshot shows them.
func TestPeopleBrowser50kScrolledToMiddle(t *testing.T) {
	requireDesktop(t, true)
	r := newDesktopRunPeople(t, "people-50k", 50000)
	cmd, w := r.launch("people-50k", "--profile", r.profile, "--sign-in", "--session-only")
	loaded := w.waitFor(t, "state=people-loaded", 60*time.Second)
	if !strings.Contains(loaded, "rows=50000") {
		t.Fatalf("People: %s", loaded)
	}
	r.screenshot("people-50k-top.png")
	before := len(r.peopleRequests())

	x, height := scrollbarX(t)
	xdo := func(args ...string) { xdo(t, args...) }
	// The bar is a few pixels wide: try positions around the estimate until
	// one drag takes hold (each failed try leaves the table where it was).
	var after []int
	for _, dx := range []int{0, -3, 3, -6, 6, -9} {
		xdo("mousemove", fmt.Sprint(x+dx), "300")
		time.Sleep(400 * time.Millisecond)
		xdo("mousemove", fmt.Sprint(x+dx), fmt.Sprint(scrollTopY), "mousedown", "1")
		time.Sleep(200 * time.Millisecond)
		xdo("mousemove", fmt.Sprint(x+dx), "250") // passing over, as a drag does
		time.Sleep(30 * time.Millisecond)
		xdo("mousemove", fmt.Sprint(x+dx), fmt.Sprint((scrollTopY-6+height)/2))
		time.Sleep(200 * time.Millisecond)
		xdo("mouseup", "1")
		time.Sleep(1500 * time.Millisecond)
		if after = r.peopleRequests()[before:]; len(after) > 0 {
			break
		}
	}
	r.screenshot("people-50k-middle.png")
	after = r.peopleRequests()[before:]
	t.Logf("page requests after scrolling to the middle: %v", after)
	if len(after) == 0 || len(after) > 3 {
		t.Fatalf("%d page requests for one scroll (skips %v), want 1 to 3", len(after), after)
	}
	for _, skip := range after {
		if skip < 15000 || skip > 35000 {
			t.Fatalf("fetched rows from %d, not around the middle", skip)
		}
	}
	stop(cmd)
}

// TestFigureBrowseRSS (make bench): the app in a real window browses all
// 50,000 people — the scrollbar is dragged from top to bottom a few pixels
// at a time, pausing so every page is shown — and the app process's peak
// resident memory is reported.
func TestFigureBrowseRSS(t *testing.T) {
	if os.Getenv("CEZANNE_FIGURES") != "1" {
		t.Skip("set CEZANNE_FIGURES=1 (make bench) to measure the figures")
	}
	requireDesktop(t, true)
	r := newDesktopRunPeople(t, "browse-50k", 50000)
	cmd, w := r.launch("browse-50k", "--profile", r.profile, "--sign-in", "--session-only")
	w.waitFor(t, "state=people-loaded", 60*time.Second)
	time.Sleep(time.Second)
	loadedMB := procMB(t, cmd.Process.Pid, "VmRSS:")
	x, height := scrollbarX(t)
	// Find the bar: a short drag from the top must bring a new page.
	found := false
	for _, dx := range []int{0, -3, 3, -6, 6, -9} {
		before := len(r.peopleRequests())
		xdo(t, "mousemove", fmt.Sprint(x+dx), "300")
		time.Sleep(400 * time.Millisecond)
		xdo(t, "mousemove", fmt.Sprint(x+dx), fmt.Sprint(scrollTopY), "mousedown", "1")
		xdo(t, "mousemove", fmt.Sprint(x+dx), fmt.Sprint(scrollTopY+5))
		time.Sleep(600 * time.Millisecond)
		xdo(t, "mouseup", "1")
		time.Sleep(300 * time.Millisecond)
		if len(r.peopleRequests()) > before {
			x, found = x+dx, true
			break
		}
	}
	if !found {
		t.Fatal("could not grab the table's scrollbar")
	}
	xdo(t, "mousemove", fmt.Sprint(x), "300")
	time.Sleep(400 * time.Millisecond)
	xdo(t, "mousemove", fmt.Sprint(x), fmt.Sprint(scrollTopY+5), "mousedown", "1")
	bottom := height - 8
	for y := scrollTopY + 5; y <= bottom; y++ {
		xdo(t, "mousemove", fmt.Sprint(x), fmt.Sprint(y))
		time.Sleep(110 * time.Millisecond) // long enough for the page to be fetched and shown
	}
	xdo(t, "mouseup", "1")
	time.Sleep(time.Second)
	skips := r.peopleRequests()
	seen := map[int]bool{}
	for _, s := range skips {
		seen[s/200] = true
	}
	rss := procMB(t, cmd.Process.Pid, "VmHWM:")
	glMB := softwareGLMB(t, cmd.Process.Pid)
	r.screenshot("browse-50k-bottom.png")
	stop(cmd)
	// The window alone, with the first page, already holds what Fyne and the
	// software OpenGL of Xvfb (Mesa llvmpipe) need; the growth is what
	// browsing added.
	fmt.Printf("figure browse_rss_mb %.0f\n", rss)
	fmt.Printf("figure browse_rss_first_page_mb %.0f\n", loadedMB)
	fmt.Printf("figure browse_rss_growth_mb %.0f\n", rss-loadedMB)
	// Without a GPU, Mesa rasterises in software: its JIT (libLLVM) and
	// driver pages are resident in our process. A GPU driver keeps far less.
	fmt.Printf("figure browse_rss_software_gl_mb %.0f\n", glMB)
	baseline := emptyWindowRSS(t)
	fmt.Printf("figure fyne_empty_window_rss_mb %.0f\n", baseline)
	fmt.Printf("figure browse_rss_over_empty_window_mb %.0f\n", rss-baseline)
	fmt.Printf("figure browse_rss_without_software_gl_mb %.0f\n", rss-glMB)
	fmt.Printf("figure browse_pages_shown %d\n", len(seen))
	// One pixel of scrollbar is more than a page of rows, so a drag cannot
	// stop on every page; it must still cover the set from top to bottom.
	t.Logf("%d page requests covering %d of 250 pages", len(skips), len(seen))
	if len(seen) < 190 || !seen[0] || !seen[249] {
		t.Fatalf("the drag showed only %d of 250 pages", len(seen))
	}
	if rss-loadedMB >= 150 {
		t.Errorf("browsing grew the app by %.0f MB, budget 150", rss-loadedMB)
	}
}

// procMB reads a memory line (VmRSS:, VmHWM:) of a process's status, in MB.
func procMB(t *testing.T, pid int, key string) float64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, key) {
			var kb int
			fmt.Sscanf(strings.TrimPrefix(l, key), "%d", &kb)
			return float64(kb) / 1024
		}
	}
	t.Fatalf("no %s in /proc/%d/status", key, pid)
	return 0
}

// emptyWindowRSS builds and shows a one-label Fyne window of the app's size
// (e2e/testdata/emptywindow) on the same display, and returns its resident
// memory once drawn: the floor under any Fyne app here.
func emptyWindowRSS(t *testing.T) float64 {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "emptywindow")
	build := exec.Command("go", "build", "-tags", buildTags, "-o", bin, "./testdata/emptywindow")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the baseline window: %v\n%s", err, out)
	}
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "LANG=en_GB.UTF-8")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	time.Sleep(6 * time.Second) // drawn, and settled
	return procMB(t, cmd.Process.Pid, "VmHWM:")
}

// softwareGLMB is how much of a process's resident memory is Mesa's
// software renderer: the pages of libLLVM, the DRI driver and the
// libraries only they load.
func softwareGLMB(t *testing.T, pid int) float64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps", pid))
	if err != nil {
		t.Fatal(err)
	}
	var kb, total int
	inGL := false
	for _, l := range strings.Split(string(b), "\n") {
		fields := strings.Fields(l)
		switch {
		case len(fields) >= 5 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":"):
			name := ""
			if len(fields) >= 6 {
				name = fields[5]
			}
			inGL = strings.Contains(name, "libLLVM") || strings.HasSuffix(name, "_dri.so") ||
				strings.Contains(name, "libgallium") || strings.Contains(name, "libz3")
		case len(fields) >= 2 && fields[0] == "Rss:" && inGL:
			fmt.Sscanf(fields[1], "%d", &kb)
			total += kb
		}
	}
	return float64(total) / 1024
}

// scrollTopY is where the People table's scrollbar starts in a 1400×900
// window: below the top bar, the People/Flow trace tabs, the search row and
// the column headers.
const scrollTopY = 177

// scrollbarX estimates where the People table's vertical scrollbar is: at
// the right edge of the table, which the two splits (0.24 and 0.74) place at
// about 80% of the window's width. It also returns the window's height.
func scrollbarX(t *testing.T) (int, int) {
	t.Helper()
	out, err := exec.Command("xdotool", "search", "--name", "Cezanne HR Desktop", "getwindowgeometry", "--shell").Output()
	if err != nil {
		t.Fatalf("xdotool: %v", err)
	}
	var width, height int
	for _, l := range strings.Split(string(out), "\n") {
		fmt.Sscanf(l, "WIDTH=%d", &width)
		fmt.Sscanf(l, "HEIGHT=%d", &height)
	}
	return int(float64(width)*(0.24+0.76*0.74)) - 6, height
}

func xdo(t *testing.T, args ...string) {
	t.Helper()
	if b, err := exec.Command("xdotool", args...).CombinedOutput(); err != nil {
		t.Fatalf("xdotool %v: %v %s", args, err, b)
	}
}

// syncBuffer is a bytes.Buffer that a running process may write to while
// the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
