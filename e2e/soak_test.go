package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

// soakDurationEnv sets how long TestSoak runs: make test leaves the
// default (2 minutes), make soak sets 10m.
const soakDurationEnv = "CEZANNE_SOAK_DURATION"

// Budgets of the soak's figures (issue 18, section 2).
const (
	soakMaxRSSGrowthMB = 5
	soakMaxStallMS     = 50
)

// TestSoak: the real app in a real window, signed in to a sandbox tenant
// in its own process with 3-second access tokens and refresh-token
// rotation, browsing and searching on a timer while the tenant and the
// desktop misbehave: HTTP 500s, token-request 500s, latency spikes,
// malformed JSON, an API call never answered, the keyring daemon killed
// and started again, the tenant process restarted with its state kept.
// No fault may cost the session, no refresh token may be used twice,
// memory and goroutines must not grow once the app has warmed up, the UI
// must not stall; afterwards the app still shows People, and a relaunch
// signs in from the keyring without the browser. It prints the soak's
// figures in make bench's format. Memory and stall budgets are held from
// minute 2 on, so only in a soak of 8 minutes or more (make soak); the
// 2-minute form (make test) shows them and holds the rest.
func TestSoak(t *testing.T) {
	requireDesktop(t, true)
	s := newSoak(t, soakDuration(t))
	s.signIn()
	s.run()
	s.checkAfter()
	s.report()
}

// soakDuration is CEZANNE_SOAK_DURATION, at least a minute (the fault
// cycle needs room for a 30-second call timeout), 2 minutes by default.
func soakDuration(t *testing.T) time.Duration {
	v := os.Getenv(soakDurationEnv)
	if v == "" {
		return 2 * time.Minute
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < time.Minute {
		t.Fatalf("%s=%q: want a duration of at least 1m, such as 2m or 10m", soakDurationEnv, v)
	}
	return d
}

// soak is one run: the tenant, a keyring of its own, the app, and what
// was measured.
type soak struct {
	t       *testing.T
	r       *desktopRun
	dur     time.Duration
	keyring *privateKeyring
	tenant  *tenantProc
	app     *exec.Cmd
	w       *logWatcher
	probe   string // the app's debug probe, http://127.0.0.1:port
	start   time.Time

	paused     atomic.Bool
	actions    atomic.Int64
	actionErrs atomic.Int64

	mu       sync.Mutex
	timeline []string

	base, end quietPoint
	// full is a soak long enough to measure growth from minute 2, as the
	// budgets of memory and stalls are set (make soak); the 2-minute form
	// in make test shows those figures without a verdict, and holds the
	// others (sessions, reuse, goroutines, People, relaunch) as strictly.
	full bool
}

// quietPoint is the app measured while idle: at the end of the warm-up and
// at the end of the soak.
type quietPoint struct {
	at time.Duration
	// rawMB is the RSS as found; rssMB after a full collection that handed
	// freed memory back (the probe's /debug/free), heapMB the Go heap then.
	rawMB, rssMB, heapMB float64
	goroutines           int // all of them
	pool                 int // the HTTP client's keep-alive connections' (two each)
	profile              string
}

func newSoak(t *testing.T, dur time.Duration) *soak {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), dur+6*time.Minute)
	t.Cleanup(cancel)
	r := &desktopRun{t: t, ctx: ctx, bin: appBinary(t), out: filepath.Join(outputDir(t), "soak"), work: t.TempDir(), sbLog: &syncBuffer{}}
	if err := os.MkdirAll(r.out, 0o755); err != nil {
		t.Fatal(err)
	}
	s := &soak{t: t, r: r, dur: dur}
	t.Cleanup(func() { _ = os.WriteFile(filepath.Join(r.out, "timeline.log"), []byte(s.timelineText()), 0o644) })
	t.Cleanup(func() { _ = os.WriteFile(filepath.Join(r.out, "sandbox.log"), []byte(r.sbLog.String()), 0o644) })

	s.keyring = startPrivateKeyring(t, filepath.Join(r.work, "keyring"))
	redirect := freeLoopbackURI(t)
	s.tenant = startTenant(t, r.bin, r.sbLog, freeLoopbackAddr(t), "--redirect-uri", redirect, "--people", "500",
		"--token-ttl", "3s", "--state", filepath.Join(r.work, "tenant-state.json"))
	r.desc = s.tenant.desc
	clientID := sandbox.ClientDesktopOnDemand
	r.secret = secretOf(r.desc, clientID)
	r.profile = filepath.Join(r.work, "profile.json")
	writeFile(t, r.profile, fmt.Sprintf(`{"name":"Sandbox soak","base_url":%q,"client_id":%q,"redirect_uri":%q,"scopes":["APIRead"],"auto_approve":"true","pkce":true}`,
		r.desc.BaseURL, clientID, redirect))
	fakeBin := r.installBrowser()
	r.home = filepath.Join(r.work, "home")
	probeAddr := freeLoopbackAddr(t)
	s.probe = "http://" + probeAddr
	r.env = append(os.Environ(), "HOME="+r.home, "XDG_CONFIG_HOME="+filepath.Join(r.home, ".config"),
		"XDG_DATA_HOME="+filepath.Join(r.home, ".local", "share"), "XDG_RUNTIME_DIR="+filepath.Join(r.work, "run"),
		"PATH="+fakeBin+":"+os.Getenv("PATH"), "CEZANNE_CLIENT_SECRET="+r.secret, "LANG=en_GB.UTF-8",
		"CEZANNE_E2E_BROWSER_LOG="+r.opened, "CEZANNE_E2E_APP="+r.bin,
		// The keyring the soak kills is its own, on a bus of its own.
		"DBUS_SESSION_BUS_ADDRESS="+s.keyring.bus,
		"CEZANNE_DEBUG_ADDR="+probeAddr, "CEZANNE_UI_HEARTBEAT=1")
	return s
}

