package keyring

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strings"
)

// boundPrefix starts every value a bound store writes; the fingerprint and
// a colon follow, then the secret itself.
const boundPrefix = "cezanne-bound:1:"

// fingerprintLen is the length of the hex fingerprint: 128 bits, so no
// other origin and client ID can be made to match by chance.
const fingerprintLen = 32

// BindingError is an entry that exists but was saved for another tenant
// origin or client ID (or before entries were bound to one). It counts as
// not stored: the secret is never handed out.
type BindingError struct{ Entry string }

func (e *BindingError) Error() string {
	return "the saved " + entryName(e.Entry) + " was saved for another tenant or client ID, so it is not used"
}

// Is makes a binding error read as ErrNotStored, so callers that start
// over when nothing is stored do the same here.
func (e *BindingError) Is(target error) bool { return target == ErrNotStored }

// Bind returns the store that keeps a profile's secrets for one tenant
// origin and client ID. A profile is only a name: a file can give the name
// another tenant, and that tenant must never receive what was saved for
// the first. Values are saved with a fingerprint of origin and client ID,
// and a Get under any other pair answers BindingError. Binding a bound
// store rebinds the store beneath.
func Bind(s Store, origin, clientID string) Store {
	fp := fingerprint(origin, clientID)
	if b, ok := s.(*bound); ok {
		if b.fp == fp {
			return b
		}
		s = b.inner
	}
	return &bound{inner: s, fp: fp}
}

// fingerprint hashes the pair with lengths, so that no other split of the
// same bytes into origin and client ID gives the same fingerprint.
func fingerprint(origin, clientID string) string {
	h := sha256.New()
	for _, part := range []string{"cezanne-desktop keyring binding", origin, clientID} {
		h.Write(binary.LittleEndian.AppendUint64(nil, uint64(len(part))))
		h.Write([]byte(part))
	}
	return hex.EncodeToString(h.Sum(nil))[:fingerprintLen]
}

type bound struct {
	inner Store
	fp    string
}

func (b *bound) Get(profile, entry string) (string, error) {
	raw, err := b.inner.Get(profile, entry)
	if err != nil {
		return "", err
	}
	secret, ok := strings.CutPrefix(raw, b.header())
	if !ok {
		return "", &BindingError{Entry: entry}
	}
	return secret, nil
}

func (b *bound) Set(profile, entry, value string) error {
	return b.inner.Set(profile, entry, b.header()+value)
}

// header is what precedes the secret in a value saved for b's binding.
func (b *bound) header() string { return boundPrefix + b.fp + ":" }

// Delete removes the entry whatever it was bound to: forgetting never
// needs to know whom a secret was for.
func (b *bound) Delete(profile, entry string) error { return b.inner.Delete(profile, entry) }

// SetOnWait passes on to the store beneath, so a bound keyring still says
// when it is waiting for an unlock prompt.
func (b *bound) SetOnWait(f func(op string, waiting bool)) {
	if n, ok := b.inner.(WaitNotifier); ok {
		n.SetOnWait(f)
	}
}
