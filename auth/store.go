package auth

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
)

// KeyringService is the service name under which entries appear in the OS
// keyring (Windows Credential Manager, macOS Keychain, Secret Service).
const KeyringService = "Cezanne HR Desktop"

// Entry names kept per profile, each stored separately so none comes near the
// platforms' size limits (Windows 2,560 bytes, macOS about 3,000).
const (
	EntryRefreshToken = "refresh_token"
	EntryClientSecret = "client_secret"
)

// maxEntry is the largest value we write: below every platform's limit.
const maxEntry = 2048

// ErrNotStored means the keyring has no such entry.
var ErrNotStored = errors.New("not stored")

// SecretStore keeps per-profile secrets. Keyring is the real one; tests may
// use keyring.MockInit with it, or another implementation.
type SecretStore interface {
	Get(profile, entry string) (string, error)
	Set(profile, entry, value string) error
	Delete(profile, entry string) error
}

// Keyring stores secrets in the OS keyring, with a timeout on every call: a
// locked keyring may be showing an unlock prompt, and a missing Secret
// Service can make D-Bus calls hang.
type Keyring struct {
	Timeout time.Duration // default 30 s
	// SlowAfter is how long a call may take before OnWait hears of it (default 1 s).
	SlowAfter time.Duration

	mu     sync.Mutex
	onWait func(op string, waiting bool)
	// backend is go-keyring unless a test replaces it.
	backend keyringBackend
}

type keyringBackend interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

type goKeyring struct{}

func (goKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (goKeyring) Set(service, user, password string) error {
	return keyring.Set(service, user, password)
}
func (goKeyring) Delete(service, user string) error { return keyring.Delete(service, user) }

func (k *Keyring) impl() keyringBackend {
	if k.backend == nil {
		return goKeyring{}
	}
	return k.backend
}

// SetOnWait registers f to hear when a keyring call is slow (waiting=true,
// typically an unlock prompt) and when it has finished (waiting=false).
func (k *Keyring) SetOnWait(f func(op string, waiting bool)) {
	k.mu.Lock()
	k.onWait = f
	k.mu.Unlock()
}

// WaitNotifier is a store that can say it is waiting (see Keyring.SetOnWait).
type WaitNotifier interface {
	SetOnWait(func(op string, waiting bool))
}

// KeyringError says the keyring could not be used, in words for the UI.
type KeyringError struct {
	Op  string
	Err error
}

func (e *KeyringError) Error() string {
	if errors.Is(e.Err, errKeyringTimeout) {
		return fmt.Sprintf("the system keyring did not answer while trying to %s; it may be locked and waiting for your password", e.Op)
	}
	return fmt.Sprintf("could not %s in the system keyring: %v", e.Op, e.Err)
}

func (e *KeyringError) Unwrap() error { return e.Err }

var errKeyringTimeout = errors.New("keyring timed out")

func (k *Keyring) user(profile, entry string) string { return profile + "/" + entry }

func (k *Keyring) do(op string, f func() error) error {
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
			if errors.Is(err, keyring.ErrNotFound) {
				return ErrNotStored
			}
			if err != nil {
				return &KeyringError{Op: op, Err: err}
			}
			return nil
		case <-deadline:
			return &KeyringError{Op: op, Err: errKeyringTimeout}
		}
	}
}

// Get reads an entry; ErrNotStored when there is none.
func (k *Keyring) Get(profile, entry string) (string, error) {
	var v string
	err := k.do("read the "+entryName(entry), func() (err error) {
		v, err = k.impl().Get(KeyringService, k.user(profile, entry))
		return err
	})
	return v, err
}

// Set writes an entry, refusing values that some platform could not hold.
func (k *Keyring) Set(profile, entry, value string) error {
	if len(value) > maxEntry {
		return &KeyringError{Op: "save the " + entryName(entry),
			Err: fmt.Errorf("it is %d bytes, more than the %d the keyrings of every platform can hold", len(value), maxEntry)}
	}
	return k.do("save the "+entryName(entry), func() error {
		return k.impl().Set(KeyringService, k.user(profile, entry), value)
	})
}

// Delete removes an entry; deleting a missing entry is not an error.
func (k *Keyring) Delete(profile, entry string) error {
	err := k.do("remove the "+entryName(entry), func() error {
		return k.impl().Delete(KeyringService, k.user(profile, entry))
	})
	if errors.Is(err, ErrNotStored) {
		return nil
	}
	return err
}

// ProbeKeyring checks that the store can be used at all (a read of an entry
// that does not exist must answer "not stored"). A Linux desktop without a
// Secret Service, or a headless session, fails here.
func ProbeKeyring(store SecretStore) error {
	_, err := store.Get("probe", "availability")
	var ke *KeyringError
	switch {
	case err == nil || errors.Is(err, ErrNotStored):
		return nil
	case errors.As(err, &ke) && !errors.Is(err, errKeyringTimeout):
		return fmt.Errorf("the system keyring cannot be reached: %w", ke.Err)
	}
	return err
}

// ErrNoKeyring explains the keyring's absence to people.
var ErrNoKeyring = errors.New("no system keyring is available on this computer, so your sign-in cannot be saved")

func entryName(entry string) string {
	switch entry {
	case EntryRefreshToken:
		return "sign-in (refresh token)"
	case EntryClientSecret:
		return "client secret"
	}
	return entry
}
