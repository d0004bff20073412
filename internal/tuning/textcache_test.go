package tuning

import (
	"fmt"
	"testing"
	"time"
)

// fakeUI runs the text cache's timers and posts by hand, on a fake clock.
type fakeUI struct {
	now    time.Time
	timers []fakeTimer
	posted []func()
	set    []time.Duration
}

type fakeTimer struct {
	at time.Time
	f  func()
}

// The fake cache's durations: the shortest, the idle one's floor, Fyne's
// minute; and it keeps three strings, so that a few make it full.
const (
	testBusy, testIdle, testLongest = 2 * time.Second, 10*time.Second + 500*time.Millisecond, time.Minute
	testKeep                        = 3
)

func newFakeCache(ui *fakeUI) *textCache {
	return &textCache{
		shortest: testBusy,
		idle:     testIdle,
		longest:  testLongest,
		quiet:    3 * time.Second,
		keep:     testKeep,
		post:     func(f func()) { ui.posted = append(ui.posted, f) },
		afterFunc: func(d time.Duration, f func()) *time.Timer {
			ui.timers = append(ui.timers, fakeTimer{at: ui.now.Add(d), f: f})
			return nil
		},
		now: func() time.Time { return ui.now },
		set: func(d time.Duration) { ui.set = append(ui.set, d) },
	}
}

// advance moves the clock on by d, firing the timers due in time order
// (those armed meanwhile too), each at its own time, and running what they
// posted to the UI goroutine at once.
func (ui *fakeUI) advance(d time.Duration) {
	end := ui.now.Add(d)
	for {
		next := -1
		for i, tm := range ui.timers {
			if !tm.at.After(end) && (next < 0 || tm.at.Before(ui.timers[next].at)) {
				next = i
			}
		}
		if next < 0 {
			break
		}
		tm := ui.timers[next]
		ui.timers = append(ui.timers[:next], ui.timers[next+1:]...)
		if tm.at.After(ui.now) {
			ui.now = tm.at
		}
		tm.f()
		for len(ui.posted) > 0 {
			f := ui.posted[0]
			ui.posted = ui.posted[1:]
			f()
		}
	}
	ui.now = end
}

