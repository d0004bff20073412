package tuning

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// quietAfter is how long after a cell was last filled (with any text, the
// same or empty included) the window counts as idle again. A scrollbar drag
// or a page arriving fills cells many times a second; a person reading a
// row does not.
const quietAfter = 3 * time.Second

// fyneWalkLead is how long before its cache entries expire Fyne 2.7.1's
// loop walks an idle window to keep them alive (loop.go: it walks when the
// last walk or frame is older than now + 10 s − ValidDuration).
const fyneWalkLead = 10 * time.Second

// idleCacheDuration is the shortest cache duration of an idle window: Fyne
// then walks it every half second (ValidDuration − fyneWalkLead), instead
// of on every frame, 60 times a second, as it does at 2 s.
//
// A longer idle duration needs a frame when it is set: every entry was
// last touched with the busy duration, and keeps that expiry until Fyne's
// next walk. Switching from 2 s to Fyne's own minute without one, that
// walk came 50 s later; the entries had expired long before, and Fyne's
// next cleaning forgot which canvas every object on screen belongs to, so
// the window never drew again (e2e TestWindowDrawsAfterIdle). So any rise
// comes with a redraw of every window (textCache); at 10.5 s the next
// walk comes within half a second anyway, 1.5 s before 2 s entries expire.
const idleCacheDuration = fyneWalkLead + 500*time.Millisecond

// redrawLead is how long before the busy duration runs out the window is
// drawn again (checkQuiet), leaving room for a frame that comes late.
const redrawLead = 500 * time.Millisecond

// textCache sets Fyne's cache duration from what the window shows, because
// no single duration is both lean and smooth:
//   - Fyne keeps the texture of a string for the duration after it was
//     last drawn, and every distinct string gets its own: a scrollbar drag
//     through 50,000 people shows thousands a second, and a minute of them
//     is tens of MB (fyneCacheDuration);
//   - a string drawn again after its texture expired is shaped and
//     rasterised again on the UI goroutine, about 0.5 ms each with
//     software OpenGL: with the 2 s a drag needs held all the time, a
//     person going back and forth between a few pages and searches had
//     every page rasterised again each time, frames of 20-30 ms of new
//     text in the soak's 50-120 ms stalls (328 strings rasterised 1,489
//     times in 100 s).
//
// So the duration is how long ago the keptTexts-th most recently shown
// distinct string was shown (the cells tell it, Shown), between
// fyneCacheDuration and Fyne's own minute: a person browsing keeps a
// minute of what they saw, a drag keeps 2 s, and in between it keeps about
// keptTexts strings. A filled cell may lower it; it rises only at a
// redraw of every window (checkQuiet: when one is due, or for a rise of a
// quarter or more), so what is on screen always has the duration in force.
//
// Below 10 s Fyne 2.7.1 walks every object of an undrawn window on every
// frame to keep its caches alive (2.8% of a core over an empty window's
// idle), so once nothing new has been shown for quietAfter the window
// counts as idle and the duration is at least idleCacheDuration.
//
// Fyne frees the textures of strings not drawn for the duration when it
// next draws, then rasterises again whatever of them is on screen: with
// 2 s that was the pause of a person reading a page before the next Page
// Down (some 120 strings, 60-75 ms). So while busy the window is drawn
// again (redraw) when nothing drew it for the duration it was last drawn
// with, less redrawLead, and once more on going idle, which gives what is
// on screen the idle duration. A redraw with nothing new costs about 15
// ms; one every 1.5 s throughout the soak, where new text comes every
// second or so, made its stalls worse, so a frame with new text counts as
// one. An idle window is not redrawn: after the idle duration with nothing
// drawn its next frame rasterises its text again, once, rather than
// costing CPU while idle.
//
// Its state is touched only on the UI goroutine (Shown is called while
// Fyne updates a cell, the idle check is posted with fyne.Do), as are the
// Fyne variables it sets: Fyne reads them there, while drawing.
type textCache struct {
	mu        sync.Mutex
	enabled   bool          // Apply chose the durations (FYNE_CACHE was not set)
	shortest  time.Duration // while strings come quickly
	longest   time.Duration // the longest: Fyne's own
	idle      time.Duration // the shortest while idle
	quiet     time.Duration
	keep      int                                     // keptTexts
	post      func(func())                            // runs a function on the UI goroutine: fyne.Do
	afterFunc func(time.Duration, func()) *time.Timer // time.AfterFunc
	now       func() time.Time
	set       func(time.Duration) // sets Fyne's cache duration
	// redraw has Fyne draw the window again (SetRedraw); nil: nothing to
	// keep drawn.
	redraw func()
	// onIdle is called as the window goes idle (SetOnIdle); nil: nothing.
	onIdle func()

	current    time.Duration // the duration last set
	drawnWith  time.Duration // the duration in force when the window was last drawn whole
	recent     recentTexts
	lastShown  time.Time // a cell last filled
	lastRedraw time.Time
	isBusy     bool
	armed      bool        // an idle check is due
	armedFor   time.Time   // when
	timer      *time.Timer // its timer, stopped when a sooner check replaces it
	armings    int         // counts arm calls: a check armed before the last is void
}

