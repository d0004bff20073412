// Package keyring keeps per-profile secrets (the refresh token and the
// client secret): in the operating system's keyring (Windows Credential
// Manager, macOS Keychain, Secret Service), with a timeout and a slow-call
// notice on every call, or in memory for a session-only sign-in.
package keyring

import "errors"

// Service is the service name under which entries appear in the OS
// keyring (Windows Credential Manager, macOS Keychain, Secret Service).
const Service = "Cezanne HR Desktop"

// Entry names kept per profile, each stored separately so none comes near the
// platforms' size limits (Windows 2,560 bytes, macOS about 3,000).
const (
	EntryRefreshToken = "refresh_token"
	EntryClientSecret = "client_secret"
)

// ErrNotStored means the keyring has no such entry.
var ErrNotStored = errors.New("not stored")

// Store keeps per-profile secrets. System is the real one; MemoryStore
// keeps them for this run only.
type Store interface {
	Get(profile, entry string) (string, error)
	Set(profile, entry, value string) error
	Delete(profile, entry string) error
}

// WaitNotifier is a store that can say it is waiting (see System.SetOnWait).
type WaitNotifier interface {
	SetOnWait(func(op string, waiting bool))
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
