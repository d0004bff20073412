package auth

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/url"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/textcut"
)

var (
	// ErrStateMismatch means the response does not belong to our request:
	// a stale tab, another app, or a forgery attempt (RFC 9700 §4.7).
	ErrStateMismatch = errors.New("the sign-in response did not match this sign-in attempt (state mismatch); start signing in again")
	// ErrMissingCode means the tenant answered without code or error.
	ErrMissingCode = errors.New("the sign-in response had no authorization code")
)

// AuthorizeError is an error the tenant returned to the redirect URI.
type AuthorizeError struct {
	Code        string
	Description string
}

// maxServerText bounds how much of a server's own words an error shows (an
// AuthorizeError's description, a token endpoint's error_description, a
// broken connection's cause): the other side chooses them, and a message a
// person reads needs no more than a few lines.
const maxServerText = 300

func (e *AuthorizeError) Error() string {
	var msg string
	switch e.Code {
	case "access_denied":
		msg = "access was denied on the consent page"
	case "invalid_scope":
		msg = "the tenant does not allow the requested scopes for this application"
	case "unauthorized_client", "unsupported_response_type":
		msg = "the tenant does not allow this application to sign in this way"
	case "server_error", "temporarily_unavailable":
		msg = "the tenant could not complete the sign-in; try again in a moment"
	default:
		msg = "the tenant refused the sign-in (" + shorten(e.Code, 64) + ")"
	}
	if e.Description != "" {
		msg += ": " + shorten(e.Description, maxServerText)
	}
	return msg
}

// shorten cuts s to at most n bytes, on a character boundary, marking the cut.
func shorten(s string, n int) string { return textcut.Cut(s, n, "…") }

// ParseCallback checks an authorization response's query against the state
// we sent and returns the code. The state is checked first, so an error from
// an unrelated response is never taken for ours.
func ParseCallback(q url.Values, wantState string) (string, error) {
	if !stateMatches(q, wantState) {
		return "", ErrStateMismatch
	}
	if e := q.Get("error"); e != "" {
		return "", &AuthorizeError{Code: e, Description: q.Get("error_description")}
	}
	code := q.Get("code")
	if code == "" {
		return "", ErrMissingCode
	}
	if len(code) > 4096 {
		return "", fmt.Errorf("the authorization code is implausibly long (%d bytes)", len(code))
	}
	return code, nil
}

// stateMatches compares in constant time, so the answer's timing tells a
// forger nothing about the state.
func stateMatches(q url.Values, wantState string) bool {
	return q.Has("state") && subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(wantState)) == 1
}