var appTextCache = &textCache{
	shortest:  fyneCacheDuration,
	longest:   longestCacheDuration,
	idle:      idleCacheDuration,
	quiet:     quietAfter,
	keep:      keptTexts,
	post:      fyne.Do,
	afterFunc: time.AfterFunc,
	now:       time.Now,
	set:       setFyneCache,
}

// setFyneCache sets how long Fyne keeps an entry after its last use. The
// clean interval stays the shortest duration's: Fyne cleans at most every
// 10 s anyway, and so drops what a drag left behind soon after the drag.
func setFyneCache(d time.Duration) { fyneCacheValid = d }

// Shown tells the tuning that a table cell shows s (empty: a cell emptied
// or held back, which still means the window is busy). Call it on the UI
// goroutine; it costs a clock read, a map lookup and, when the duration
// falls (in steps of 100 ms), a pass over the 300 strings listed.
func Shown(s string) { appTextCache.shown(s) }

// Kept says whether s, shown in a cell before, still has its texture in
// Fyne's cache: drawing it again costs nothing. False when the tuning is
// off (FYNE_CACHE set) or s was not shown lately. An estimate: Fyne keys a
// texture by the text drawn (a cell fits a long string to its column), its
// size and colour, and a string shown in a hidden table or replaced before
// a frame drew it has none; the text budget it serves then lets through a
// string it would have metered, which costs time, never correctness.
func Kept(s string) bool { return appTextCache.kept(s) }

// SetRedraw gives the function that has Fyne draw every window again, to be
// called on the UI goroutine; the cache calls it to keep what is on screen
// cached, and whenever the duration rises (see textCache).
func SetRedraw(redraw func()) {
	appTextCache.mu.Lock()
	defer appTextCache.mu.Unlock()
	appTextCache.redraw = redraw
}

// SetOnIdle gives a function to call, on the UI goroutine, each time the
// window goes idle: nothing new shown for quietAfter after it was busy. The
// app hands the C allocator's free pages back then (ctrim.go): what the
// frames of a busy spell freed is freed for good once the window is still.
// It must not block.
func SetOnIdle(f func()) {
	appTextCache.mu.Lock()
	defer appTextCache.mu.Unlock()
	appTextCache.onIdle = f
}

// start takes over Fyne's cache duration, starting idle.
func (c *textCache) start() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.enabled, c.isBusy = true, false
	c.recent = recentTexts{keep: c.keep}
	c.setDuration(max(c.idle, c.longest))
	c.drawnWith = c.current
}

