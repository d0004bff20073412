package tuning

import (
	"container/list"
	"time"
)

// keptTexts is how many distinct cell strings the cache duration is chosen
// to keep textures for (textCache): some six pages of the People table at
// 1400×900, about 6 MB of textures with software OpenGL.
const keptTexts = 600

// longestCacheDuration is the longest cache duration: Fyne's own.
const longestCacheDuration = time.Minute

// keptMargin is how long before its texture expires a string no longer
// counts as kept: the frame that draws it may come a little later.
const keptMargin = 500 * time.Millisecond

// recentTexts is the keep most recently shown distinct strings, newest
// first, each with when it was last shown and the cache duration then.
type recentTexts struct {
	keep  int
	order list.List // of *recentText; Front is the newest
	index map[string]*list.Element
}

type recentText struct {
	s  string
	at time.Time
	d  time.Duration // the cache duration it was shown with
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
	for r.order.Len() > r.keep {
		oldest := r.order.Back()
		delete(r.index, oldest.Value.(*recentText).s)
		r.order.Remove(oldest)
	}
}

// stamp notes the cache duration s was shown with.
func (r *recentTexts) stamp(s string, d time.Duration) {
	if e, ok := r.index[s]; ok {
		e.Value.(*recentText).d = d
	}
}

// span is the cache duration that keeps about keep strings: how long ago
// the oldest of them was shown, once there are that many, within
// [shortest, longest].
func (r *recentTexts) span(now time.Time, shortest, longest time.Duration) time.Duration {
	if r.order.Len() < r.keep {
		return longest
	}
	oldest := r.order.Back().Value.(*recentText).at
	return min(max(now.Sub(oldest), shortest), longest)
}

// kept says whether s, shown before, still has its texture now.
func (r *recentTexts) kept(s string, now time.Time) bool {
	e, ok := r.index[s]
	if !ok {
		return false
	}
	t := e.Value.(*recentText)
	return now.Before(t.at.Add(t.d - keptMargin))
}
