package keyring

import (
	"errors"
	"testing"
)

func TestMemoryStore(t *testing.T) {
	s := NewMemoryStore()
	if _, err := s.Get("p", EntryRefreshToken); !errors.Is(err, ErrNotStored) {
		t.Fatalf("missing entry: %v", err)
	}
	if err := s.Set("p", EntryRefreshToken, "r1"); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Get("p", EntryRefreshToken); v != "r1" || err != nil || !stored(s, "p", EntryRefreshToken) {
		t.Fatalf("Get = %q, %v", v, err)
	}
	if stored(s, "other", EntryRefreshToken) || stored(s, "p", EntryClientSecret) {
		t.Fatal("entries leak between profiles or names")
	}
	if err := s.Delete("p", EntryRefreshToken); err != nil || stored(s, "p", EntryRefreshToken) {
		t.Fatalf("Delete: %v", err)
	}
	if err := s.Delete("p", EntryRefreshToken); err != nil {
		t.Fatalf("deleting a missing entry: %v", err)
	}
}

// stored reports whether the store holds an entry for the profile.
func stored(s Store, profile, entry string) bool {
	_, err := s.Get(profile, entry)
	return err == nil
}