func (c *textCache) shown(s string) {
	c.mu.Lock()
	if !c.enabled {
		c.mu.Unlock()
		return
	}
	now := c.now()
	c.lastShown = now
	c.recent.touch(s, now)
	// The duration may fall here, never rise: a rise must come with a frame
	// of every window (what is on screen must get it), and asking for one
	// from a cell, inside the frame that lays out the table, drew another
	// frame right after it (runs of three or four in the soak). Rises wait
	// for checkQuiet, which redraws.
	c.isBusy = true
	if d := c.recent.span(now, c.shortest, c.longest); d < c.current {
		c.setDuration(d)
	}
	c.drawnWith = c.current
	c.recent.stamp(s, c.current)
	// A shorter duration may need the window redrawn before the check
	// armed with a longer one.
	if !c.armed || c.armedFor.After(now.Add(c.redrawEvery())) {
		c.arm(min(c.quiet, c.redrawEvery()))
	}
	c.mu.Unlock()
}

func (c *textCache) kept(s string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.enabled && c.recent.kept(s, c.now())
}

func (c *textCache) setDuration(d time.Duration) {
	if d < c.current {
		c.recent.shortened(c.now(), d)
	}
	c.current = d
	c.set(d)
}

// redrawEvery is how often a busy window is drawn again: before what the
// last frame drew expires.
func (c *textCache) redrawEvery() time.Duration { return c.drawnWith - redrawLead }

// arm checks for quiet after d, on the UI goroutine, instead of any check
// armed before. Called with mu held.
func (c *textCache) arm(d time.Duration) {
	if c.armed && c.timer != nil {
		c.timer.Stop()
	}
	c.armings++
	armed := c.armings
	c.armed, c.armedFor = true, c.now().Add(d)
	c.timer = c.afterFunc(d, func() { c.post(func() { c.checkQuiet(armed) }) })
}

// checkQuiet goes idle when nothing was shown for quiet, or checks again
// when a cell was filled since. It draws the window again when nothing has
// for redrawEvery (a filled cell is a frame that draws it all), so that the
// textures of the strings on screen live on, and on going idle when the
// idle duration is longer than what the window was last drawn with, which
// gives what is on screen the idle duration.
func (c *textCache) checkQuiet(armed int) {
	c.mu.Lock()
	if armed != c.armings {
		c.mu.Unlock()
		return
	}
	c.armed = false
	now := c.now()
	redraw := c.redraw
	if since := now.Sub(c.lastShown); since < c.quiet {
		d := c.recent.span(now, c.shortest, c.longest)
		switch {
		case now.Sub(c.lastDrawn()) >= c.redrawEvery():
			c.redrew(now, d)
		case d >= c.current+c.current/4:
			// A rise worth a frame: a quarter or more.
			c.redrew(now, d)
		default:
			redraw = nil // a frame with new text came since
		}
		c.arm(min(c.quiet-since, c.lastDrawn().Add(c.redrawEvery()).Sub(now)))
	} else {
		if c.isBusy && c.onIdle != nil {
			defer c.onIdle() // after the lock is let go, as redraw
		}
		c.isBusy = false
		d := max(c.idle, c.recent.span(now, c.shortest, c.longest))
		if d > c.drawnWith {
			c.redrew(now, d)
		} else {
			// What is on screen lives as long already: a redraw would
			// cost a frame for nothing.
			redraw = nil
			if d != c.current {
				c.setDuration(d)
			}
		}
	}
	c.mu.Unlock()
	if redraw != nil {
		redraw()
	}
}

// redrew notes a redraw with duration d, set just before it.
func (c *textCache) redrew(now time.Time, d time.Duration) {
	if d != c.current {
		c.setDuration(d)
	}
	c.lastRedraw, c.drawnWith = now, d
}

// lastDrawn is when the window was last drawn whole, as far as the cache
// knows: the last new text shown, or its last redraw.
func (c *textCache) lastDrawn() time.Time {
	if c.lastRedraw.After(c.lastShown) {
		return c.lastRedraw
	}
	return c.lastShown
}
