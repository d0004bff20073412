package trace

import (
	"fmt"
	"math"
	"time"
)

// Clock is when a step happened as a person reads a clock, to the
// millisecond: QA lines it up with server logs and the browser's.
func Clock(at time.Time) string { return at.Format("15:04:05.000") }

// Duration says how long something took in the unit a person would use:
// "320 ms", "4.2 s", "1 min 45 s", never "+105493 ms".
func Duration(ms float64) string {
	switch {
	case ms < 1000:
		return fmt.Sprintf("%.0f ms", ms)
	case ms < 60_000:
		return fmt.Sprintf("%.1f s", ms/1000)
	}
	total := int(math.Round(ms / 1000))
	if total < 3600 {
		return fmt.Sprintf("%d min %d s", total/60, total%60)
	}
	return fmt.Sprintf("%d h %d min", total/3600, total%3600/60)
}

// BrowserAgain records the person asking for the browser again from the
// waiting screen; call done with how opening it went. Every request is
// kept: a second tab can finish the sign-in, and QA needs to see that.
func (t *Trace) BrowserAgain() (done func(error)) {
	if t == nil {
		return func(error) {}
	}
	at := t.now()
	t.add(Step{Kind: StepBrowser, Title: "Browser opened again", At: at})
	return func(err error) {
		t.update(at, StepBrowser, func(s *Step) {
			s.DurationMS = ms(t.now().Sub(at))
			if err != nil {
				s.Title, s.Error = "Browser could not be opened again", err.Error()
			}
		})
	}
}
