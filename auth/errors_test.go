package auth

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/oauth2"
)

func TestTokenErrorWords(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"invalid_client", &oauth2.RetrieveError{ErrorCode: "invalid_client", ErrorDescription: "bad secret", Response: &http.Response{StatusCode: 401}},
			"Could not refresh: the tenant did not accept the client ID or client secret; check them with whoever registered the application. The server said: bad secret"},
		{"unknown code", &oauth2.RetrieveError{ErrorCode: "slow_down"}, "Could not refresh: the tenant refused the request (slow_down)"},
		{"HTTP status only", &oauth2.RetrieveError{Response: &http.Response{StatusCode: 502}}, "Could not refresh: the tenant answered with HTTP 502"},
		{"no answer", errors.New("dial tcp: refused"), "Could not refresh: could not reach the tenant: dial tcp: refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := describeTokenError("refresh", tt.err)
			if err.Error() != tt.want {
				t.Errorf("got  %q\nwant %q", err, tt.want)
			}
			if !errors.Is(err, tt.err) {
				t.Error("the cause is not wrapped")
			}
		})
	}
}

func TestOfflineError(t *testing.T) {
	cause := errors.New("connection reset")
	err := error(&OfflineError{Err: cause})
	if !errors.Is(err, ErrOffline) || !errors.Is(err, cause) || !strings.Contains(err.Error(), "still signed in") {
		t.Fatalf("OfflineError: %v", err)
	}
}
