package ui

import (
	"sync"
	"sync/atomic"
	"time"
)

// laterPrefs are the app's preferences, handed to Fyne's store from a
// goroutine of their own. Fyne 2.7.1 writes its preferences file, with an
// fsync, inside every change, on the goroutine that made it (here the UI
// goroutine), and again on the UI goroutine when another change came within
// 100 ms of that save (app/preferences.go, resetSavedRecently). The soak
// caught the window stalled 159 ms in that fsync; signing in changes three
// preferences at once.
//
// A change is seen at once by String; the writer hands every change made
// since its last hand-over to the store in one batch (one save), then waits
// gap and for the UI goroutine to run a call queued after Fyne's (waitUI):
// only then has Fyne forgotten its save, so that the next batch does not
// make it save again on the UI goroutine.
type laterPrefs struct {
	store  preferences
	gap    time.Duration
	waitUI func() // fyne.DoAndWait of nothing

	mu      sync.Mutex
	pending map[string]string // changed, not yet in store
	wake    chan struct{}
	writing sync.Mutex  // one hand-over at a time (the writer, flush, stop)
	stopped atomic.Bool // changes go straight to the store (never waiting for a save to read it)
}

// batchStore is a store that takes many changes as one (Fyne's
// preferences: WriteValues saves once).
type batchStore interface {
	WriteValues(func(map[string]any))
}

// newLaterPrefs starts the writer, which runs until stop.
func newLaterPrefs(store preferences, gap time.Duration, waitUI func()) *laterPrefs {
	p := &laterPrefs{store: store, gap: gap, waitUI: waitUI, pending: map[string]string{}, wake: make(chan struct{}, 1)}
	go p.run()
	return p
}

func (p *laterPrefs) String(key string) string {
	p.mu.Lock()
	v, ok := p.pending[key]
	p.mu.Unlock()
	if ok {
		return v
	}
	return p.store.String(key)
}

func (p *laterPrefs) SetString(key, value string) {
	p.mu.Lock()
	p.pending[key] = value
	p.mu.Unlock()
	// Checked after the change is pending: either stop's flush, which
	// comes after stopped is set, finds it, or this one hands it over.
	if p.stopped.Load() {
		p.flush() // the app is quitting: no writer any more
		return
	}
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

func (p *laterPrefs) run() {
	for range p.wake {
		if p.stopped.Load() {
			return
		}
		if p.flush() {
			time.Sleep(p.gap)
			p.waitUI()
		}
	}
}

// stop hands every pending change to the store and ends the writer: the
// app calls it as it stops, right before Fyne's own last save (on a
// signal too, when no window closes), so that two saves never write the
// file at once.
func (p *laterPrefs) stop() {
	p.stopped.Store(true)
	p.flush() // after a hand-over the writer may be making (writing)
	select {
	case p.wake <- struct{}{}: // the writer sees stopped and returns
	default:
	}
}

// flush hands every pending change to the store now, and says whether
// there were any.
func (p *laterPrefs) flush() bool {
	p.writing.Lock()
	defer p.writing.Unlock()
	// A copy: reads find the changes in pending until the store has them.
	p.mu.Lock()
	batch := make(map[string]string, len(p.pending))
	for k, v := range p.pending {
		batch[k] = v
	}
	p.mu.Unlock()
	if len(batch) == 0 {
		return false
	}
	if b, ok := p.store.(batchStore); ok {
		b.WriteValues(func(values map[string]any) {
			for k, v := range batch {
				values[k] = v
			}
		})
	} else {
		for k, v := range batch {
			p.store.SetString(k, v)
		}
	}
	p.mu.Lock()
	for k, v := range batch {
		if p.pending[k] == v { // not changed again meanwhile
			delete(p.pending, k)
		}
	}
	p.mu.Unlock()
	return true
}
