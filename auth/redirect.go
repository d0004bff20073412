package auth

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/urlscheme"
)

// RedirectKind says how the authorization response reaches the app.
type RedirectKind int

const (
	// RedirectLoopback is http://127.0.0.1:PORT/path, served by the app itself.
	RedirectLoopback RedirectKind = iota
	// RedirectCustomScheme is e.g. x-cez://oauth-callback/, handed over by the OS.
	RedirectCustomScheme
)

// Redirect is a parsed redirect URI.
type Redirect struct {
	Kind RedirectKind
	URL  *url.URL
	// BindHosts and Port are where a loopback receiver listens: every
	// address the browser may resolve the redirect URI's host to.
	BindHosts []string
	Port      int
	// Warning is advice that does not stop signing in.
	Warning string
}

// ParseRedirectURI checks a redirect URI the app can receive on: a loopback
// http URI with an explicit port (RFC 8252 §7.3), or a private-use scheme.
func ParseRedirectURI(raw string) (*Redirect, error) {
	if raw == "" {
		return nil, errors.New("enter the redirect URI registered for this application, e.g. http://127.0.0.1:47613/oauth-callback/")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return nil, fmt.Errorf("the redirect URI %q is not a valid address", raw)
	}
	if u.Fragment != "" {
		return nil, errors.New("the redirect URI may not contain a #fragment")
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil, errors.New("an https redirect URI cannot be received by a desktop app; use http://127.0.0.1:PORT/… or x-cez://oauth-callback/")
	case "http":
	default:
		if u.Opaque != "" {
			return nil, fmt.Errorf("the redirect URI %q must look like %s://host/path", raw, u.Scheme)
		}
		// The app can only be handed links of a scheme it registers, and it
		// registers only private-use ones (RFC 8252 §7.1): a profile naming
		// exefile: or ssh: is refused when read, not at the first sign-in.
		if _, err := urlscheme.CheckPrivateUse(u.Scheme); err != nil {
			return nil, fmt.Errorf("the redirect URI %q cannot be used: %w", raw, err)
		}
		return &Redirect{Kind: RedirectCustomScheme, URL: u}, nil
	}
	return loopbackRedirect(u)
}

// loopbackRedirect checks an http redirect URI: it must name this
// computer and a port, which the receiver binds.
func loopbackRedirect(u *url.URL) (*Redirect, error) {
	host := u.Hostname()
	if !isLoopbackHost(host) {
		return nil, fmt.Errorf("the redirect URI must point at this computer (127.0.0.1), not %q: the code must never leave the machine", host)
	}
	if u.Port() == "" {
		return nil, errors.New("the loopback redirect URI needs a port, e.g. http://127.0.0.1:47613/oauth-callback/ (Cezanne compares it exactly)")
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil || port < 1 || port > 65535 {
		return nil, fmt.Errorf("the redirect URI's port %q is not a port number", u.Port())
	}
	r := &Redirect{Kind: RedirectLoopback, URL: u, BindHosts: []string{host}, Port: port}
	switch ip := net.ParseIP(host); {
	case strings.EqualFold(host, "localhost"):
		// RFC 8252 §8.3: "localhost" may resolve to 127.0.0.1 or to ::1, so
		// both are held: left free, [::1] on the same port would let another
		// local program take the code. The literal is still advised.
		r.BindHosts = []string{"127.0.0.1", "::1"}
		r.Warning = "127.0.0.1 is preferred to localhost: a browser may resolve localhost to ::1 or another program. It will still work if Cezanne has localhost registered."
	case ip != nil && ip.To4() == nil:
		r.BindHosts = []string{"::1"}
	}
	return r, nil
}

// CallbackPath is the path the loopback receiver serves ("/" when empty).
func (r *Redirect) CallbackPath() string {
	if r.URL.Path == "" {
		return "/"
	}
	return r.URL.Path
}
