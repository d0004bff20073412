package auth

import (
	"net/http"
	"net/url"
)

// SignInTrace is a set of hooks run at the steps of a sign-in and by the
// session it starts, in the manner of net/http/httptrace.ClientTrace: auth
// says what happened, the hooks decide what to keep. Any field may be nil.
//
// internal/trace fills one from a flow trace (Trace.SignInHooks). The type
// lives here, not there, so that auth imports no recorder and the
// dependency runs one way: trace knows auth's types, auth knows nothing of
// trace.
type SignInTrace struct {
	// WrapTransport wraps the transport of the token requests and of the
	// session's HTTP client, so every call can be recorded.
	WrapTransport func(http.RoundTripper) http.RoundTripper
	// AuthorizeURL is called with the Authorize URL before the browser
	// opens; customState says the state was chosen by the caller
	// (Options.State) rather than drawn at random.
	AuthorizeURL func(url string, customState bool)
	// BrowserStart is called just before the browser is asked to open the
	// Authorize URL (a fast browser can answer on the redirect URI before
	// that call returns), BrowserDone once it has returned.
	BrowserStart func()
	BrowserDone  func(err error)
	// CallbackReceived is called for every response that reaches the
	// redirect URI, the ignored ones too.
	CallbackReceived func(CallbackInfo)
	// Done is called when SignIn or Resume ends, except for a Resume that
	// found no stored sign-in (it tried nothing).
	Done func(DoneInfo)
}

// CallbackInfo is an authorization response as a receiver saw it.
type CallbackInfo struct {
	// Via says how it came: "the loopback listener", "the x-cez:// link".
	Via string
	// Query holds the response's parameters, the code among them: a hook
	// that keeps them must redact it.
	Query url.Values
	// StateMatched says the state is this attempt's.
	StateMatched bool
	// Accepted says this response ended the wait (a refusal from the tenant
	// does too); a foreign state or a second answer is ignored.
	Accepted bool
}

// DoneInfo says how a sign-in ended.
type DoneInfo struct {
	// Resumed says it was Resume (from the stored refresh token or a
	// service account's credentials), not SignIn.
	Resumed bool
	// Err is nil when signed in; ErrCancelled when the person cancelled.
	Err error
}

// The methods below call a hook when both the trace and the hook are set,
// so the sign-in code reads as one line per step.

func (t *SignInTrace) wrapClient(hc *http.Client) *http.Client {
	if t == nil || t.WrapTransport == nil {
		return hc
	}
	traced := *hc
	traced.Transport = t.WrapTransport(hc.Transport)
	return &traced
}

func (t *SignInTrace) authorizeURL(u string, customState bool) {
	if t != nil && t.AuthorizeURL != nil {
		t.AuthorizeURL(u, customState)
	}
}

func (t *SignInTrace) browserStart() {
	if t != nil && t.BrowserStart != nil {
		t.BrowserStart()
	}
}

func (t *SignInTrace) browserDone(err error) {
	if t != nil && t.BrowserDone != nil {
		t.BrowserDone(err)
	}
}

func (t *SignInTrace) callbackReceived(info CallbackInfo) {
	if t != nil && t.CallbackReceived != nil {
		t.CallbackReceived(info)
	}
}

func (t *SignInTrace) done(info DoneInfo) {
	if t != nil && t.Done != nil {
		t.Done(info)
	}
}
