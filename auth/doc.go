// Package auth signs a person (or a service account) in to a Cezanne HR
// tenant with OAuth 2.0 and keeps the session.
//
// It holds the Authorize URL with PKCE and state (authorize.go), the
// redirect URI's rules (redirect.go), the receivers that take the browser's
// answer (loopback.go for http://127.0.0.1, scheme_inbox.go for x-cez://
// links, both through the one-answer rule in answer.go), the code exchange
// (signin.go), signing in again from the stored refresh token (resume.go),
// signing out (signout.go), and the Session: an oauth2.TokenSource that
// refreshes early, one refresh at a time, saves a rotated refresh token
// before using the access token that came with it (refresh.go), and an HTTP
// client that heals a 401 with one refresh (transport.go). Where a secret
// may go is decided here too: the access token only to the tenant's and
// the data service's origins, redirects only within an origin and never
// for token calls (origin.go), and the keyring entries bound to the tenant
// origin and client ID they were saved for (secrets.go). Errors are typed
// and worded for the person (errors.go, callback.go).
//
// Profile (profile.go) also lives here. It is product data, but every step
// of the protocol reads it (endpoints, client ID, redirect URI, scopes,
// PKCE, grant type) and its validation uses the redirect URI's rules; a
// package of its own would have to import auth or be imported by it for
// those, so splitting it would add a package without removing a dependency.
//
// What auth does not do has a package of its own below internal/: secret
// storage (internal/keyring, which auth imports for the Store it writes the
// refresh token to), the single-instance channel that carries x-cez:// links
// from a second process (internal/instance), registering the scheme with
// the OS and the rule of which schemes it may own (internal/urlscheme,
// whose CheckPrivateUse redirect.go applies), and the QA flow trace
// (internal/trace). The trace hears of each step through SignInTrace, a
// struct of hooks in the manner of net/http/httptrace: internal/trace
// imports auth, never the other way round.
package auth
