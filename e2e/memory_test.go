package e2e

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// memoryParts is a process's resident memory by where it comes from, in MB.
type memoryParts struct {
	rss, binary, gl, libs, anon float64
	// anonExec is the part of anon mapped executable: code compiled while
	// the app runs, which here is Mesa's llvmpipe's shaders (a variant for
	// each new combination of drawing state), not the C allocator's.
	anonExec       float64
	goHeld, goLive float64 // from the heartbeat lines: what the Go runtime holds, and its live heap
}

// smapsParts reads /proc/pid/smaps: the executable's own pages, Mesa's
// software renderer (as softwareGLMB counts it), other libraries and files,
// and anonymous memory (the Go heap, C's malloc: Mesa's textures, fonts in
// C, X).
func smapsParts(t *testing.T, pid int, exe string) memoryParts {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps", pid))
	if err != nil {
		t.Fatal(err)
	}
	return parseSmaps(string(b), exe)
}

// parseSmaps is smapsParts of the text of a /proc/pid/smaps.
func parseSmaps(smaps, exe string) memoryParts {
	var p memoryParts
	var into *float64
	anonX := false
	for _, l := range strings.Split(smaps, "\n") {
		f := strings.Fields(l)
		switch {
		case len(f) >= 5 && strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":"):
			name := ""
			if len(f) >= 6 {
				name = f[5]
			}
			into = p.part(name, exe)
			// Code compiled at run time is in unnamed mappings; the named ones
			// ([vdso], [vsyscall]) are the kernel's.
			anonX = name == "" && strings.Contains(f[1], "x")
		case len(f) >= 2 && f[0] == "Rss:" && into != nil:
			kb, _ := strconv.Atoi(f[1])
			*into += float64(kb) / 1024
			p.rss += float64(kb) / 1024
			if anonX {
				p.anonExec += float64(kb) / 1024
			}
		}
	}
	return p
}

// part is where a mapping of that name counts.
func (p *memoryParts) part(name, exe string) *float64 {
	switch {
	case name == exe:
		return &p.binary
	case strings.Contains(name, "libLLVM") || strings.HasSuffix(name, "_dri.so") || strings.Contains(name, "libgallium") || strings.Contains(name, "libz3"):
		return &p.gl
	case strings.HasPrefix(name, "/"):
		return &p.libs
	}
	return &p.anon
}

var goMemoryLine = regexp.MustCompile(`go_held_mb=(\d+) go_live_mb=(\d+)`)

// goMemoryPeak is the most the Go runtime held in a log of heartbeat lines,
// with the live heap at that moment.
func goMemoryPeak(log string) (held, live float64) {
	for _, m := range goMemoryLine.FindAllStringSubmatch(log, -1) {
		h, _ := strconv.ParseFloat(m[1], 64)
		l, _ := strconv.ParseFloat(m[2], 64)
		if h > held {
			held, live = h, l
		}
	}
	return held, live
}

// TestFigureMemoryBreakdown (make bench): where the app's memory over the
// empty window goes, at the peak of browse_rss_over_empty_window_mb's drag
// through 50,000 people: Go (held by its runtime, and live), the binary,
// Mesa's software OpenGL, other libraries, and anonymous memory that is
// not Go's (C's malloc: Mesa's textures, X). The empty window is
// e2e/testdata/stallbaseline, read the same way.
func TestFigureMemoryBreakdown(t *testing.T) {
	if os.Getenv("CEZANNE_FIGURES") != "1" {
		t.Skip("set CEZANNE_FIGURES=1 (make bench) to measure the figures")
	}
	requireDesktop(t, true)
	r := newDesktopRunPeople(t, "memory", 50000, "CEZANNE_UI_HEARTBEAT=1")
	cmd, w := r.launch("memory", "--profile", r.profile, "--sign-in", "--session-only")
	w.waitFor(t, "state=people-loaded", 90*time.Second)
	time.Sleep(2 * time.Second)
	loaded := smapsParts(t, cmd.Process.Pid, r.bin)
	r.browseAll()
	time.Sleep(1500 * time.Millisecond) // a heartbeat line after the drag
	app := smapsParts(t, cmd.Process.Pid, r.bin)
	app.rss = procMB(t, cmd.Process.Pid, "VmHWM:") // the peak, as browse_rss_mb
	app.goHeld, app.goLive = goMemoryPeak(w.text())
	stop(cmd)

	empty := emptyWindowParts(t)
	show := func(what string, a, e float64) {
		fmt.Printf("figure mem_%s_app_mb %.0f runs=1\n", what, a)
		fmt.Printf("figure mem_%s_empty_window_mb %.0f runs=1\n", what, e)
		fmt.Printf("figure mem_%s_over_empty_window_mb %.0f runs=1\n", what, a-e)
	}
	fmt.Printf("figure mem_rss_first_page_mb %.0f runs=1\n", loaded.rss)
	show("rss_peak", app.rss, empty.rss)
	show("go_held", app.goHeld, empty.goHeld)
	show("go_live", app.goLive, empty.goLive)
	show("binary", app.binary, empty.binary)
	show("software_gl", app.gl, empty.gl)
	show("libs", app.libs, empty.libs)
	show("anon_not_go", max(app.anon-app.goHeld, 0), max(empty.anon-empty.goHeld, 0))
}