func secretOf(d sandbox.Description, clientID string) string {
	for _, c := range d.Clients {
		if c.ID == clientID {
			return c.Secret
		}
	}
	return ""
}

// note adds a line to the timeline (timeline.log in the test output).
func (s *soak) note(format string, args ...any) {
	line := fmt.Sprintf("%6.1fs  ", time.Since(s.start).Seconds()) + fmt.Sprintf(format, args...)
	s.mu.Lock()
	s.timeline = append(s.timeline, line)
	s.mu.Unlock()
	s.t.Log(line)
}

func (s *soak) timelineText() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.timeline, "\n") + "\n"
}

// signIn launches the app and signs in through the browser, once.
func (s *soak) signIn() {
	s.start = time.Now()
	s.app, s.w = s.r.launch("soak", "--profile", s.r.profile, "--sign-in")
	s.w.waitFor(s.t, "state=signed-in", 90*time.Second)
	s.w.waitFor(s.t, "state=people-loaded", 60*time.Second)
	s.note("signed in, People shown")
}

// run browses on a timer and injects the faults: a warm-up with light
// faults, the quiet point the growth figures start from, then cycles of
// every fault until the duration is up, and the final quiet point.
func (s *soak) run() {
	warm := min(2*time.Minute, s.dur/4)
	rest := s.dur - warm
	cycles := max(1, int(math.Round(rest.Minutes()/2)))
	ctx, stop := context.WithCancel(s.r.ctx)
	defer stop()
	go s.browse(ctx)

	s.full = warm == 2*time.Minute
	s.playEvents(warmUpEvents(), warm)
	s.base = s.quiet("baseline")
	for i := 0; i < cycles; i++ {
		s.note("fault cycle %d of %d", i+1, cycles)
		s.playEvents(cycleEvents(), rest/time.Duration(cycles))
	}
	s.end = s.quiet("end")
	stop()
}

// soakEvent is something done to the app's world at a fraction of a phase.
type soakEvent struct {
	at   float64
	what string
	do   func(s *soak)
}

func faults(kv ...string) func(s *soak) {
	return func(s *soak) {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		s.tenant.setFaults(v)
	}
}

// warmUpEvents touch each error path once before the baseline, so that
// what they allocate the first time is not counted as growth.
func warmUpEvents() []soakEvent {
	return []soakEvent{
		{0.3, "HTTP 500 on the next API call", faults("fail_500", "1")},
		{0.5, "800 ms more latency on the next 2 calls", faults("spike", "2", "spike_latency_ms", "800")},
		{0.7, "malformed JSON on the next API call", faults("malformed", "1")},
	}
}

