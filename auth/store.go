package auth

import (
	"errors"
	"fmt"
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

func (k Keyring) user(profile, entry string) string { return profile + "/" + entry }

func (k Keyring) do(op string, f func() error) error {
	timeout := k.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		if errors.Is(err, keyring.ErrNotFound) {
			return ErrNotStored
		}
		if err != nil {
			return &KeyringError{Op: op, Err: err}
		}
		return nil
	case <-time.After(timeout):
		return &KeyringError{Op: op, Err: errKeyringTimeout}
	}
}

// Get reads an entry; ErrNotStored when there is none.
func (k Keyring) Get(profile, entry string) (string, error) {
	var v string
	err := k.do("read the "+entryName(entry), func() (err error) {
		v, err = keyring.Get(KeyringService, k.user(profile, entry))
		return err
	})
	return v, err
}

// Set writes an entry, refusing values that some platform could not hold.
func (k Keyring) Set(profile, entry, value string) error {
	if len(value) > maxEntry {
		return &KeyringError{Op: "save the " + entryName(entry),
			Err: fmt.Errorf("it is %d bytes, more than the %d the keyrings of every platform can hold", len(value), maxEntry)}
	}
	return k.do("save the "+entryName(entry), func() error {
		return keyring.Set(KeyringService, k.user(profile, entry), value)
	})
}

// Delete removes an entry; deleting a missing entry is not an error.
func (k Keyring) Delete(profile, entry string) error {
	err := k.do("remove the "+entryName(entry), func() error {
		return keyring.Delete(KeyringService, k.user(profile, entry))
	})
	if errors.Is(err, ErrNotStored) {
		return nil
	}
	return err
}

func entryName(entry string) string {
	switch entry {
	case EntryRefreshToken:
		return "sign-in (refresh token)"
	case EntryClientSecret:
		return "client secret"
	}
	return entry
}