func TestTextCacheFollowsTheWindow(t *testing.T) {
	type step struct {
		shown   []string      // cells filled with these, 10 ms apart
		advance time.Duration // then the clock moves on
	}
	tests := []struct {
		name    string
		enabled bool
		steps   []step
		want    []time.Duration // every duration set, in order
		due     bool            // an idle check is still due at the end
	}{
		{name: "starts with Fyne's minute", enabled: true, want: []time.Duration{testLongest}},
		{name: "a few strings keep the minute", enabled: true,
			steps: []step{{shown: []string{"a", "b"}}, {shown: []string{"a"}, advance: time.Second}},
			want:  []time.Duration{testLongest}, due: true},
		{name: "many strings at once: the shortest", enabled: true,
			steps: []step{{shown: []string{"a", "b", "c", "d"}}},
			want:  []time.Duration{testLongest, testBusy}, due: true},
		{name: "the same strings again count once", enabled: true,
			steps: []step{{shown: []string{"a", "b", "a", "b", "a"}}},
			want:  []time.Duration{testLongest}, due: true},
		{name: "strings over 5 s: 5 s", enabled: true,
			steps: []step{{shown: []string{"a"}, advance: 2500 * time.Millisecond}, {shown: []string{"b"}, advance: 2500 * time.Millisecond}, {shown: []string{"c"}}},
			want:  []time.Duration{testLongest, 5 * time.Second}, due: true},
		{name: "idle after a drag: the idle floor", enabled: true,
			steps: []step{{shown: []string{"a", "b", "c", "d"}, advance: 3 * time.Second}},
			want:  []time.Duration{testLongest, testBusy, testIdle}},
		{name: "idle after browsing: what keeps three strings by then", enabled: true,
			steps: []step{{shown: []string{"a"}, advance: 4 * time.Second}, {shown: []string{"b"}, advance: 4 * time.Second},
				{shown: []string{"c"}, advance: 3 * time.Second}},
			want: []time.Duration{testLongest, 8 * time.Second, 11 * time.Second}},
		{name: "empty cells keep it busy without a string", enabled: true,
			steps: []step{{shown: []string{"a", "b", "c", "d"}, advance: 2 * time.Second}, {shown: []string{""}, advance: 2 * time.Second}},
			want:  []time.Duration{testLongest, testBusy, 3 * time.Second}, due: true},
		{name: "busy again after idle", enabled: true,
			steps: []step{{shown: []string{"a", "b", "c", "d"}, advance: 3 * time.Second}, {shown: []string{"e", "f", "g"}}},
			want:  []time.Duration{testLongest, testBusy, testIdle, 3 * time.Second, testBusy}, due: true},
		{name: "FYNE_CACHE set: left alone",
			steps: []step{{shown: []string{"a", "b", "c", "d"}, advance: 5 * time.Second}, {shown: []string{"e"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ui := &fakeUI{now: time.Unix(1e9, 0)}
			c := newFakeCache(ui)
			if tt.enabled {
				c.start()
			}
			for _, s := range tt.steps {
				for i, text := range s.shown {
					if i > 0 {
						ui.advance(10 * time.Millisecond)
					}
					c.shown(text)
				}
				ui.advance(s.advance)
			}
			if !equalDurations(ui.set, tt.want) {
				t.Errorf("durations set %v, want %v", ui.set, tt.want)
			}
			if c.armed != tt.due {
				t.Errorf("idle check due %v, want %v", c.armed, tt.due)
			}
		})
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestIdleCacheKeepsTheWindowAlive: Fyne must walk an idle window before
// what the busy frames last touched expires, or it forgets which canvas
// the objects on screen belong to and the window stops drawing. Fyne walks
// an idle window every ValidDuration − fyneWalkLead; the entries touched
// at the switch live at least fyneCacheDuration (and when the busy
// duration was longer, the idle one is that same duration: fyneWalkLead
// of room). A frame can come late on a busy machine: the walk must leave a
// second of room.
func TestIdleCacheKeepsTheWindowAlive(t *testing.T) {
	walkEvery := idleCacheDuration - fyneWalkLead
	if walkEvery <= 0 {
		t.Fatalf("idle cache %v: Fyne would walk the window on every frame", idleCacheDuration)
	}
	if room := fyneCacheDuration - walkEvery; room < time.Second {
		t.Fatalf("idle cache %v: Fyne walks every %v, %v before the busy %v entries expire; want a second or more",
			idleCacheDuration, walkEvery, room, fyneCacheDuration)
	}
	if longestCacheDuration < idleCacheDuration || fyneCacheDuration > longestCacheDuration {
		t.Fatalf("durations out of order: shortest %v, idle %v, longest %v", fyneCacheDuration, idleCacheDuration, longestCacheDuration)
	}
}

// TestTextCacheTellsWhenIdle: onIdle is called once each time the window
// goes idle (nothing new shown for quiet after a busy spell), not while it
// stays busy nor again while it stays idle.
func TestTextCacheTellsWhenIdle(t *testing.T) {
	ui := &fakeUI{now: time.Unix(1000, 0)}
	c := newFakeCache(ui)
	idle := 0
	// Kept takes the cache's lock: called with it held, this deadlocks.
	c.onIdle = func() { idle++; c.kept("x") }
	c.start()
	for i, step := range []struct {
		name    string
		shown   int           // cells filled, one every 100 ms
		advance time.Duration // then
		want    int           // onIdle calls so far
	}{
		{"busy", 20, time.Second, 0},
		{"still busy: cells keep coming", 20, 2 * time.Second, 0},
		{"quiet", 0, 2 * time.Second, 1},
		{"idle for a minute", 0, time.Minute, 1},
		{"busy again, then quiet", 5, 4 * time.Second, 2},
	} {
		for j := range step.shown {
			c.shown(fmt.Sprintf("step %d cell %d", i, j))
			ui.advance(100 * time.Millisecond)
		}
		ui.advance(step.advance)
		if idle != step.want {
			t.Errorf("%s: onIdle called %d times, want %d", step.name, idle, step.want)
		}
	}
}

// TestBusyWindowIsRedrawnBeforeItsTextExpires: Fyne frees the texture of a
// string not drawn for the cache duration, and the next frame rasterises
// every string on screen again (a 60-75 ms frame). So while busy the
// window is drawn again before the duration it was last drawn with runs
// out (less redrawLead), once more on going idle (what is on screen then
// lives the idle duration), and never while idle; nor while new text keeps
// coming, as its frames draw the whole window anyway. The duration only
// ever rises at a frame that draws the whole window: entries drawn with a
// shorter one would expire before Fyne walked them again.
func TestBusyWindowIsRedrawnBeforeItsTextExpires(t *testing.T) {
	pages := func(marks ...time.Duration) (out []mark) {
		for _, at := range marks {
			out = append(out, mark{at: at, texts: testKeep + 1})
		}
		return out
	}
	every := func(d, until time.Duration, texts int) (marks []mark) {
		for at := time.Duration(0); at <= until; at += d {
			marks = append(marks, mark{at: at, texts: texts})
		}
		return marks
	}
	for _, tc := range []struct {
		name    string
		marks   []mark // when cells are filled, with how many new strings
		redraws int    // how many redraws at most
	}{
		{"one page", pages(0), 2},
		{"a page read for 2.5 s, then the next", pages(0, 2500*time.Millisecond), 3},
		{"a drag", pages(0, 300*time.Millisecond, 700*time.Millisecond, 1900*time.Millisecond, 2100*time.Millisecond, 4*time.Second), 4},
		{"busy again after idle", pages(0, 5*time.Second), 4},
		{"a new page every 1.2 s: only after it stops", every(1200*time.Millisecond, 10*time.Second, testKeep+1), 2},
		{"a new string every 0.8 s: redrawn as the duration grows", every(800*time.Millisecond, 10*time.Second, 1), 2},
		{"the same strings every 1.2 s: a minute, redrawn only on going idle", every(1200*time.Millisecond, 10*time.Second, 0), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			redraws, idleAt := playMarks(t, tc.marks)
			if len(redraws) > tc.redraws {
				t.Errorf("%d redraws %v, want at most %d", len(redraws), redraws, tc.redraws)
			}
			if end := idleAt[len(idleAt)-1]; len(redraws) > 0 && redraws[len(redraws)-1] > end {
				t.Errorf("redrawn at %v, after going idle at %v", redraws[len(redraws)-1], end)
			}
		})
	}
}

// mark is cells filled at a moment: texts new strings (0: one string shown
// before, again).
type mark struct {
	at    time.Duration
	texts int
}

// markPlayer runs a cache on a fake clock, noting its redraws and the
// last frame that drew the window whole.
type markPlayer struct {
	t         *testing.T
	ui        *fakeUI
	c         *textCache
	start     time.Time
	redraws   []time.Duration
	drawn     time.Time     // the last frame: a redraw, or the one that showed new cells
	drawnWith time.Duration // the duration in force then
	next      int           // the next new string's number
}

func (p *markPlayer) current() time.Duration { return p.ui.set[len(p.ui.set)-1] }

// play fills cells as m says, at the moment at, failing a rise of the
// duration that asks for no redraw.
func (p *markPlayer) play(m mark, at time.Duration) {
	show := func(s string) {
		before, redrawn := p.current(), len(p.redraws)
		p.c.shown(s)
		if p.current() > before || len(p.redraws) > redrawn {
			p.t.Fatalf("at %v a cell raised the duration to %v or asked for a redraw: a rise needs a frame of every window, and one asked for from a cell is a second frame", at, p.current())
		}
	}
	if m.texts == 0 {
		show("again")
	}
	for range m.texts {
		show(fmt.Sprint("text ", p.next))
		p.next++
	}
	p.drawn, p.drawnWith = p.ui.now, p.current()
}

// playMarks runs a cache through cells filled at marks, 20 s on a fake
// clock in 10 ms steps, checking that while busy the window is never left
// undrawn for longer than the duration it was last drawn with, less
// redrawLead, and that the duration rises only when the window is drawn;
// it returns when it redrew and when it went idle.
func playMarks(t *testing.T, marks []mark) (redraws, idleAt []time.Duration) {
	t.Helper()
	const step = 10 * time.Millisecond
	ui := &fakeUI{now: time.Unix(1e9, 0)}
	p := &markPlayer{t: t, ui: ui, c: newFakeCache(ui), start: ui.now, drawn: ui.now}
	p.c.redraw = func() { p.redraws = append(p.redraws, ui.now.Sub(p.start)); p.drawn, p.drawnWith = ui.now, p.current() }
	p.c.start()
	p.drawnWith = p.current()
	for at := time.Duration(0); at <= 20*time.Second; at += step {
		for len(marks) > 0 && marks[0].at <= at {
			p.play(marks[0], at)
			marks = marks[1:]
		}
		if p.c.isBusy && ui.now.Sub(p.drawn) > p.drawnWith-redrawLead {
			t.Fatalf("busy at %v, last drawn %v before with %v: its textures expire", at, ui.now.Sub(p.drawn), p.drawnWith)
		}
		wasBusy, setBefore, drawnBefore := p.c.isBusy, len(ui.set), p.drawn
		ui.advance(step)
		if len(ui.set) > setBefore && p.current() > ui.set[setBefore-1] && p.drawn == drawnBefore {
			t.Fatalf("at %v the duration rose to %v without a redraw", at, p.current())
		}
		if wasBusy && !p.c.isBusy {
			idleAt = append(idleAt, ui.now.Sub(p.start))
		}
	}
	if len(idleAt) == 0 || p.c.isBusy {
		t.Fatalf("never went idle for good (idle at %v)", idleAt)
	}
	return p.redraws, idleAt
}

// TestTextCacheKept: a string shown counts as kept while the duration it
// was shown with lasts (less keptMargin), not after a burst shortened it,
// and never while the tuning is off (FYNE_CACHE set).
func TestTextCacheKept(t *testing.T) {
	ui := &fakeUI{now: time.Unix(1e9, 0)}
	c := newFakeCache(ui)
	c.shown("a")
	if c.kept("a") {
		t.Fatal("kept while the tuning is off")
	}
	c.start()
	c.shown("a")
	ui.now = ui.now.Add(30 * time.Second)
	if !c.kept("a") || c.kept("never shown") {
		t.Fatalf("kept(a) %v, kept(never shown) %v after 30 s of a minute", c.kept("a"), c.kept("never shown"))
	}
	c.recent.keep = 10 * burstTexts // room for a burst, so that a stays listed
	for i := range burstTexts + 1 { // a burst: the shortest
		c.shown(fmt.Sprint("burst ", i))
	}
	if c.current != testBusy {
		t.Fatalf("duration %v after a burst, want %v", c.current, testBusy)
	}
	ui.now = ui.now.Add(testBusy)
	if c.kept("a") || c.kept("burst 0") {
		t.Fatalf("kept(a) %v, kept(burst 0) %v %v after the duration fell to %v", c.kept("a"), c.kept("burst 0"), testBusy, testBusy)
	}
}
