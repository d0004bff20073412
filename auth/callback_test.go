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

// FuzzParseCallback: whatever reaches the redirect URI, ParseCallback never
// panics, returns a code only for this attempt's state and only the one the
// answer carried, takes an answer with another state for nothing but a
// mismatch, and words a refusal in a bounded message.
func FuzzParseCallback(f *testing.F) {
	for _, s := range []struct{ query, state string }{
		{"code=Pzw5!IAAA&state=S", "S"},
		{"code=c&state=T", "S"},
		{"error=access_denied&error_description=The+user+denied&state=S", "S"},
		{"code=a&code=b&state=S&state=T", "S"},
		{"state=&code=c", ""},
		{"code=%ZZ&state=S", "S"},
		{"error=&error_description=x&state=S&code=c", "S"},
		{"error=" + strings.Repeat("e", 5000) + "&error_description=" + strings.Repeat("%C3%A9", 5000) + "&state=S", "S"},
	} {
		f.Add(s.query, s.state)
	}
	f.Fuzz(func(t *testing.T, raw, state string) {
		q, _ := url.ParseQuery(raw)
		code, err := ParseCallback(q, state)
		checkCallback(t, q, state, code, err)
		if err != nil && len(err.Error()) > maxServerText+200 {
			t.Fatalf("message of %d bytes", len(err.Error()))
		}
	})
}

// checkCallback fails unless ParseCallback's answer to q fits the rules: a
// code only for this state and only the one sent, a foreign state nothing
// but a mismatch, a refusal with the tenant's error code.
func checkCallback(t *testing.T, q url.Values, state, code string, err error) {
	t.Helper()
	var ae *AuthorizeError
	switch {
	case !q.Has("state") || q.Get("state") != state:
		if !errors.Is(err, ErrStateMismatch) || code != "" {
			t.Fatalf("foreign state gave %q, %v", code, err)
		}
	case err == nil:
		if code == "" || code != q.Get("code") || len(code) > 4096 || q.Get("error") != "" {
			t.Fatalf("code %q from %v", code, q)
		}
	case code != "":
		t.Fatalf("code %q with error %v", code, err)
	case errors.As(err, &ae) && ae.Code != q.Get("error"):
		t.Fatalf("error code %q, query says %q", ae.Code, q.Get("error"))
	}
}
