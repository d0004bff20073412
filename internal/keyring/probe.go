package keyring

import (
	"errors"
	"fmt"
)

// ErrUnavailable explains the keyring's absence to people.
var ErrUnavailable = errors.New("no system keyring is available on this computer, so your sign-in cannot be saved")

// Probe checks that the store can be used at all (a read of an entry
// that does not exist must answer "not stored"). A Linux desktop without a
// Secret Service, or a headless session, fails here.
func Probe(store Store) error {
	_, err := store.Get("probe", "availability")
	var ke *Error
	switch {
	case err == nil || errors.Is(err, ErrNotStored):
		return nil
	case errors.As(err, &ke) && !errors.Is(err, errTimeout):
		return fmt.Errorf("the system keyring cannot be reached: %w", ke.Err)
	}
	return err
}
