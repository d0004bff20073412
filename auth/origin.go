package auth

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// origin is a URL's scheme, host and port, the unit browsers and RFC 6454
// trust as one site: the same host on another port or without TLS is
// another party as far as the token is concerned.
func origin(u *url.URL) string {
	if u == nil {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// originOf parses raw and returns its origin, or "" when it is not an
// absolute URL (which then matches nothing).
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return origin(u)
}

// mayCarryToken says whether a request to u may have the access token:
// only the tenant's and the data service's origins may see it. Whether a
// data service on another origin is allowed at all is decided when the
// profile is signed in to.
func (p *Profile) mayCarryToken(u *url.URL) bool {
	o := origin(u)
	return o != "" && (o == p.TenantOrigin() || o == p.DataServiceOrigin())
}

// RedirectError is a redirect the app refused to follow, so that nothing
// it sends (the access token, or a token request's secrets) reaches a site
// it was not meant for.
type RedirectError struct {
	From, To string // origins
	// Token is true for a token request, which follows no redirect at all.
	Token bool
}

func (e *RedirectError) Error() string {
	if e.Token {
		return fmt.Sprintf("the tenant's token endpoint redirected the app to %s; token requests never follow redirects, so your credentials were not sent there (check the tenant's address in the profile)", e.To)
	}
	return fmt.Sprintf("the tenant at %s redirected the app to %s; the app follows redirects only within the same site, so your sign-in was not sent there", e.From, e.To)
}

// OriginError is a request the session refused to send because its address
// is neither the tenant nor its data service.
type OriginError struct{ Origin string }

func (e *OriginError) Error() string {
	return "the app does not send your sign-in to " + e.Origin + ": it is neither your tenant nor its data service"
}

// sameOriginRedirects lets a redirect through only to the origin the
// request started at, and never from https to http: Go's own rule would
// still send a header set by the transport to any host, and a downgrade
// would put the token on the wire in clear.
func sameOriginRedirects(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return fmt.Errorf("the tenant redirected the app more than 10 times; stopped")
	}
	// Every hop must stay at the first request's origin, which also rules
	// out https to http (another scheme is another origin).
	if origin(req.URL) != origin(via[0].URL) {
		return &RedirectError{From: origin(via[len(via)-1].URL), To: origin(req.URL)}
	}
	return nil
}

// refuseRedirects is the token calls' rule: a 307/308 would replay the
// body (client secret, refresh token, code and verifier) to wherever it
// points, so no redirect is followed at all.
func refuseRedirects(req *http.Request, via []*http.Request) error {
	return &RedirectError{From: origin(via[len(via)-1].URL), To: origin(req.URL), Token: true}
}

// tokenClient is hc for token requests: the same transport and limits,
// following no redirects.
func tokenClient(hc *http.Client) *http.Client {
	c := *hc
	c.CheckRedirect = refuseRedirects
	return &c
}
