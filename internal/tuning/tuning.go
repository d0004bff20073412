// Package tuning sets the desktop app's process-wide memory knobs: how long
// Fyne caches rendered text (about the last few hundred strings shown, a
// minute at most), how eagerly Go collects garbage, and the heap
// size above which it collects eagerly. Only the app's start calls it, so
// tests, the sandbox and the approve robot keep Go's and Fyne's defaults.
package tuning

import (
	"math"
	"os"
	"runtime/debug"
	"time"
	_ "unsafe" // for go:linkname

	// Links fyne.io/fyne/v2/internal/cache, whose variables are set below,
	// into every binary that uses this package, its own test included.
	_ "fyne.io/fyne/v2/canvas"
)

// fyneCacheDuration is the shortest time Fyne keeps rendered text and
// widget renderers after they were last used: during a burst of new text
// (more than burstTexts new strings within burstWindow, such as a scrollbar
// drag) or when keptTexts strings were shown within it (textcache.go
// chooses the duration, up to Fyne's minute). Every distinct string gets
// its own texture, and software OpenGL keeps textures in the process: a
// minute throughout lets a table scrolled through 50,000 names hold twice
// as much (83 MB against 39 MB at 15 s); 5 s saved 26 MB more, 2 s another
// 6 MB.
const fyneCacheDuration = 2 * time.Second

// memoryBudget is the heap size above which the Go runtime collects garbage
// eagerly: an app HR staff leave open all day should stay small, and
// scrolling through tens of thousands of rows makes garbage quickly. It must
// stay well above the live heap of a long scroll (about 30 MB for 50,000
// people): near it the collector runs non-stop and a scrollbar drag skips
// pages.
const memoryBudget = 128 << 20

// gcPercent lets the heap grow by half its live size between collections
// instead of Go's default 100%: scrolling makes short-lived garbage (decoded
// pages, text measurements), and the smaller heap saved 10 MB of resident
// memory while browsing 50,000 people with no page missed (make bench).
const gcPercent = 50

// Fyne reads FYNE_CACHE once, in the init of its internal cache package,
// which runs before any code of ours could set the variable; setting the
// two variables that init fills avoids re-executing the process (which a
// debugger does not follow) and works on every OS. go.mod pins Fyne v2.7.1.
// Should an upgrade rename them, the linker quietly makes them variables of
// our own: tuning_test reads them back for Fyne's defaults, so that fails
// loudly instead of the tuning silently stopping.

//go:linkname fyneCacheValid fyne.io/fyne/v2/internal/cache.ValidDuration
var fyneCacheValid time.Duration

//go:linkname fyneCacheCleanInterval fyne.io/fyne/v2/internal/cache.cleanTaskInterval
var fyneCacheCleanInterval time.Duration

// Apply tunes the process; call it before the first window is created.
// FYNE_CACHE, GOGC and GOMEMLIMIT, when the person or IT set them, win.
func Apply() { apply(os.LookupEnv) }

func apply(lookupEnv func(string) (string, bool)) {
	if _, set := lookupEnv("FYNE_CACHE"); !set {
		// As Fyne's init derives it from FYNE_CACHE, for the busy duration.
		fyneCacheCleanInterval = fyneCacheDuration / 2
		appTextCache.start()
	}
	if _, set := lookupEnv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
	// A limit other than "none" came from GOMEMLIMIT.
	if debug.SetMemoryLimit(-1) == math.MaxInt64 {
		debug.SetMemoryLimit(memoryBudget)
	}
}
