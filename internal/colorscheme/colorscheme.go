// Package colorscheme reads the desktop's light or dark preference
// (xdg-desktop-portal's org.freedesktop.appearance color-scheme) and
// follows its changes, for a window that must have the right colours from
// its first frame.
//
// Fyne 2.7.1 asks the portal only once its app runs, after the window's
// content is made: the content is made and first drawn in the dark variant
// (Fyne's default before the answer) and, when the answer comes, all of it
// is themed again on the UI goroutine. Here that was a dark flash at every
// start and a stall of 40–50 ms while signing in (the whole form's text
// measured again). Reading the preference from the process's first moments,
// beside the rest of the start, the app can choose its colours before it
// makes anything.
//
// On Windows and macOS Fyne reads the system's preference itself, before
// the window is made (Supported is false there; Start reports
// ErrUnavailable at once). The app is not built for the BSDs, where Fyne
// asks the portal as on Linux.
package colorscheme

import (
	"errors"
	"sync"
	"time"
)

// Scheme is the desktop's colour preference, as the portal names it.
type Scheme uint32

// The portal's values. Any other is to be read as NoPreference.
const (
	NoPreference Scheme = 0
	Dark         Scheme = 1
	Light        Scheme = 2
)

func (s Scheme) String() string {
	switch s {
	case Dark:
		return "dark"
	case Light:
		return "light"
	}
	return "no preference"
}

// ErrUnavailable says that no desktop portal told its preference: no
// session bus, no portal, a portal without settings, or (from Wait) not in
// the time the caller could give.
var ErrUnavailable = errors.New("the desktop did not say whether it prefers light or dark")

// Reading is the desktop's preference, being read on a goroutine of its own
// since Start and, once read, followed until Stop.
type Reading struct {
	done chan struct{} // closed once read (or failed)

	// Set before done is closed.
	scheme Scheme
	err    error
	follow func(func(Scheme)) // starts handing changes on

	stopOnce sync.Once
	stop     func() // ends the reading or the following, and the connection
}

// Wait returns the preference once read, waiting at most d for it. When
// it is not read in time, or cannot be, it returns an error wrapping
// ErrUnavailable and stops the reading: the caller goes on without it.
func (r *Reading) Wait(d time.Duration) (Scheme, error) {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-r.done:
		if r.err != nil {
			r.Stop()
			return NoPreference, r.err
		}
		return r.scheme, nil
	case <-timer.C:
		r.Stop()
		return NoPreference, ErrUnavailable
	}
}

// Follow hands changed, on a goroutine of the reading's own, each
// preference the desktop announces from the moment the reading began
// listening (just before the read: one may repeat the preference Wait
// returned), until Stop. After Wait returned a preference, call Follow or
// Stop: unread announcements are kept for it.
func (r *Reading) Follow(changed func(Scheme)) {
	if r.follow != nil {
		r.follow(changed)
	}
}

// Stop ends the reading and the following, and lets go of the session
// bus. It may be called more than once.
func (r *Reading) Stop() {
	r.stopOnce.Do(r.stop)
}
