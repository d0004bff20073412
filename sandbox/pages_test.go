package sandbox

import "testing"

// TestFormActionAllowsTheRedirect: browsers apply CSP form-action to the
// redirect answering a form, so the login and consent pages must allow the
// client's redirect URI or a real browser never reaches the app (Chromium
// found this).
func TestFormActionAllowsTheRedirect(t *testing.T) {
	tests := []struct{ uri, want string }{
		{"http://127.0.0.1:47613/oauth-callback/", " http://127.0.0.1:47613"},
		{"x-cez://oauth-callback/", " x-cez://oauth-callback"},
		{"com.example.app:/callback", " com.example.app:"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := formTarget(tt.uri); got != tt.want {
			t.Errorf("formTarget(%q) = %q, want %q", tt.uri, got, tt.want)
		}
	}
}
