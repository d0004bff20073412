package ui

import "time"

// Fyne draws a string it has not drawn lately on the UI goroutine, inside
// the frame that first shows it: it shapes the string, rasterises every
// glyph and uploads a texture. With software OpenGL on two cores that is
// about 0.5 ms a string (ui_frame_cost_new_texts_*), and one page of the
// People table is a hundred new strings, so a search, Page Down or a jump
// to the end froze the window for one 60-120 ms frame, during which it
// took no input and drew nothing.
//
// textBudget spreads such a page over several frames: each share (an
// interval of 20 ms, about a frame) may show at most perFrame strings not
// on screen lately, and the cells past it stay empty until the next share,
// when the table is refreshed again: a page of 100 within about 80 ms. A
// string that still has its texture costs nothing and is never held back:
// one shown within recentFor (Fyne keeps one for at least two seconds after
// it was last drawn), or one the process tuning says is kept (for up to a
// minute); nor is a cell that already shows its text. Text a cell draws
// itself (cell.go: a tenth of Fyne's cost) never comes here: the budget
// meters only the text Fyne draws.
type textBudget struct {
	// perFrame ≤ 0: no limit (Options.NewTextPerFrame has its 0 made the
	// default before it comes here, and -1 for none).
	perFrame int
	// first, when above 0, is the first share instead: the table's first
	// frame is the whole new screen's first, whose other text (the toolbar,
	// tabs, headers) Fyne shapes and rasterises in it as well.
	first    int
	interval time.Duration
	now      func() time.Time
	// later runs f on the UI goroutine after d, and never before it
	// returns: f refreshes the table, which must not happen inside the
	// table's own refresh (with d = 0: after what is queued already, see
	// afterFrame). refill shows the cells held back (the table's Refresh).
	later  func(d time.Duration, f func()) (stop func())
	refill func()
	// kept says whether a string shown before still has its texture
	// (tuning.Kept); nil: only recentFor counts.
	kept func(string) bool

	left    int
	since   time.Time // when the current share began
	recent  map[string]time.Time
	pending bool   // a refill is on its way
	stop    func() // cancels it
}

// recentFor is how long a string counts as drawn: well inside the two
// seconds Fyne keeps its texture while the window is busy
// (internal/tuning/textcache.go), so a string counted free still has one.
const recentFor = time.Second

// Defaults: about four frames for a page of the People table at 1400×900
// (about 100 strings), each frame spending about 10 ms on new text.
// A signed-in view's first frame holds some 20 strings besides the
// table's (measured in a frame log: 44 new strings with the full share, a
// 66 ms frame of which 48 painting), so the table's first share is smaller.
const (
	defaultNewTextPerFrame = 24
	firstTextShare         = 8
	textBudgetInterval     = 20 * time.Millisecond
)

func newTextBudget(perFrame int, now func() time.Time, later func(time.Duration, func()) func(), refill func()) *textBudget {
	return &textBudget{perFrame: perFrame, interval: textBudgetInterval, now: now, later: later, refill: refill,
		recent: map[string]time.Time{}}
}

// allow says whether a cell showing shown may show s in this frame.
// false leaves the cell empty: a refill is then on its way.
func (b *textBudget) allow(s, shown string) bool {
	if b == nil || b.perFrame <= 0 || s == shown || s == "" {
		return true
	}
	now := b.now()
	if t, ok := b.recent[s]; ok && now.Sub(t) < recentFor {
		b.recent[s] = now
		return true
	}
	if b.kept != nil && b.kept(s) {
		return true
	}
	if now.Sub(b.since) >= b.interval {
		b.newShare(now)
	}
	if b.left > 0 {
		b.left--
		b.recent[s] = now
		return true
	}
	if !b.pending {
		b.pending = true
		b.stop = b.later(0, b.afterFrame)
	}
	return false
}

// afterFrame runs the refill's wait from the UI goroutine's queue. Cells
// held back while Fyne draws a frame (laying the table out) or handles
// input (Page Down, End: the frame follows in the same tick) get it only
// once that frame has been drawn, after what was queued meanwhile (input,
// data, anything waiting for the window); timed from the share alone, the
// refill was due before a slow frame ended and went ahead of what had
// waited through it, and a page's frames came back to back. Cells held
// back by a call already on the queue (a refill, a page arriving) usually
// get it before the next frame: then the wait is the interval, as before.
func (b *textBudget) afterFrame() {
	wait := max(0, b.interval-b.now().Sub(b.since))
	b.stop = b.later(wait, func() {
		b.pending, b.stop = false, nil
		b.newShare(b.now())
		b.refill()
	})
}

// filling says whether cells are held back, waiting for a refill.
func (b *textBudget) filling() bool { return b != nil && b.pending }

// newShare starts a frame's share, and forgets strings not shown lately.
func (b *textBudget) newShare(now time.Time) {
	b.left = b.perFrame
	if b.since.IsZero() && b.first > 0 {
		b.left = b.first
	}
	b.since = now
	for s, t := range b.recent {
		if now.Sub(t) >= recentFor {
			delete(b.recent, s)
		}
	}
}

// close cancels a refill still waiting (the table is going away).
func (b *textBudget) close() {
	if b != nil && b.pending {
		b.stop()
		b.pending, b.stop = false, nil
	}
}
