package trace

import (
	"net/url"
	"testing"
)

// TestRedactURL: a URL in a trace keeps no credential: no secret
// parameter, no user:password@ and no fragment (where an implicit grant
// puts the token).
func TestRedactURL(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "https://h/DataService.svc/People?$top=2", "https://h/DataService.svc/People?$top=2"},
		{"secret parameter", "https://h/cb?access_token=0123456789abcdefghijklmnop&x=1", "https://h/cb?access_token=01%E2%80%A6op&x=1"},
		{"userinfo", "https://user:pa55word@h/People?$top=2", "https://h/People?$top=2"},
		{"user only", "https://user@h/People", "https://h/People"},
		{"fragment", "https://h/cb#access_token=0123456789abcdef&state=s", "https://h/cb"},
		{"all at once", "https://u:p@h/cb?code=0123456789abcdefghijklmnop#t", "https://h/cb?code=01%E2%80%A6op"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, _ := url.Parse(tt.in)
			if got := redactURL(u); got != tt.want {
				t.Errorf("redactURL(%s) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestRedactAuthorization(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Bearer 0123456789abcdefghijklmnop", "Bearer 01…op"},
		{"Bearer 0123456789abcdef", "Bearer (redacted, 16 chars)"},
		{"Basic c3ZjLmFwcDpzZWNyZXQ=", "Basic (client_id svc.app, secret redacted)"},
		{"opaque", "(redacted, 6 chars)"},
	}
	for _, tt := range tests {
		if got := redactAuthorization(tt.in); got != tt.want {
			t.Errorf("redactAuthorization(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
