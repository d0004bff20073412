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

// textCache switches Fyne's cache duration between two settings, because
// no single one is both lean and idle:
//   - while cells fill with new text, fyneCacheDuration (2 s): every
//     distinct string scrolled past gets its own cached measurement and
//     texture, and a minute of them is tens of MB;
//   - once nothing new has been shown for quietAfter, Fyne's own duration
//     (a minute): below 10 s Fyne 2.7.1 walks every object of an idle
//     window on every frame (60 a second) to keep its caches alive, as
//     its loop.go marks them alive when the last walk is older than
//     now+10s−ValidDuration, which is always for 2 s. That walk was 2.8%
//     of a core over an empty window's idle; at a minute it runs every
//     50 s.
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

	lastBusy time.Time
	isBusy   bool
	armed    bool // an idle check is due
}

var appTextCache = &textCache{
	busy:      fyneCacheDuration,
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

// start takes over Fyne's cache duration, starting idle: its own default
// is what the window uses until cells fill.
func (c *textCache) start(fyneDefault time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.enabled, c.idle, c.isBusy = true, fyneDefault, false
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
		c.arm(c.quiet)
	}
}

// arm checks for quiet after d, on the UI goroutine. Called with mu held.
func (c *textCache) arm(d time.Duration) {
	c.armed = true
	c.afterFunc(d, func() { c.post(c.checkQuiet) })
}

// checkQuiet goes idle when nothing was shown for quiet, or checks again
// when the last new text is more recent.
func (c *textCache) checkQuiet() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.armed = false
	if since := c.now().Sub(c.lastBusy); since < c.quiet {
		c.arm(c.quiet - since)
		return
	}
	c.isBusy = false
	c.set(c.idle)
}
