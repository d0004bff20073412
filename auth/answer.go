package auth

import (
	"context"
	"errors"
	"net/url"
	"sync"
)

// ErrAlreadyReceived means the sign-in already had its one response.
var ErrAlreadyReceived = errors.New("this sign-in response was already received")

// answer is the one authorization response a sign-in attempt accepts,
// whichever receiver brings it: the loopback listener or a custom-scheme
// link. The first response carrying the attempt's state wins, a refusal
// from the tenant included. A foreign state (a stale tab, another app, a
// forgery) or a second response is reported to the trace and ignored, so it
// can never end the attempt the person is actually making. The state and
// the trace are fixed when the answer is made, before any receiver serves.
// Safe for concurrent use.
type answer struct {
	state  string
	trace  *SignInTrace
	result chan callbackResult // holds the one accepted response

	mu   sync.Mutex
	done bool
}

type callbackResult struct {
	code string
	err  error
}

func newAnswer(state string, trace *SignInTrace) *answer {
	return &answer{state: state, trace: trace, result: make(chan callbackResult, 1)}
}

// offer hands a response's query to the attempt. ErrAlreadyReceived and
// ErrStateMismatch mean it was ignored; any other error is the tenant's
// own answer (a refusal), which ended the attempt as a code does.
func (a *answer) offer(via string, q url.Values) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	info := CallbackInfo{Via: via, Query: q, StateMatched: stateMatches(q, a.state)}
	if a.done {
		a.trace.callbackReceived(info)
		return ErrAlreadyReceived
	}
	code, err := ParseCallback(q, a.state)
	info.Accepted = !errors.Is(err, ErrStateMismatch)
	a.trace.callbackReceived(info)
	if !info.Accepted {
		return err
	}
	a.done = true
	a.result <- callbackResult{code: code, err: err}
	return err
}

// wait blocks until a response is accepted or ctx ends. Ending ctx by its
// deadline means the browser never answered; ending it otherwise means
// the person cancelled.
func (a *answer) wait(ctx context.Context) (string, error) {
	select {
	case res := <-a.result:
		return res.code, res.err
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return "", ErrTimeout
		}
		return "", ErrCancelled
	}
}
