package auth

import (
	"net/http"

	"golang.org/x/oauth2"
)

// HTTPClient returns an HTTP client that sends the access token in the
// Authorization header (never as a query parameter) and refreshes as needed.
// A 401 on a request that can be replayed makes it refresh once and retry
// once: tokens can be revoked or expire early, and that must not show as an
// error when a refresh would fix it.
func (s *Session) HTTPClient() *http.Client {
	return &http.Client{
		Transport:     &retryOn401{session: s, base: s.http.Transport},
		Timeout:       s.http.Timeout,
		CheckRedirect: sameOriginRedirects,
	}
}

type retryOn401 struct {
	session *Session
	base    http.RoundTripper
}

// RoundTrip sends req with the access token, and once more after a refresh
// when the tenant answers 401 and the body can be replayed. As every
// RoundTripper must, it closes the request body on every path, errors
// included: the base transport closes what it is given, and send closes it
// when there is no token to send it with.
func (rt *retryOn401) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, used, err := rt.send(req)
	if err != nil || resp.StatusCode != http.StatusUnauthorized || (req.Body != nil && req.GetBody == nil) {
		return resp, err
	}
	resp.Body.Close()
	rt.session.invalidate(used)
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		req = req.Clone(req.Context())
		req.Body = body
	}
	resp, _, err = rt.send(req)
	return resp, err
}

// send makes one attempt and says which access token it used. The token
// goes only to the tenant's and the data service's origins: the transport
// sets the header itself, so nothing else would stop it.
func (rt *retryOn401) send(req *http.Request) (*http.Response, string, error) {
	var tok *oauth2.Token
	err := error(&OriginError{Origin: origin(req.URL)})
	if rt.session.Profile.mayCarryToken(req.URL) {
		tok, err = rt.session.Token()
	}
	if err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, "", err
	}
	r := req.Clone(req.Context())
	tok.SetAuthHeader(r)
	base := rt.base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(r)
	return resp, tok.AccessToken, err
}
