package auth

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
)

var (
	// ErrNoSignInWaiting means a custom-scheme response arrived while no
	// sign-in was waiting for one (a stray, replayed or late link).
	ErrNoSignInWaiting = errors.New("no sign-in is waiting for this response; start signing in from the app")
	// ErrAlreadyReceived means the sign-in already had its one response.
	ErrAlreadyReceived = errors.New("this sign-in response was already received")
)

// SchemeInbox receives custom-scheme redirects (x-cez://oauth-callback/…)
// that the operating system handed to the app: forwarded by a second
// process over the instance channel, or as an Apple Event on macOS. It gives
// each to the sign-in waiting for it, with the same checks as the loopback
// receiver: the redirect URI must match, the state must match, and only
// the first answer counts. Safe for concurrent use.
type SchemeInbox struct {
	mu      sync.Mutex
	waiting *schemeWait
}

type schemeWait struct {
	redirect *Redirect
	state    string
	trace    *Trace
	result   chan callbackResult
	done     bool
}

// Deliver hands a redirect URL to the waiting sign-in. It returns an error
// saying why the URL was refused; ErrStateMismatch leaves the sign-in
// waiting (a stale or forged link must not end the real attempt).
func (in *SchemeInbox) Deliver(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return fmt.Errorf("not a sign-in response: %q is not a link", truncate(raw, 80))
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	w := in.waiting
	if w == nil {
		return ErrNoSignInWaiting
	}
	if !sameRedirect(u, w.redirect.URL) {
		return fmt.Errorf("the link is not for this sign-in's redirect URI %s", w.redirect.URL)
	}
	via := "the " + u.Scheme + ":// link"
	if w.done {
		w.trace.callbackStep(via, u.Query(), w.state, false)
		return ErrAlreadyReceived
	}
	code, err := ParseCallback(u.Query(), w.state)
	w.trace.callbackStep(via, u.Query(), w.state, !errors.Is(err, ErrStateMismatch))
	if errors.Is(err, ErrStateMismatch) {
		return err
	}
	w.done = true
	w.result <- callbackResult{code: code, err: err}
	return nil
}

// expect makes the inbox wait for one response to r with state. Call stop
// when the sign-in ends; later deliveries get ErrNoSignInWaiting.
func (in *SchemeInbox) expect(r *Redirect, state string, trace *Trace) (wait func(context.Context) (string, error), stop func()) {
	w := &schemeWait{redirect: r, state: state, trace: trace, result: make(chan callbackResult, 1)}
	in.mu.Lock()
	in.waiting = w
	in.mu.Unlock()
	wait = func(ctx context.Context) (string, error) { return waitForAnswer(ctx, w.result) }
	stop = func() {
		in.mu.Lock()
		if in.waiting == w {
			in.waiting = nil
		}
		in.mu.Unlock()
	}
	return wait, stop
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

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
