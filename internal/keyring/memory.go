package keyring

import "sync"

// MemoryStore keeps secrets in memory only: for the demo tenant, and for a
// session-only sign-in when no keyring is available. Nothing touches disk.
type MemoryStore struct {
	mu sync.Mutex
	m  map[string]string
}

// NewMemoryStore returns an empty session-only store.
func NewMemoryStore() *MemoryStore { return &MemoryStore{m: map[string]string{}} }

// Get reads an entry; ErrNotStored when there is none.
func (s *MemoryStore) Get(profile, entry string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[profile+"/"+entry]
	if !ok {
		return "", ErrNotStored
	}
	return v, nil
}

// Set writes an entry.
func (s *MemoryStore) Set(profile, entry, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[profile+"/"+entry] = value
	return nil
}

// Delete removes an entry; deleting a missing entry is not an error.
func (s *MemoryStore) Delete(profile, entry string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, profile+"/"+entry)
	return nil
}
