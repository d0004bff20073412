package ui

import (
	"sync"
	"testing"
	"time"
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
	p := newLaterPrefs(store, time.Millisecond)
	p.SetString("current", "Production")
	if got := p.String("current"); got != "Production" {
		t.Fatalf("read back %q before the store has it", got)
	}
	if got := p.String("kept"); got != "old" {
		t.Fatalf("an unchanged key reads %q", got)
	}
	if store.saveCount() != 0 {
		t.Fatal("SetString saved on the caller's goroutine")
	}
	close(store.hold)
	eventually(t, "the change in the store", func() bool { return store.String("current") == "Production" })
}

// Changes made while a save runs go to the store together, in one save;
// a change made during the save of an older value is not lost.
func TestLaterPrefsBatchesChanges(t *testing.T) {
	store := &batchingStore{values: map[string]string{}, hold: make(chan struct{}), saving: make(chan struct{}, 2)}
	p := newLaterPrefs(store, time.Millisecond)
	p.SetString("a", "1")
	<-store.saving // the first save has its batch, and waits
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
	p := newLaterPrefs(store, time.Hour)
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
	p := newLaterPrefs(store, time.Hour)
	p.SetString("a", "1")
	p.SetString("b", "2")
	p.flush()
	if store["a"] != "1" || store["b"] != "2" {
		t.Fatalf("store %v", store)
	}
}
