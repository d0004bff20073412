package ui

import (
	"time"

	"fyne.io/fyne/v2/theme"
)

// miss is a row the table asked for before its page was loaded.
type miss struct {
	row int
	at  time.Time
}

// fetchDelay lets a scroll settle before pages are fetched.
const fetchDelay = 90 * time.Millisecond

// missed notes a row that is not loaded and schedules the fetch of what the
// table shows once scrolling pauses.
func (v *peopleView) missed(row int) {
	v.misses = append(v.misses, miss{row, time.Now()})
	cancelLater(&v.stopFetch)
	v.stopFetch = v.do.later(fetchDelay, v.fetchMissed)
}

// fetchMissed fetches the pages of the rows the last render missed. A drag
// renders every frame and the rows it flew past must not be fetched: only
// misses close in time to the last one count, and of those only the ones
// within a screen of it (frames can follow each other within milliseconds).
func (v *peopleView) fetchMissed() {
	if len(v.misses) == 0 || v.pager == nil {
		return
	}
	last := v.misses[len(v.misses)-1]
	screen := v.screenRows()
	lo, hi := last.row, last.row
	for _, m := range v.misses {
		if last.at.Sub(m.at) > 40*time.Millisecond || m.row < last.row-screen || m.row > last.row+screen {
			continue // from an earlier render, scrolled past since
		}
		lo, hi = min(lo, m.row), max(hi, m.row)
	}
	v.misses = v.misses[:0]
	v.pager.Prefetch(lo, hi)
}

// screenRows is how many rows the table shows at its current height.
func (v *peopleView) screenRows() int {
	row := v.fitter.cellHeight(theme.InnerPadding()) + theme.Padding() // and the separator
	return int(v.table.Size().Height/row) + 1
}
