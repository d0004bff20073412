package keyring

import (
	"errors"
	"fmt"
	"sync"
	"time"

	gokeyring "github.com/zalando/go-keyring"
)

// maxEntry is the largest value we write: below every platform's limit.
const maxEntry = 2048

// System stores secrets in the OS keyring, with a timeout on every call: a
// locked keyring may be showing an unlock prompt, and a missing Secret
// Service can make D-Bus calls hang.
type System struct {
	Timeout time.Duration // default 30 s
	// SlowAfter is how long a call may take before OnWait hears of it (default 1 s).
	SlowAfter time.Duration

	mu     sync.Mutex
	onWait func(op string, waiting bool)
	// backend is go-keyring unless a test replaces it.
	backend backend
}

// backend is the keyring library's API, so a test can make it slow.
type backend interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

type goKeyring struct{}

func (goKeyring) Get(service, user string) (string, error) { return gokeyring.Get(service, user) }
func (goKeyring) Set(service, user, password string) error {
	return gokeyring.Set(service, user, password)
}
func (goKeyring) Delete(service, user string) error { return gokeyring.Delete(service, user) }

func (k *System) impl() backend {
	if k.backend == nil {
		return goKeyring{}
	}
	return k.backend
}

// SetOnWait registers f to hear when a keyring call is slow (waiting=true,
// typically an unlock prompt) and when it has finished (waiting=false).
func (k *System) SetOnWait(f func(op string, waiting bool)) {
	k.mu.Lock()
	k.onWait = f
	k.mu.Unlock()
}

// Error says the keyring could not be used, in words for the UI.
type Error struct {
	Op  string
	Err error
}

func (e *Error) Error() string {
	if errors.Is(e.Err, errTimeout) {
		return fmt.Sprintf("the system keyring did not answer while trying to %s; it may be locked and waiting for your password", e.Op)
	}
	return fmt.Sprintf("could not %s in the system keyring: %v", e.Op, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

var errTimeout = errors.New("keyring timed out")

func user(profile, entry string) string { return profile + "/" + entry }

// do runs f with the timeout, telling onWait when it is slow.
func (k *System) do(op string, f func() error) error {
	timeout := k.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	slow := k.SlowAfter
	if slow == 0 {
		slow = time.Second
	}
	done := make(chan error, 1)
	go func() { done <- f() }()
	k.mu.Lock()
	notify := k.onWait
	k.mu.Unlock()
	slowTimer := time.NewTimer(slow)
	defer slowTimer.Stop()
	waiting := false
	defer func() {
		if waiting && notify != nil {
			notify(op, false)
		}
	}()
	deadline := time.After(timeout)
	for {
		select {
		case <-slowTimer.C:
			if notify != nil {
				waiting = true
				notify(op, true)
			}
		case err := <-done:
			if errors.Is(err, gokeyring.ErrNotFound) {
				return ErrNotStored
			}
			if err != nil {
				return &Error{Op: op, Err: err}
			}
			return nil
		case <-deadline:
			return &Error{Op: op, Err: errTimeout}
		}
	}
}

// Get reads an entry; ErrNotStored when there is none.
func (k *System) Get(profile, entry string) (string, error) {
	var v string
	err := k.do("read the "+entryName(entry), func() (err error) {
		v, err = k.impl().Get(Service, user(profile, entry))
		return err
	})
	return v, err
}

// Set writes an entry, refusing values that some platform could not hold.
func (k *System) Set(profile, entry, value string) error {
	if len(value) > maxEntry {
		return &Error{Op: "save the " + entryName(entry),
			Err: fmt.Errorf("it is %d bytes, more than the %d the keyrings of every platform can hold", len(value), maxEntry)}
	}
	return k.do("save the "+entryName(entry), func() error {
		return k.impl().Set(Service, user(profile, entry), value)
	})
}

// Delete removes an entry; deleting a missing entry is not an error.
func (k *System) Delete(profile, entry string) error {
	err := k.do("remove the "+entryName(entry), func() error {
		return k.impl().Delete(Service, user(profile, entry))
	})
	if errors.Is(err, ErrNotStored) {
		return nil
	}
	return err
}
