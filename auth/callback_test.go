package auth

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestParseCallback(t *testing.T) {
	tests := []struct {
		name     string
		query    string
		wantCode string
		wantErr  error
		wantAuth string
	}{
		{"ok", "code=Pzw5!IAAA&state=S", "Pzw5!IAAA", nil, ""},
		{"wrong state", "code=c&state=T", "", ErrStateMismatch, ""},
		{"missing state", "code=c", "", ErrStateMismatch, ""},
		{"empty state", "code=c&state=", "", ErrStateMismatch, ""},
		{"missing code", "state=S", "", ErrMissingCode, ""},
		{"empty code", "code=&state=S", "", ErrMissingCode, ""},
		{"denied", "error=access_denied&error_description=The+user+denied&state=S", "", nil, "access_denied"},
		{"error with wrong state is a mismatch", "error=access_denied&state=X", "", ErrStateMismatch, ""},
		{"extra parameters ignored", "code=c&state=S&session_state=zz", "c", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, _ := url.ParseQuery(tt.query)
			code, err := ParseCallback(q, "S")
			if code != tt.wantCode {
				t.Errorf("code = %q, want %q", code, tt.wantCode)
			}
			var ae *AuthorizeError
			switch {
			case tt.wantAuth != "":
				if !errors.As(err, &ae) || ae.Code != tt.wantAuth {
					t.Fatalf("err = %v, want AuthorizeError %s", err, tt.wantAuth)
				}
				if !strings.Contains(err.Error(), "denied") || !strings.Contains(err.Error(), "The user denied") {
					t.Errorf("message lacks the server's words: %v", err)
				}
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
			case err != nil:
				t.Fatalf("unexpected error %v", err)
			}
		})
	}
}
