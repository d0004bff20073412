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
		{"redirect refused", &RedirectError{From: "https://w3.example:443", To: "https://evil.example:443", Token: true},
			"Could not refresh: the tenant's token endpoint redirected the app to https://evil.example:443; token requests never follow redirects, so your credentials were not sent there (check the tenant's address in the profile)"},
		{"long description", &oauth2.RetrieveError{ErrorCode: "server_error", ErrorDescription: strings.Repeat("é", 400)},
			"Could not refresh: the tenant refused the request (server_error). The server said: " + strings.Repeat("é", 150) + "… (800 bytes in all)"},
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

func TestLostAnswerError(t *testing.T) {
	cause := errors.New(`Post "https://w3.example/OAuth/Token": EOF`)
	err := error(&LostAnswerError{Err: cause})
	if !errors.Is(err, ErrSignInAgain) || !errors.Is(err, cause) || errors.Is(err, ErrOffline) {
		t.Fatalf("LostAnswerError: sign in again %v, cause %v, offline %v", errors.Is(err, ErrSignInAgain), errors.Is(err, cause), errors.Is(err, ErrOffline))
	}
	for _, words := range []string{"broke while it was renewing", "EOF", "please sign in again"} {
		if !strings.Contains(err.Error(), words) {
			t.Errorf("%q does not say %q", err, words)
		}
	}
}

func TestSessionOnlyError(t *testing.T) {
	tests := []struct {
		name      string
		stale     error
		want, not []string
	}{
		{"stale token removed", nil, []string{"this session only", "locked", "will not survive a restart"}, []string{"previous"}},
		{"stale token kept", errors.New("timed out"), []string{"will not survive a restart", "previous sign-in could not be removed", "timed out"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cause := errors.New("locked")
			err := error(&SessionOnlyError{Err: cause, StaleKept: tt.stale})
			if !errors.Is(err, cause) {
				t.Error("the cause is not wrapped")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q does not say %q", err, w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(err.Error(), w) {
					t.Errorf("%q says %q", err, w)
				}
			}
		})
	}
}
