package auth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/assets"
)

// LoopbackReceiver receives the authorization response on the redirect URI's
// loopback address (RFC 8252 §7.3). It serves only the redirect path, accepts
// only a response carrying the expected state, and stops after the first one.
type LoopbackReceiver struct {
	redirect *Redirect
	listener net.Listener
	srv      *http.Server

	trace *Trace // set before the browser opens, read by serve

	mu     sync.Mutex
	state  string
	result chan callbackResult
	done   bool
}

type callbackResult struct {
	code string
	err  error
}

// ErrPortInUse means another program holds the registered redirect port.
var ErrPortInUse = errors.New("port in use")

// ListenLoopback binds the redirect URI's host and port now, so that a busy
// port is reported before the browser is opened.
func ListenLoopback(r *Redirect) (*LoopbackReceiver, error) {
	if r.Kind != RedirectLoopback {
		return nil, errors.New("not a loopback redirect URI")
	}
	addr := net.JoinHostPort(r.BindHost, strconv.Itoa(r.Port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return nil, fmt.Errorf("%w: another program is using %s, the port in the registered redirect URI. Close it and try again (Cezanne compares the redirect URI exactly, so the port cannot change): %v", ErrPortInUse, addr, err)
		}
		return nil, fmt.Errorf("cannot listen on %s for the sign-in response: %w", addr, err)
	}
	lr := &LoopbackReceiver{redirect: r, listener: ln, result: make(chan callbackResult, 1)}
	mux := http.NewServeMux()
	mux.HandleFunc("/", lr.serve)
	lr.srv = &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		MaxHeaderBytes:    32 << 10,
	}
	// One answer is all this server ever gives: a connection kept alive
	// for the browser would outlive the receiver and stall the browser's
	// next sign-in on the same port.
	lr.srv.SetKeepAlivesEnabled(false)
	go func() { _ = lr.srv.Serve(ln) }()
	return lr, nil
}

// Addr is the address actually listened on.
func (lr *LoopbackReceiver) Addr() string { return lr.listener.Addr().String() }

// Expect sets the state of the attempt whose response we wait for.
func (lr *LoopbackReceiver) Expect(state string) {
	lr.mu.Lock()
	lr.state = state
	lr.mu.Unlock()
}

func (lr *LoopbackReceiver) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	if r.URL.Path != lr.redirect.CallbackPath() || r.Method != http.MethodGet {
		page(w, http.StatusNotFound, false, "Not found", "This address only receives the Cezanne sign-in response.")
		return
	}
	lr.mu.Lock()
	defer lr.mu.Unlock()
	if lr.done {
		lr.trace.callbackStep("the loopback listener", r.URL.Query(), lr.state, false)
		page(w, http.StatusGone, false, "Already signed in", "This sign-in response was already received. Return to Cezanne HR Desktop.")
		return
	}
	code, err := ParseCallback(r.URL.Query(), lr.state)
	lr.trace.callbackStep("the loopback listener", r.URL.Query(), lr.state, !errors.Is(err, ErrStateMismatch))
	if errors.Is(err, ErrStateMismatch) {
		// Keep waiting: a stale tab or a forged request must not end the
		// attempt the person is actually making.
		page(w, http.StatusBadRequest, false, "Sign-in response not recognised", "It does not belong to the sign-in Cezanne HR Desktop is waiting for, perhaps from an older tab.")
		return
	}
	lr.done = true
	lr.result <- callbackResult{code: code, err: err}
	if err != nil {
		page(w, http.StatusOK, false, "Sign-in did not complete", capitalise(err.Error())+".")
		return
	}
	page(w, http.StatusOK, true, "Sign-in received", "Cezanne HR Desktop is finishing signing you in.")
}

func page(w http.ResponseWriter, status int, ok bool, title, detail string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = assets.CallbackPage(w, ok, title, detail)
}

// Wait blocks until a response with the expected state arrives, ctx ends, or
// timeout passes, whichever is first.
func (lr *LoopbackReceiver) Wait(ctx context.Context) (string, error) {
	return waitForAnswer(ctx, lr.result)
}

// waitForAnswer waits for a receiver's one answer: the loopback listener's
// or a custom-scheme link's. Ending ctx by its deadline means the browser
// never answered; ending it otherwise means the person cancelled.
func waitForAnswer(ctx context.Context, answers <-chan callbackResult) (string, error) {
	select {
	case res := <-answers:
		return res.code, res.err
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return "", ErrTimeout
		}
		return "", ErrCancelled
	}
}

// Close stops listening; the browser's page has been answered by then.
func (lr *LoopbackReceiver) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := lr.srv.Shutdown(ctx); err != nil {
		return lr.srv.Close()
	}
	return nil
}

func capitalise(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
