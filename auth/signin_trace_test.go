package auth

import (
	"errors"
	"net/http"
	"testing"
)

// TestSignInTraceNil: no trace, or a trace with only some hooks, is safe.
func TestSignInTraceNil(t *testing.T) {
	for _, tr := range []*SignInTrace{nil, {}} {
		tr.authorizeURL("https://example/", false)
		tr.browserStart()
		tr.browserDone(errors.New("x"))
		tr.callbackReceived(CallbackInfo{})
		tr.done(DoneInfo{})
		hc := &http.Client{}
		if tr.wrapClient(hc) != hc {
			t.Error("a client was wrapped without WrapTransport")
		}
	}
}

func TestSignInTraceWrapClient(t *testing.T) {
	var wrapped http.RoundTripper
	tr := &SignInTrace{WrapTransport: func(base http.RoundTripper) http.RoundTripper {
		wrapped = base
		return http.DefaultTransport
	}}
	base := &http.Transport{}
	hc := &http.Client{Transport: base, Timeout: 7}
	got := tr.wrapClient(hc)
	if got == hc || got.Transport != http.DefaultTransport || got.Timeout != 7 || wrapped != base || hc.Transport != base {
		t.Fatalf("wrapClient: %+v (original %+v)", got, hc)
	}
}
