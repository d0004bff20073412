package tuning

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// quietAfter is how long after the last new cell text the window counts as
// idle again. A scrollbar drag or a page arriving fills cells many times a
// second; a person reading a row does not.
const quietAfter = 3 * time.Second

// fyneWalkLead is how long before its cache entries expire Fyne 2.7.1's
// loop walks an idle window to keep them alive (loop.go: it walks when the
// last walk or frame is older than now + 10 s − ValidDuration).
const fyneWalkLead = 10 * time.Second

// idleCacheDuration is the cache duration of an idle window: Fyne then
// walks it every half second (ValidDuration − fyneWalkLead), instead of on
// every frame, 60 times a second, as it does at the busy 2 s.
//
// It must not be longer: every entry was last touched with the busy
// duration when the window goes idle, and keeps that expiry until Fyne's
// next walk. With Fyne's own minute that walk came 50 s later; the entries
// had expired long before, and Fyne's next cleaning forgot which canvas
// every object on screen belongs to, so the window never drew again
// (e2e TestWindowDrawsAfterIdle). At 10.5 s the next walk comes within
// half a second, 1.5 s before the busy entries expire.
const idleCacheDuration = fyneWalkLead + 500*time.Millisecond

// redrawLead is how long before the busy duration runs out the window is
// drawn again (checkQuiet), leaving room for a frame that comes late.
const redrawLead = 500 * time.Millisecond

// textCache switches Fyne's cache duration between two settings, because
// no single one is both lean and idle:
//   - while cells fill with new text, fyneCacheDuration (2 s): every
//     distinct string scrolled past gets its own cached measurement and
//     texture, and 15 s of them is tens of MB;
//   - once nothing new has been shown for quietAfter, idleCacheDuration:
//     below 10 s Fyne 2.7.1 walks every object of an idle window on every
//     frame to keep its caches alive, which was 2.8% of a core over an
//     empty window's idle.
//
// Fyne keeps the texture of a string only while frames draw it: a frame
// drawn after a longer pause than the duration first frees every texture,
// then rasterises again every string on screen. With the busy 2 s that was
// the pause of a person reading a page before the next Page Down: the
// next frame drew some 120 strings again, 60-75 ms with software OpenGL,
// every time. So while busy the window is drawn again (redraw) every
// busy − redrawLead when no new text was drawn meanwhile (that frame drew
// it all), and once more on going idle, which gives what is on screen the
// idle duration. A redraw with nothing new costs about 15 ms, and more on
// a busy machine: one every 1.5 s throughout the soak, where new text
// comes every second or so, made its stalls worse.
// An idle window is not redrawn: after 10 s of nothing its next frame
// rasterises its text again, once, rather than costing CPU while idle.
//
// Its state is touched only on the UI goroutine (Busy is called while Fyne
// updates a cell, the idle check is posted with fyne.Do), as are the Fyne
// variables it sets: Fyne reads them there, while drawing.
type textCache struct {
	mu        sync.Mutex
	enabled   bool // Apply chose the durations (FYNE_CACHE was not set)
	busy      time.Duration
	idle      time.Duration
	quiet     time.Duration
	post      func(func())                            // runs a function on the UI goroutine: fyne.Do
	afterFunc func(time.Duration, func()) *time.Timer // time.AfterFunc
	now       func() time.Time
	set       func(time.Duration) // sets Fyne's cache duration
	// redraw has Fyne draw the window again (SetRedraw); nil: nothing to
	// keep drawn.
	redraw func()

	lastBusy   time.Time
	lastRedraw time.Time
	isBusy     bool
	armed      bool // an idle check is due
}

var appTextCache = &textCache{
	busy:      fyneCacheDuration,
	idle:      idleCacheDuration,
	quiet:     quietAfter,
	post:      fyne.Do,
	afterFunc: time.AfterFunc,
	now:       time.Now,
	set:       setFyneCache,
}

// setFyneCache sets how long Fyne keeps an entry after its last use. The
// clean interval stays the busy one's: Fyne cleans at most every 10 s
// anyway, and so drops what a drag left behind soon after the drag.
func setFyneCache(d time.Duration) { fyneCacheValid = d }

// Busy tells the tuning that the window is showing new text (a table cell
// filled). Call it on the UI goroutine; it costs a clock read.
func Busy() { appTextCache.markBusy() }

// SetRedraw gives the function that has Fyne draw the window again, to be
// called on the UI goroutine; the cache calls it to keep what is on screen
// cached (see textCache).
func SetRedraw(redraw func()) {
	appTextCache.mu.Lock()
	defer appTextCache.mu.Unlock()
	appTextCache.redraw = redraw
}

// start takes over Fyne's cache duration, starting idle.
func (c *textCache) start() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.enabled, c.isBusy = true, false
	c.set(c.idle)
}

func (c *textCache) markBusy() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.enabled {
		return
	}
	c.lastBusy = c.now()
	if !c.isBusy {
		c.isBusy = true
		c.set(c.busy)
	}
	if !c.armed {
		c.arm(min(c.quiet, c.redrawEvery()))
	}
}

// redrawEvery is how often a busy window is drawn again.
func (c *textCache) redrawEvery() time.Duration { return c.busy - redrawLead }

// arm checks for quiet after d, on the UI goroutine. Called with mu held.
func (c *textCache) arm(d time.Duration) {
	c.armed = true
	c.afterFunc(d, func() { c.post(c.checkQuiet) })
}

// checkQuiet goes idle when nothing was shown for quiet, or checks again
// when the last new text is more recent. It draws the window again when
// nothing has for redrawEvery (new text is a frame that draws it all), so
// that the textures of the strings on screen live on, and on going idle,
// which gives them the idle duration.
func (c *textCache) checkQuiet() {
	c.mu.Lock()
	c.armed = false
	now := c.now()
	redraw := c.redraw
	if since := now.Sub(c.lastBusy); since < c.quiet {
		if now.Sub(c.lastDrawn()) < c.redrawEvery() {
			redraw = nil // a frame with new text came since
		} else {
			c.lastRedraw = now
		}
		c.arm(min(c.quiet-since, c.lastDrawn().Add(c.redrawEvery()).Sub(now)))
	} else {
		c.isBusy = false
		c.set(c.idle)
	}
	c.mu.Unlock()
	if redraw != nil {
		redraw()
	}
}

// lastDrawn is when the window was last drawn whole, as far as the cache
// knows: the last new text shown, or its last redraw.
func (c *textCache) lastDrawn() time.Time {
	if c.lastRedraw.After(c.lastBusy) {
		return c.lastRedraw
	}
	return c.lastBusy
}
