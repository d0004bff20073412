package keyring

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	gokeyring "github.com/zalando/go-keyring"
)

func TestSystem(t *testing.T) {
	gokeyring.MockInit()
	k := &System{}
	if _, err := k.Get("p", EntryRefreshToken); !errors.Is(err, ErrNotStored) {
		t.Fatalf("missing entry: %v", err)
	}
	if err := k.Set("p", EntryRefreshToken, "qZR6!Ivalue"); err != nil {
		t.Fatal(err)
	}
	if v, _ := k.Get("p", EntryRefreshToken); v != "qZR6!Ivalue" {
		t.Fatalf("got %q", v)
	}
	var ke *Error
	if err := k.Set("p", EntryRefreshToken, strings.Repeat("x", 3000)); !errors.As(err, &ke) || !strings.Contains(err.Error(), "more than") {
		t.Fatalf("oversized value: %v", err)
	}
	if err := k.Delete("p", EntryRefreshToken); err != nil {
		t.Fatal(err)
	}
	if err := k.Delete("p", EntryRefreshToken); err != nil {
		t.Fatalf("deleting a missing entry: %v", err)
	}
}

// TestSystemSlow: a slow keyring (an unlock prompt) is reported while we
// wait, then times out clearly.
func TestSystemSlow(t *testing.T) {
	slow := &System{Timeout: 300 * time.Millisecond, SlowAfter: 50 * time.Millisecond, backend: slowBackend{}}
	var events []string
	var mu sync.Mutex
	slow.SetOnWait(func(op string, waiting bool) {
		mu.Lock()
		events = append(events, fmt.Sprint(waiting))
		mu.Unlock()
	})
	err := slow.Set("p", EntryClientSecret, "s")
	if err == nil || !strings.Contains(err.Error(), "may be locked") {
		t.Fatalf("slow keyring: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(events, ",") != "true,false" {
		t.Fatalf("wait notices %v, want true then false", events)
	}
}

type slowBackend struct{}

func (slowBackend) Get(string, string) (string, error) { time.Sleep(time.Second); return "", nil }
func (slowBackend) Set(string, string, string) error   { time.Sleep(time.Second); return nil }
func (slowBackend) Delete(string, string) error        { time.Sleep(time.Second); return nil }