// cycleEvents is one round of every fault. The unanswered call comes
// early: the app waits 30 s for it, and it must be over before the tenant
// restarts.
func cycleEvents() []soakEvent {
	return []soakEvent{
		{0.04, "HTTP 500 on the next 3 API calls", faults("fail_500", "3")},
		{0.10, "no answer to the next API call", faults("timeout", "1")},
		{0.18, "HTTP 500 on the next 2 token requests", faults("token_500", "2")},
		{0.26, "1.5 s more latency on the next 4 calls", faults("spike", "4", "spike_latency_ms", "1500")},
		{0.34, "malformed JSON on the next API call", faults("malformed", "1")},
		{0.45, "keyring daemon killed", func(s *soak) { s.keyring.kill() }},
		{0.55, "keyring daemon started again", func(s *soak) { s.keyring.startDaemon() }},
		{0.70, "tenant restarted (SIGTERM, state kept)", func(s *soak) { s.tenant.restart() }},
		{0.85, "HTTP 500 on the next 2 API calls, 1 s more latency on the 2 after", faults("fail_500", "2", "spike", "4", "spike_latency_ms", "1000")},
	}
}

// playEvents runs events over a phase of length d, then waits out the phase.
func (s *soak) playEvents(events []soakEvent, d time.Duration) {
	phase := time.Now()
	for _, e := range events {
		s.sleepUntil(phase.Add(time.Duration(e.at * float64(d))))
		s.note("%s", e.what)
		e.do(s)
	}
	s.sleepUntil(phase.Add(d))
}

func (s *soak) sleepUntil(t time.Time) {
	select {
	case <-time.After(time.Until(t)):
	case <-s.r.ctx.Done():
		s.t.Fatal("the soak ran out of time")
	}
}

// browse plays a person on a timer until ctx ends: search, clear the
// search, walk the table down and to its end and back, reload. Pauses
// while a quiet point is measured. A key that could not be sent is
// counted, not fatal: the checks afterwards tell whether the app coped.
func (s *soak) browse(ctx context.Context) {
	terms := []string{"son", "ma", "lee", "an", "o'"}
	steps := [][]string{
		{"key", "ctrl+f"}, nil, // nil: type the next search term
		{"key", "ctrl+a", "BackSpace"},
		{"key", "Down"}, {"key", "Page_Down", "Page_Down"}, {"key", "End"}, {"key", "Home"},
		{"key", "ctrl+r"},
	}
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-time.After(1200 * time.Millisecond):
		}
		if s.paused.Load() {
			continue
		}
		step := steps[i%len(steps)]
		if step == nil {
			step = []string{"type", "--delay", "60", terms[(i/len(steps))%len(terms)]}
		}
		args := append([]string{"search", "--name", "Cezanne HR Desktop", "windowfocus", "--sync"}, step...)
		xctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		err := exec.CommandContext(xctx, "xdotool", args...).Run()
		cancel()
		s.actions.Add(1)
		if err != nil && ctx.Err() == nil {
			s.actionErrs.Add(1)
			s.note("xdotool %v: %v", step, err)
		}
	}
}

// quiet pauses the browsing, lets the app settle, and measures it: RSS,
// and the fewest goroutines seen over a few seconds (a request or a
// keyring call in flight is not a leak).
func (s *soak) quiet(name string) quietPoint {
	s.paused.Store(true)
	defer s.paused.Store(false)
	time.Sleep(5 * time.Second)
	q := quietPoint{at: time.Since(s.start), goroutines: math.MaxInt}
	for i := 0; i < 8; i++ {
		total, pool, profile := s.goroutines()
		if total-pool < q.goroutines-q.pool || q.goroutines == math.MaxInt {
			q.goroutines, q.pool, q.profile = total, pool, profile
		}
		time.Sleep(500 * time.Millisecond)
	}
	q.rawMB = rssMB(s.t, s.app.Process.Pid)
	q.heapMB = s.freeMemory()
	s.saveHeapProfile(filepath.Join(s.r.out, "heap-"+name+".pb.gz"))
	q.rssMB = rssMB(s.t, s.app.Process.Pid)
	_ = os.WriteFile(filepath.Join(s.r.out, "goroutines-"+name+".txt"), []byte(q.profile), 0o644)
	s.note("quiet point %s: RSS %.1f MB, %.1f MB after a full collection (Go heap %.1f MB), %d goroutines (%d of them keep-alive connections)",
		name, q.rawMB, q.rssMB, q.heapMB, q.goroutines, q.pool)
	return q
}

