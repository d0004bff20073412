package trace

import (
	"net/url"
	"testing"
)

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://h/DataService.svc/People?$top=2", "https://h/DataService.svc/People?$top=2"},
		{"https://h/cb?access_token=0123456789abcdef&x=1", "https://h/cb?access_token=0123%E2%80%A6cdef&x=1"},
	}
	for _, tt := range tests {
		u, _ := url.Parse(tt.in)
		if got := redactURL(u); got != tt.want {
			t.Errorf("redactURL(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestRedactAuthorization(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Bearer 0123456789abcdef", "Bearer 0123…cdef"},
		{"Basic c3ZjLmFwcDpzZWNyZXQ=", "Basic (client_id svc.app, secret redacted)"},
		{"opaque", "…(6 characters)"},
	}
	for _, tt := range tests {
		if got := redactAuthorization(tt.in); got != tt.want {
			t.Errorf("redactAuthorization(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
