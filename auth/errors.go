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

// LostAnswerError is a refresh whose answer never arrived although the
// request was sent: the tenant may have rotated the refresh token, and
// asking again with the old one would look like reuse of a stolen token,
// which makes a tenant revoke the whole grant. The session stops instead.
type LostAnswerError struct{ Err error }

func (e *LostAnswerError) Error() string {
	return "the connection to the Cezanne tenant broke while it was renewing your sign-in (" + clip(e.Err.Error(), maxServerText) +
		"). The tenant may already have replaced it, and asking again with the old one could make the tenant revoke it, so the app stopped; please sign in again"
}

func (e *LostAnswerError) Unwrap() error { return e.Err }

// Is makes a lost answer one more reason to sign in again.
func (e *LostAnswerError) Is(target error) bool { return target == ErrSignInAgain }

// SessionOnlyError is a refresh token the keyring could not save: the
// session goes on from memory, but the sign-in will not survive a restart.
type SessionOnlyError struct {
	Err error
	// StaleKept is why the token the new one replaced could not be removed
	// from the keyring, if it could not.
	StaleKept error
}

func (e *SessionOnlyError) Error() string {
	msg := "you are signed in for this session only: the keyring could not save your sign-in (" + e.Err.Error() +
		"), so it will not survive a restart and you will sign in again next time"
	if e.StaleKept != nil {
		msg += "; the previous sign-in could not be removed from the keyring either (" + e.StaleKept.Error() + ") and the tenant will refuse it"
	}
	return msg
}

func (e *SessionOnlyError) Unwrap() error { return e.Err }

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
		var rd *RedirectError
		switch {
		case e.Status != 0:
			hint = fmt.Sprintf("the tenant answered with HTTP %d", e.Status)
		case errors.As(e.Err, &rd):
			hint = rd.Error()
		default:
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
		// The description is the server's: a misbehaving one can make it
		// as long as it likes, and it ends up in a dialog and the log.
		te.Code, te.Message = re.ErrorCode, clip(re.ErrorDescription, maxServerText)
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
