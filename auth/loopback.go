package auth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/assets"
)

// loopbackReceiver receives the authorization response on the redirect
// URI's loopback address (RFC 8252 §7.3). It serves only the redirect path,
// and hands every response to the attempt's answer, which keeps the first
// one with the right state.
type loopbackReceiver struct {
	redirect *Redirect
	answer   *answer
	srv      *http.Server
}

// ErrPortInUse means another program holds the registered redirect port.
var ErrPortInUse = errors.New("port in use")

// listenLoopback binds the redirect URI's host and port now, so that a
// busy port is reported before the browser is opened, and serves the
// answer for the attempt with state.
func listenLoopback(r *Redirect, state string, trace *SignInTrace) (*loopbackReceiver, error) {
	if r.Kind != RedirectLoopback {
		return nil, errors.New("not a loopback redirect URI")
	}
	lns, err := listenHosts(r.BindHosts, r.Port)
	if err != nil {
		return nil, err
	}
	lr := &loopbackReceiver{redirect: r, answer: newAnswer(state, trace)}
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
	for _, ln := range lns {
		go func() { _ = lr.srv.Serve(ln) }()
	}
	return lr, nil
}

// listenTCP is net.Listen; tests play a machine without IPv6 with it.
var listenTCP = net.Listen

// listenHosts listens on port on every host, or on none. Only an address
// after the first that the machine does not have is skipped (no IPv6
// loopback: nobody else can listen there either); a busy one is an error.
func listenHosts(hosts []string, port int) ([]net.Listener, error) {
	var lns []net.Listener
	for i, host := range hosts {
		addr := net.JoinHostPort(host, strconv.Itoa(port))
		ln, err := listenTCP("tcp", addr)
		if err != nil && i > 0 && addressUnavailable(err) {
			continue
		}
		if err != nil {
			for _, l := range lns {
				_ = l.Close()
			}
			return nil, listenError(addr, err)
		}
		lns = append(lns, ln)
	}
	return lns, nil
}

func addressUnavailable(err error) bool {
	return errors.Is(err, syscall.EADDRNOTAVAIL) || errors.Is(err, syscall.EAFNOSUPPORT) || errors.Is(err, syscall.EPROTONOSUPPORT)
}

func listenError(addr string, err error) error {
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("%w: another program is using %s, the port in the registered redirect URI. Close it and try again (Cezanne compares the redirect URI exactly, so the port cannot change): %v", ErrPortInUse, addr, err)
	}
	return fmt.Errorf("cannot listen on %s for the sign-in response: %w", addr, err)
}

func (lr *loopbackReceiver) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	if r.URL.Path != lr.redirect.CallbackPath() || r.Method != http.MethodGet {
		page(w, http.StatusNotFound, false, "Not found", "This address only receives the Cezanne sign-in response.")
		return
	}
	err := lr.answer.offer("the loopback listener", r.URL.Query())
	switch {
	case errors.Is(err, ErrAlreadyReceived):
		page(w, http.StatusGone, false, "Already signed in", "This sign-in response was already received. Return to Cezanne HR Desktop.")
	case errors.Is(err, ErrStateMismatch):
		// The attempt keeps waiting: say so without ending it.
		page(w, http.StatusBadRequest, false, "Sign-in response not recognised", "It does not belong to the sign-in Cezanne HR Desktop is waiting for, perhaps from an older tab.")
	case err != nil:
		page(w, http.StatusOK, false, "Sign-in did not complete", capitalise(err.Error())+".")
	default:
		page(w, http.StatusOK, true, "Sign-in received", "Cezanne HR Desktop is finishing signing you in.")
	}
}

func page(w http.ResponseWriter, status int, ok bool, title, detail string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = assets.CallbackPage(w, ok, title, detail)
}

// Close stops listening, once the browser's page is written: the answer
// reaches the sign-in before its page does, and the sign-in can finish
// first. Writing a small page takes milliseconds, but a machine busy with
// other work took over a second (the browser then got a closed connection
// instead of "Sign-in received"), hence the room.
func (lr *loopbackReceiver) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
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