// saveHeapProfile keeps the app's heap profile for whoever looks into a
// growth: go tool pprof -top -base heap-baseline.pb.gz heap-end.pb.gz.
func (s *soak) saveHeapProfile(path string) {
	res, err := http.Get(s.probe + "/debug/heap")
	if err != nil {
		s.t.Fatalf("the app's debug probe (%s) does not answer: %v", debugAddrEnvName, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	_ = os.WriteFile(path, b, 0o644)
}

// freeMemory has the app collect its garbage and return what it freed to
// the system (the probe's /debug/free), and says how big its heap is then.
// Without it, RSS at one moment says where the collector's cycle was as
// much as what the app keeps: with GOGC=50 the heap swings by half its live
// size between collections.
func (s *soak) freeMemory() float64 {
	res, err := http.Post(s.probe+"/debug/free", "", nil)
	if err != nil {
		s.t.Fatalf("the app's debug probe (%s) does not answer: %v", debugAddrEnvName, err)
	}
	defer res.Body.Close()
	var rt struct {
		HeapInuse uint64 `json:"heap_inuse_bytes"`
	}
	if err := json.NewDecoder(res.Body).Decode(&rt); err != nil {
		s.t.Fatalf("the probe's /debug/free: %v", err)
	}
	time.Sleep(500 * time.Millisecond)
	return float64(rt.HeapInuse) / (1 << 20)
}

var profileTotal = regexp.MustCompile(`^goroutine profile: total (\d+)`)

// goroutines reads the app's goroutine profile from its debug probe: the
// total, how many are the HTTP client's keep-alive connections (the pool
// opens and closes them as the tenant restarts and idles, so they come and
// go without leaking), and the profile itself.
func (s *soak) goroutines() (total, pool int, profile string) {
	res, err := http.Get(s.probe + "/debug/goroutines")
	if err != nil {
		s.t.Fatalf("the app's debug probe (%s) does not answer: %v", debugAddrEnvName, err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	profile = string(b)
	m := profileTotal.FindStringSubmatch(profile)
	if m == nil {
		s.t.Fatalf("not a goroutine profile:\n%.300s", profile)
	}
	total, _ = strconv.Atoi(m[1])
	for _, block := range strings.Split(profile, "\n\n") {
		var n int
		if _, err := fmt.Sscanf(block, "%d @", &n); err == nil && strings.Contains(block, "net/http.(*persistConn)") {
			pool += n
		}
	}
	return total, pool, profile
}

// debugAddrEnvName is the app's debug probe variable (debugprobe.go).
const debugAddrEnvName = "CEZANNE_DEBUG_ADDR"

// rssMB is a process's resident memory now.
func rssMB(t *testing.T, pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatalf("the app is gone: %v", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if kb, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			v, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(kb), "kB")), 64)
			return v / 1024
		}
	}
	t.Fatal("no VmRSS")
	return 0
}

// lostSessionStates are the app's states that mean the session ended and
// the person would have to sign in again.
var lostSessionStates = []string{"state=sign-in-again", "state=signed-out", "state=form", "state=browser-again", "state=browser-opened"}

// lostSessions counts session ends in the app's log after the first sign-in.
func (s *soak) lostSessions() int {
	text := s.w.text()
	if i := strings.Index(text, "state=signed-in"); i >= 0 {
		text = text[i:]
	}
	n := 0
	for _, st := range lostSessionStates {
		n += strings.Count(text, st+" ") + strings.Count(text, st+"\n")
	}
	return n
}

