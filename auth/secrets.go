package auth

import (
	"strings"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
)

// Secrets is the store of p's refresh token and client secret, bound to
// p's tenant origin and client ID. A profile's name is all that names its
// keyring entries, and a profile file can reuse a name for another tenant:
// through this store, what was saved for one tenant and client is never
// read for another.
func Secrets(store keyring.Store, p *Profile) keyring.Store {
	return keyring.Bind(store, p.TenantOrigin(), p.ClientID)
}

// TenantOrigin is the scheme, host and port of the tenant root, spelt one
// way (lower case, port always given) so that two spellings of one tenant
// are one origin.
func (p *Profile) TenantOrigin() string { return canonicalOrigin(p.Root()) }

// canonicalOrigin is raw's origin (see origin); a URL that does not parse
// is its own origin, so it matches nothing but itself.
func canonicalOrigin(raw string) string {
	if o := originOf(raw); o != "" {
		return o
	}
	return raw
}

// DisplayOrigin is an origin as a person reads it: without the port when
// it is the scheme's default.
func DisplayOrigin(origin string) string {
	switch {
	case strings.HasPrefix(origin, "https://") && strings.HasSuffix(origin, ":443"):
		return strings.TrimSuffix(origin, ":443")
	case strings.HasPrefix(origin, "http://") && strings.HasSuffix(origin, ":80"):
		return strings.TrimSuffix(origin, ":80")
	}
	return origin
}
