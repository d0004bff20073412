package ui

import (
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

// batchingStore is Fyne's store as laterPrefs sees it: WriteValues is one
// save. hold, when set, blocks a save until it is closed.
type batchingStore struct {
	mu     sync.Mutex
	values map[string]string
	saves  [][]string // the keys of each save
	hold   chan struct{}
	saving chan struct{} // told when a held save has begun
}

func (s *batchingStore) String(k string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.values[k]
}

func (s *batchingStore) SetString(k, v string) { s.WriteValues(func(m map[string]any) { m[k] = v }) }

func (s *batchingStore) WriteValues(f func(map[string]any)) {
	m := map[string]any{}
	f(m)
	if s.hold != nil {
		if s.saving != nil {
			s.saving <- struct{}{}
		}
		<-s.hold
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var keys []string
	for k, v := range m {
		s.values[k] = v.(string)
		keys = append(keys, k)
	}
	s.saves = append(s.saves, keys)
}

func (s *batchingStore) saveCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.saves)
}

// startLaterPrefs starts laterPrefs over store, stopped when the test ends;
// the UI goroutine it waits for answers at once.
func startLaterPrefs(t *testing.T, store preferences, gap time.Duration) *laterPrefs {
	p := newLaterPrefs(store, gap, func() {})
	t.Cleanup(p.stop)
	return p
}

// eventually waits for cond, as long as a busy machine needs.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// A change is read back at once, and reaches the store without the
// caller's goroutine saving.
func TestLaterPrefsReadBackAtOnce(t *testing.T) {
	store := &batchingStore{values: map[string]string{"kept": "old"}, hold: make(chan struct{})}
	p := startLaterPrefs(t, store, time.Millisecond)
	p.SetString("current", "Production")
	if got := p.String("current"); got != "Production" {
		t.Fatalf("read back %q before the store has it", got)
	}
	if got := p.String("kept"); got != "old" {
		t.Fatalf("an unchanged key reads %q", got)
	}
	close(store.hold)
	eventually(t, "the change in the store", func() bool { return store.String("current") == "Production" })
}

// Changes made while a save runs go to the store together, in one save;
// a change made during the save of an older value is not lost.
func TestLaterPrefsBatchesChanges(t *testing.T) {
	store := &batchingStore{values: map[string]string{}, hold: make(chan struct{}), saving: make(chan struct{}, 2)}
	p := startLaterPrefs(t, store, time.Millisecond)
	p.SetString("a", "1")
	<-store.saving // the first save has its batch, and waits
	if got := p.String("a"); got != "1" {
		t.Fatalf("a reads %q while the store saves it", got)
	}
	p.SetString("a", "2")
	p.SetString("b", "x")
	p.SetString("c", "y")
	if got := p.String("a"); got != "2" {
		t.Fatalf("a reads %q during the save of its older value", got)
	}
	close(store.hold)
	eventually(t, "the newer value saved", func() bool { return store.String("a") == "2" && store.String("c") == "y" })
	if n := store.saveCount(); n != 2 {
		t.Fatalf("%d saves (%v), want 2: the first change, then the three made meanwhile", n, store.saves)
	}
	if got := p.String("a"); got != "2" {
		t.Fatalf("a reads %q after both saves", got)
	}
}

// flush hands over what waits for the writer's gap (the window closing).
func TestLaterPrefsFlush(t *testing.T) {
	store := &batchingStore{values: map[string]string{}}
	p := startLaterPrefs(t, store, time.Hour)
	p.SetString("a", "1")
	eventually(t, "the first save", func() bool { return store.String("a") == "1" })
	p.SetString("b", "2") // the writer sleeps its gap
	p.flush()
	if store.String("b") != "2" {
		t.Fatal("flush left a change out of the store")
	}
	p.flush() // nothing left: no save
	if n := store.saveCount(); n != 2 {
		t.Fatalf("%d saves, want 2", n)
	}
}

// A store without WriteValues gets the changes one by one.
func TestLaterPrefsPlainStore(t *testing.T) {
	store := mapPrefs{}
	p := startLaterPrefs(t, store, time.Hour)
	p.SetString("a", "1")
	p.SetString("b", "2")
	p.flush()
	if store["a"] != "1" || store["b"] != "2" {
		t.Fatalf("store %v", store)
	}
}

// After a save the writer waits for the UI goroutine to run a call queued
// after Fyne's own (which forgets that save) before it hands over more:
// otherwise Fyne saves again, on the UI goroutine.
func TestLaterPrefsWaitForTheUIBetweenSaves(t *testing.T) {
	store := &batchingStore{values: map[string]string{}}
	ui := make(chan struct{})
	p := newLaterPrefs(store, time.Millisecond, func() { <-ui })
	p.SetString("a", "1")
	eventually(t, "the first save", func() bool { return store.String("a") == "1" })
	p.SetString("b", "2")
	time.Sleep(50 * time.Millisecond) // long past the gap: the UI has not answered
	if store.String("b") != "" {
		t.Fatal("a second save before the UI goroutine ran")
	}
	close(ui)
	eventually(t, "the second save", func() bool { return store.String("b") == "2" })
	p.stop()
}

// stop hands everything over and ends the writer; later changes go
// straight to the store (the app is quitting).
func TestLaterPrefsStop(t *testing.T) {
	store := &batchingStore{values: map[string]string{}}
	p := newLaterPrefs(store, time.Hour, func() {})
	p.SetString("a", "1")
	eventually(t, "the first save", func() bool { return store.String("a") == "1" })
	p.SetString("b", "2") // the writer sleeps its gap
	p.stop()
	if store.String("b") != "2" {
		t.Fatal("stop left a change out of the store")
	}
	p.SetString("c", "3")
	if store.String("c") != "3" {
		t.Fatal("a change after stop did not reach the store")
	}
}

// The app's preferences are laterPrefs over Fyne's, which take a batch in
// one save; the window closing hands them over.
func TestAppPrefsLater(t *testing.T) {
	a := test.NewTempApp(t)
	if _, ok := a.Preferences().(batchStore); !ok {
		t.Fatalf("Fyne's preferences (%T) have no WriteValues: every change would save on its own", a.Preferences())
	}
	ui := New(a, Options{PrefsLater: true})
	later, ok := ui.prefs.(*laterPrefs)
	if !ok {
		t.Fatalf("the app's preferences are %T", ui.prefs)
	}
	later.gap = time.Hour
	later.SetString("x", "1")
	eventually(t, "the first save", func() bool { return a.Preferences().String("x") == "1" })
	later.SetString("y", "2") // the writer sleeps its gap
	ui.Window().Close()
	if got := a.Preferences().String("y"); got != "2" {
		t.Fatalf("after the window closed Fyne's store has y=%q", got)
	}
	later.stop()
}