// checkAfter: after the soak the app still loads People, and a relaunch
// signs in from the keyring without the browser.
func (s *soak) checkAfter() {
	t := s.t
	// A search, then everyone again: two loads that only a working
	// session can make (the search box keeps Ctrl+R to itself).
	for _, keys := range [][]string{{"key", "ctrl+f", "ctrl+a", "BackSpace"}, {"type", "--delay", "60", "son"}, {"key", "ctrl+a", "BackSpace"}} {
		before := strings.Count(s.w.text(), "state=people-loaded")
		xdo(t, append([]string{"search", "--name", "Cezanne HR Desktop", "windowfocus", "--sync"}, keys...)...)
		if keys[0] == "key" && len(keys) == 4 {
			continue // clearing a search that may be empty already loads nothing
		}
		waitCount(t, s.w, "state=people-loaded", before+1, 60*time.Second)
	}
	s.r.screenshot("after-soak.png")
	s.note("after the soak: People searched and loaded again")
	stop(s.app)

	cmd, w := s.r.launch("soak-relaunch")
	w.waitFor(t, "signed in from the keyring", 60*time.Second)
	w.waitFor(t, "state=people-loaded", 60*time.Second)
	s.r.screenshot("relaunched.png")
	stop(cmd)
	s.note("relaunch signed in from the keyring")
	if n := s.r.browserOpens(); n != 1 {
		t.Errorf("the browser was opened %d times; only the first sign-in may open it", n)
	}
	s.r.assertNoSecretsLeaked()
}

// waitCount waits until want occurs at least n times in the log.
func waitCount(t *testing.T, w *logWatcher, want string, n int, timeout time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(timeout); strings.Count(w.text(), want) < n; time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no new %q within %v:\n%s", want, timeout, w.text())
		}
	}
}

// maxStall is the longest UI stall the app's heartbeat (CEZANNE_UI_HEARTBEAT)
// logged during the soak, and whether it logged any at all. The soak starts
// with the window signed in: the report that covers the switch from the
// sign-in form is the sign-in's (ui_max_stall_ms measures that), not the
// soak's, so counting starts after it.
func (s *soak) maxStall() (int, bool) {
	text := s.w.text()
	if i := strings.Index(text, "state=signed-in"); i >= 0 {
		text = text[i:]
		if j := strings.Index(text, "msg=ui-heartbeat beats="); j >= 0 {
			if k := strings.IndexByte(text[j:], '\n'); k >= 0 {
				text = text[j+k:]
			}
		}
	}
	longest, beats := uiStalls(text)
	return longest, beats > 0
}

