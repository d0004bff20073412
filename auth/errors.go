package auth

import (
	"errors"
	"fmt"

	"golang.org/x/oauth2"
)

// ErrSignInAgain means the stored sign-in can no longer be used (expired,
// revoked, or rotated away): the person has to sign in in the browser again.
var ErrSignInAgain = errors.New("your sign-in has expired or was revoked; please sign in again")

// ErrOffline means the tenant could not be reached. The session is kept and
// the next call tries again.
var ErrOffline = errors.New("offline")

// OfflineError is a token request that failed for network reasons (or a
// tenant outage) even after retrying.
type OfflineError struct{ Err error }

func (e *OfflineError) Error() string {
	return "cannot reach the Cezanne tenant right now (" + e.Err.Error() + "); you are still signed in and the app will try again"
}

func (e *OfflineError) Unwrap() error { return e.Err }

func (e *OfflineError) Is(target error) bool { return target == ErrOffline }

// oauthErrorCode extracts the OAuth "error" of a token endpoint failure.
func oauthErrorCode(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		return re.ErrorCode
	}
	return ""
}

// TokenError is a failed token request in words a person can act on.
type TokenError struct {
	Op      string
	Code    string // OAuth error code, if the server sent one
	Status  int
	Message string // the server's own description, if any
	Err     error
}

func (e *TokenError) Error() string {
	var hint string
	switch e.Code {
	case "invalid_client":
		hint = "the tenant did not accept the client ID or client secret; check them with whoever registered the application"
	case "invalid_grant":
		hint = "the tenant refused the authorization (it may have expired or been used already); sign in again"
	case "unauthorized_client":
		hint = "this application is not allowed to sign in this way; ask Cezanne support to check its registration"
	case "invalid_scope":
		hint = "the tenant does not allow the requested scopes for this application"
	case "":
		if e.Status != 0 {
			hint = fmt.Sprintf("the tenant answered with HTTP %d", e.Status)
		} else {
			hint = "could not reach the tenant: " + e.Err.Error()
		}
	default:
		hint = "the tenant refused the request (" + e.Code + ")"
	}
	msg := "Could not " + e.Op + ": " + hint
	if e.Message != "" {
		msg += ". The server said: " + e.Message
	}
	return msg
}

func (e *TokenError) Unwrap() error { return e.Err }

func describeTokenError(op string, err error) error {
	te := &TokenError{Op: op, Err: err}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		te.Code, te.Message = re.ErrorCode, re.ErrorDescription
		if re.Response != nil {
			te.Status = re.Response.StatusCode
		}
	}
	return te
}

var (
	// ErrCancelled means the person cancelled signing in.
	ErrCancelled = errors.New("signing in was cancelled")
	// ErrTimeout means no answer came back from the browser in time.
	ErrTimeout = errors.New("no answer came back from the browser in time; start signing in again")
	// ErrNoStoredSignIn means there is no refresh token to resume from.
	ErrNoStoredSignIn = errors.New("no stored sign-in")
	// ErrNoClientSecret means neither the environment nor the keyring has it.
	ErrNoClientSecret = errors.New("enter the client secret for this application")
)
