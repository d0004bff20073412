package ui

import (
	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
)

// defaultCustomRedirect is the redirect Cezanne's guidance names for
// desktop apps.
const defaultCustomRedirect = "x-cez://oauth-callback/"

// customScheme is the profile's redirect scheme when it is a custom one
// (x-cez), or "".
func customScheme(p *auth.Profile) string {
	r, err := auth.ParseRedirectURI(p.RedirectURI)
	if err != nil || r.Kind != auth.RedirectCustomScheme {
		return ""
	}
	return r.URL.Scheme
}