// report prints the figures, every one, then fails on those over budget.
func (s *soak) report() {
	t := s.t
	stats := s.tenant.stats()
	lost := s.lostSessions()
	growth := s.end.rssMB - s.base.rssMB
	gGrowth := (s.end.goroutines - s.end.pool) - (s.base.goroutines - s.base.pool)
	stall, measured := s.maxStall()
	from := fmt.Sprintf("from_%.0fs_to_%.0fs", s.base.at.Seconds(), s.end.at.Seconds())
	var missed []string
	// growthBudget is a budget of the full soak only (see soak.full).
	growthBudget := func(b float64) float64 {
		if s.full {
			return b
		}
		return math.NaN()
	}
	short := ""
	if !s.full {
		short = " budget_applies_to_make_soak_(from_minute_2)"
	}
	figure := func(name string, value float64, decimals int, budget float64, note string) {
		line := fmt.Sprintf("figure %s %s runs=1", name, strconv.FormatFloat(value, 'f', decimals, 64))
		if !math.IsNaN(budget) {
			verdict := "ok"
			if math.IsNaN(value) || value > budget {
				verdict = "MISSED"
				missed = append(missed, name)
			}
			line += fmt.Sprintf(" budget<=%s %s", strconv.FormatFloat(budget, 'f', -1, 64), verdict)
		}
		if note != "" {
			line += " " + note
		}
		fmt.Println(line)
		s.note("%s", line)
	}
	figure("soak_duration_s", time.Since(s.start).Seconds(), 0, math.NaN(), fmt.Sprintf("actions=%d action_errors=%d tenant_restarts=%d", s.actions.Load(), s.actionErrs.Load(), stats.Restarts))
	figure("soak_refreshes", float64(stats.Refreshes), 0, math.NaN(), "")
	figure("soak_lost_sessions", float64(lost), 0, 0, "")
	figure("soak_reuse_detected", float64(stats.ReuseDetected), 0, 0, "")
	figure("soak_rss_growth_mb", growth, 1, growthBudget(soakMaxRSSGrowthMB), fmt.Sprintf("%s after_a_full_collection %.1f_to_%.1f_MB%s", from, s.base.rssMB, s.end.rssMB, short))
	figure("soak_rss_growth_as_found_mb", s.end.rawMB-s.base.rawMB, 1, math.NaN(), fmt.Sprintf("%s %.1f_to_%.1f_MB", from, s.base.rawMB, s.end.rawMB))
	figure("soak_heap_growth_mb", s.end.heapMB-s.base.heapMB, 1, math.NaN(), fmt.Sprintf("%s Go_heap_in_use_after_a_full_collection %.1f_to_%.1f_MB", from, s.base.heapMB, s.end.heapMB))
	figure("soak_goroutines_growth", float64(gGrowth), 0, 0, fmt.Sprintf("%s without_keep-alive_connections total_%d_to_%d", from, s.base.goroutines, s.end.goroutines))
	if measured {
		figure("soak_ui_max_stall_ms", float64(stall), 0, growthBudget(soakMaxStallMS), strings.TrimSpace(short))
	} else {
		// A build without the UI heartbeat cannot say; that is not a
		// stall, so it is shown, not failed.
		fmt.Println("figure soak_ui_max_stall_ms - runs=0 not_measured:_the_app_logged_no_ui-heartbeat_(CEZANNE_UI_HEARTBEAT)")
	}
	s.checkKeyringRecovered()
	if stats.Refreshes < 10 {
		t.Errorf("only %d refreshes in the soak: the 3-second tokens were not being renewed", stats.Refreshes)
	}
	if stats.Restarts < 1 {
		t.Error("the tenant never restarted")
	}
	if len(missed) > 0 {
		t.Errorf("soak figures over budget: %s (timeline: %s)", strings.Join(missed, ", "), filepath.Join(s.r.out, "timeline.log"))
	}
}

// checkKeyringRecovered: once the keyring daemon is back and a refresh
// saved the sign-in again, the app took its "session only" warning down
// (it used to stay, contradicting "Sign-in kept: In the system keyring").
func (s *soak) checkKeyringRecovered() {
	text := s.w.text()
	warned := strings.LastIndex(text, "state=keyring-warning")
	if warned < 0 {
		s.t.Error("the keyring daemon was killed but the app never warned that the sign-in could not be saved")
		return
	}
	if !strings.Contains(text[warned:], "state=keyring-recovered") {
		s.t.Error("the keyring came back, but the app still says the sign-in is kept for this session only")
	}
}

// tenantProc is the sandbox tenant in a process of its own, on a fixed
// port so that it can be restarted where the app expects it.
type tenantProc struct {
	t       *testing.T
	bin     string
	args    []string
	log     *syncBuffer
	cmd     *exec.Cmd
	drained chan struct{}
	desc    sandbox.Description
	admin   string
}

func startTenant(t *testing.T, bin string, log *syncBuffer, addr string, args ...string) *tenantProc {
	p := &tenantProc{t: t, bin: bin, log: log, admin: "http://" + addr + "/sandbox/admin",
		args: append([]string{"sandbox", "--addr", addr, "--describe"}, args...)}
	p.start()
	t.Cleanup(func() {
		if p.cmd != nil {
			_ = p.cmd.Process.Kill()
			<-p.drained
			_ = p.cmd.Wait()
		}
	})
	return p
}

func (p *tenantProc) start() {
	t := p.t
	cmd := exec.Command(p.bin, p.args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = p.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p.cmd, p.drained = cmd, make(chan struct{})
	br := bufio.NewReader(out)
	line, err := br.ReadString('\n')
	if err != nil {
		t.Fatalf("sandbox --describe: %v\n%s", err, p.log.String())
	}
	go func() { _, _ = io.Copy(io.Discard, br); close(p.drained) }()
	if err := json.Unmarshal([]byte(line), &p.desc); err != nil {
		t.Fatalf("sandbox --describe first line is not JSON: %v: %q", err, line)
	}
}

// restart stops the tenant as a service manager would (SIGTERM: requests
// in flight finish, the state is saved) and starts it again.
func (p *tenantProc) restart() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	<-p.drained
	if err := p.cmd.Wait(); err != nil {
		p.t.Errorf("the tenant did not stop cleanly: %v", err)
	}
	p.cmd = nil
	p.start()
}