// browseAll drags the People scrollbar from the top to the bottom a pixel
// at a time, pausing so every page is shown, as TestFigureBrowseRSS does.
func (r *desktopRun) browseAll() {
	t := r.t
	_, height := scrollbarX(t)
	x := grabScrollbar(t, r)
	xdo(t, "mousemove", fmt.Sprint(x), "300")
	time.Sleep(400 * time.Millisecond)
	xdo(t, "mousemove", fmt.Sprint(x), fmt.Sprint(scrollTopY+5), "mousedown", "1")
	for y := scrollTopY + 5; y <= height-8; y++ {
		xdo(t, "mousemove", fmt.Sprint(x), fmt.Sprint(y))
		time.Sleep(110 * time.Millisecond)
	}
	xdo(t, "mouseup", "1")
	seen := map[int]bool{}
	for _, s := range r.peopleRequests() {
		seen[s/200] = true
	}
	if len(seen) < 190 {
		t.Fatalf("the drag showed only %d of 250 pages", len(seen))
	}
}

// emptyWindowParts runs e2e/testdata/stallbaseline (a one-label window with
// the heartbeat) and reads its memory once drawn and settled.
func emptyWindowParts(t *testing.T) memoryParts {
	t.Helper()
	cmd, log, bin := startStallBaseline(t)
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	time.Sleep(6 * time.Second)
	p := smapsParts(t, cmd.Process.Pid, bin)
	p.rss = procMB(t, cmd.Process.Pid, "VmHWM:")
	p.goHeld, p.goLive = goMemoryPeak(log.String())
	return p
}

func TestParseSmaps(t *testing.T) {
	const exe = "/opt/cezanne/cezanne-desktop"
	smaps := `00400000-00c00000 r-xp 00000000 08:01 12 /opt/cezanne/cezanne-desktop
Size:               8192 kB
Rss:                4096 kB
7f0000000000-7f0000100000 r-xp 00000000 08:01 13 /usr/lib/x86_64-linux-gnu/libLLVM-15.so.1
Rss:                2048 kB
7f0000200000-7f0000300000 r--p 00000000 08:01 14 /usr/lib/x86_64-linux-gnu/libc.so.6
Rss:                1024 kB
7f0000400000-7f0000500000 rw-p 00000000 00:00 0
Rss:                 512 kB
7f0000600000-7f0000610000 r-xp 00000000 00:00 0
Rss:                 256 kB
7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0                  [vdso]
Rss:                   8 kB
55d000000000-55d000100000 rw-p 00000000 00:00 0                  [heap]
Rss:                 128 kB
`
	got := parseSmaps(smaps, exe)
	want := memoryParts{binary: 4, gl: 2, libs: 1, anon: (512 + 256 + 8 + 128) / 1024.0, anonExec: 0.25}
	want.rss = want.binary + want.gl + want.libs + want.anon
	if got != want {
		t.Errorf("parseSmaps = %+v, want %+v", got, want)
	}
}
