package tuning

import (
	"container/list"
	"time"
)

// keptTexts is how many distinct cell strings the cache duration is chosen
// to keep textures for (textCache): some three pages of the People table at
// 1400×900, a few MB of textures with software OpenGL (a drag that kept
// twice as many for a minute peaked 16 MB higher).
const keptTexts = 300

// burstTexts new strings within burstWindow are a burst (a scrollbar drag,
// a jump to the end): strings shown then get the shortest duration at once,
// instead of a long one while the keptTexts fill up (which kept the first
// 500 strings of a drag for a minute).
const (
	burstTexts  = 150
	burstWindow = 2 * time.Second
)

// longestCacheDuration is the longest cache duration: Fyne's own.
const longestCacheDuration = time.Minute

// spanStep is how finely the duration follows the strings kept.
const spanStep = 100 * time.Millisecond

// keptMargin is how long before its texture expires a string no longer
// counts as kept: the frame that draws it may come a little later.
const keptMargin = 500 * time.Millisecond

// recentTexts is the keep most recently shown distinct strings, newest
// first, each with when it was last shown and the cache duration then.
type recentTexts struct {
	keep  int
	order list.List // of *recentText; Front is the newest
	index map[string]*list.Element
	// added is when strings not listed were added, oldest first: the
	// last burstTexts+1 of them at most, back to burstWindow ago.
	added []time.Time
}

type recentText struct {
	s  string
	at time.Time
	// until is when its texture expires at the soonest: shown with a
	// duration, or drawn again with a shorter one (shortened).
	until time.Time
}

// touch notes that s is shown now.
func (r *recentTexts) touch(s string, now time.Time) {
	if s == "" || r.keep <= 0 {
		return
	}
	if r.index == nil {
		r.index = map[string]*list.Element{}
	}
	if e, ok := r.index[s]; ok {
		e.Value.(*recentText).at = now
		r.order.MoveToFront(e)
		return
	}
	r.index[s] = r.order.PushFront(&recentText{s: s, at: now})
	r.added = append(r.forgetAdded(now), now)
	if len(r.added) > burstTexts+1 {
		r.added = r.added[1:]
	}
	for r.order.Len() > r.keep {
		oldest := r.order.Back()
		delete(r.index, oldest.Value.(*recentText).s)
		r.order.Remove(oldest)
	}
}

// stamp notes the cache duration s was shown with.
func (r *recentTexts) stamp(s string, d time.Duration) {
	if e, ok := r.index[s]; ok {
		t := e.Value.(*recentText)
		t.until = t.at.Add(d)
	}
}

// shortened notes that the cache duration fell to d now: a string still on
// screen is drawn with it from now on, so none counts as kept past now + d
// (one not on screen keeps its texture longer; counting it out is safe).
func (r *recentTexts) shortened(now time.Time, d time.Duration) {
	soonest := now.Add(d)
	for e := r.order.Front(); e != nil; e = e.Next() {
		if t := e.Value.(*recentText); t.until.After(soonest) {
			t.until = soonest
		}
	}
}

// span is the cache duration that keeps about keep strings: how long ago
// the oldest of them was shown, once there are that many, within
// [shortest, longest]; the shortest during a burst.
func (r *recentTexts) span(now time.Time, shortest, longest time.Duration) time.Duration {
	if len(r.forgetAdded(now)) > burstTexts {
		return shortest
	}
	if r.order.Len() == 0 || r.order.Len() < r.keep {
		return longest
	}
	// In steps, so that a list going round sets Fyne's duration (and
	// shortens what is kept) now and then, not at every string.
	oldest := r.order.Back().Value.(*recentText).at
	return min(max(now.Sub(oldest).Truncate(spanStep), shortest), longest)
}

// forgetAdded drops the additions older than burstWindow, and returns the
// rest.
func (r *recentTexts) forgetAdded(now time.Time) []time.Time {
	i := 0
	for i < len(r.added) && now.Sub(r.added[i]) >= burstWindow {
		i++
	}
	r.added = r.added[i:]
	return r.added
}

// kept says whether s, shown before, still has its texture now.
func (r *recentTexts) kept(s string, now time.Time) bool {
	e, ok := r.index[s]
	if !ok {
		return false
	}
	t := e.Value.(*recentText)
	return now.Before(t.until.Add(-keptMargin))
}