// setFaults posts the admin page's faults form (its token changes with
// each tenant process, so it is read each time).
func (p *tenantProc) setFaults(v url.Values) {
	t := p.t
	res, err := http.Get(p.admin)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`name="token" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no admin token on %s", p.admin)
	}
	v.Set("token", string(m[1]))
	req, _ := http.NewRequest(http.MethodPost, p.admin+"/faults", strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("setting faults %v: %s %s", v, res.Status, body)
	}
}

// stats reads the tenant's counters (kept across its restarts).
func (p *tenantProc) stats() sandbox.Stats {
	res, err := http.Get(p.admin + "/state.json")
	if err != nil {
		p.t.Fatal(err)
	}
	defer res.Body.Close()
	var st struct {
		Stats sandbox.Stats `json:"stats"`
	}
	if err := json.NewDecoder(res.Body).Decode(&st); err != nil {
		p.t.Fatal(err)
	}
	return st.Stats
}

// freeLoopbackAddr is a loopback host:port free right now.
func freeLoopbackAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// privateKeyring is a D-Bus session bus and gnome-keyring of the soak's
// own, so that killing the keyring leaves the other tests' alone. The bus
// has no service activation: a killed keyring stays gone until the soak
// starts it again, rather than coming back locked by D-Bus activation.
type privateKeyring struct {
	t      *testing.T
	dir    string
	bus    string
	daemon *exec.Cmd
}

const privateBusConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

func startPrivateKeyring(t *testing.T, dir string) *privateKeyring {
	t.Helper()
	k := &privateKeyring{t: t, dir: dir}
	for _, d := range []string{"data", "run", "bus"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	conf := filepath.Join(dir, "bus.conf")
	writeFile(t, conf, fmt.Sprintf(privateBusConfig, filepath.Join(dir, "bus")))
	bus := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--nopidfile", "--print-address=1")
	out, err := bus.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := bus.Start(); err != nil {
		t.Fatalf("dbus-daemon: %v", err)
	}
	t.Cleanup(func() { _ = bus.Process.Kill(); _ = bus.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon gave no address: %v", err)
	}
	k.bus = strings.TrimSpace(addr)
	k.startDaemon()
	t.Cleanup(func() {
		if k.daemon != nil {
			_ = k.daemon.Process.Kill()
			_ = k.daemon.Wait()
		}
	})
	return k
}

// startDaemon starts gnome-keyring on the private bus with the same data
// directory and password, so it opens the keyring the last one kept, and
// waits until the Secret Service answers.
func (k *privateKeyring) startDaemon() {
	t := k.t
	cmd := exec.Command("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	cmd.Env = append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+k.bus, "XDG_DATA_HOME="+filepath.Join(k.dir, "data"),
		"XDG_RUNTIME_DIR="+filepath.Join(k.dir, "run"))
	cmd.Stdin = strings.NewReader("soak-password")
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatalf("gnome-keyring-daemon: %v", err)
	}
	k.daemon = cmd
	k.waitSecrets(true)
}

// kill ends the keyring daemon at once (SIGKILL), as a crash would.
func (k *privateKeyring) kill() {
	_ = k.daemon.Process.Kill()
	_ = k.daemon.Wait()
	k.daemon = nil
	k.waitSecrets(false)
}

// waitSecrets waits until org.freedesktop.secrets is (or is not) on the bus.
func (k *privateKeyring) waitSecrets(want bool) {
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		out, _ := exec.Command("dbus-send", "--bus="+k.bus, "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
			"org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.secrets").Output()
		if strings.Contains(string(out), "boolean true") == want {
			return
		}
	}
	k.t.Fatalf("the Secret Service did not %s within 15 s", map[bool]string{true: "start", false: "stop"}[want])
}
