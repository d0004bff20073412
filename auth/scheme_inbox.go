package auth

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
)

// ErrNoSignInWaiting means a custom-scheme response arrived while no
// sign-in was waiting for one (a stray, replayed or late link).
var ErrNoSignInWaiting = errors.New("no sign-in is waiting for this response; start signing in from the app")

// SchemeInbox receives custom-scheme redirects (x-cez://oauth-callback/…)
// that the operating system handed to the app: forwarded by a second
// process over the instance channel, or as an Apple Event on macOS. It gives
// each to the sign-in waiting for it, with the same checks as the loopback
// receiver: the redirect URI must match, and the attempt's answer accepts
// only the first response with its state. Safe for concurrent use.
type SchemeInbox struct {
	mu      sync.Mutex
	waiting *schemeWait
}

type schemeWait struct {
	redirect *Redirect
	answer   *answer
}

// Deliver hands a redirect URL to the waiting sign-in. It returns an error
// saying why the URL was refused; ErrStateMismatch leaves the sign-in
// waiting (a stale or forged link must not end the real attempt).
func (in *SchemeInbox) Deliver(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return fmt.Errorf("not a sign-in response: %q is not a link", shorten(raw, 80))
	}
	in.mu.Lock()
	w := in.waiting
	in.mu.Unlock()
	if w == nil {
		return ErrNoSignInWaiting
	}
	if !sameRedirect(u, w.redirect.URL) {
		return fmt.Errorf("the link is not for this sign-in's redirect URI %s", w.redirect.URL)
	}
	err = w.answer.offer("the "+u.Scheme+":// link", u.Query())
	if errors.Is(err, ErrAlreadyReceived) || errors.Is(err, ErrStateMismatch) {
		return err
	}
	// The tenant's refusal is the sign-in's answer, delivered: the sign-in
	// reports it, not the link's sender.
	return nil
}

// expect makes the inbox wait for one response to r for the attempt with
// state. Call stop when the sign-in ends; later deliveries get
// ErrNoSignInWaiting.
func (in *SchemeInbox) expect(r *Redirect, state string, trace *SignInTrace) (wait func(context.Context) (string, error), stop func()) {
	w := &schemeWait{redirect: r, answer: newAnswer(state, trace)}
	in.mu.Lock()
	in.waiting = w
	in.mu.Unlock()
	stop = func() {
		in.mu.Lock()
		if in.waiting == w {
			in.waiting = nil
		}
		in.mu.Unlock()
	}
	return w.answer.wait, stop
}

// sameRedirect compares a received link with the redirect URI: same scheme
// and host (case-insensitive, as schemes and hosts are), same path ("" and
// "/" alike).
func sameRedirect(got, want *url.URL) bool {
	path := func(u *url.URL) string {
		if u.Path == "" {
			return "/"
		}
		return u.Path
	}
	return strings.EqualFold(got.Scheme, want.Scheme) && strings.EqualFold(got.Host, want.Host) && path(got) == path(want)
}
