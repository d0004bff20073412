package ui

import (
	"sync"
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
// since its last hand-over to the store in one batch (one save), and waits
// gap after each, so that no change reaches Fyne while it would save
// again on the UI goroutine.
type laterPrefs struct {
	store preferences
	gap   time.Duration

	mu      sync.Mutex
	pending map[string]string // changed, not yet in store
	wake    chan struct{}
	writing sync.Mutex // one hand-over at a time (the writer, or flush)
}

// batchStore is a store that takes many changes as one (Fyne's
// preferences: WriteValues saves once).
type batchStore interface {
	WriteValues(func(map[string]any))
}

// newLaterPrefs starts the writer; it runs for the app's life.
func newLaterPrefs(store preferences, gap time.Duration) *laterPrefs {
	p := &laterPrefs{store: store, gap: gap, pending: map[string]string{}, wake: make(chan struct{}, 1)}
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
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

func (p *laterPrefs) run() {
	for range p.wake {
		p.flush()
		time.Sleep(p.gap)
	}
}

// flush hands every pending change to the store now. The app calls it as
// its window closes, before Fyne's last save.
func (p *laterPrefs) flush() {
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
		return
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
}
