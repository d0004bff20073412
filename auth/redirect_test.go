package auth

import (
	"strings"
	"testing"
)

func TestRedirectURIs(t *testing.T) {
	tests := []struct {
		raw      string
		kind     RedirectKind
		bind     string
		port     int
		warn     bool
		wantErr  string
		wantPath string
	}{
		{"http://127.0.0.1:47613/oauth-callback/", RedirectLoopback, "127.0.0.1", 47613, false, "", "/oauth-callback/"},
		{"http://localhost:8080/cb", RedirectLoopback, "127.0.0.1 ::1", 8080, true, "", "/cb"},
		{"http://[::1]:9000/", RedirectLoopback, "::1", 9000, false, "", "/"},
		{"http://127.0.0.1:9000", RedirectLoopback, "127.0.0.1", 9000, false, "", "/"},
		{"x-cez://oauth-callback/", RedirectCustomScheme, "", 0, false, "", ""},
		{"com.example.hr:/cb", RedirectCustomScheme, "", 0, false, "", ""},
		{"x-cez:oauth-callback", 0, "", 0, false, "must look like", ""},
		{"exefile://x/", 0, "", 0, false, "will not register", ""},
		{"ms-settings://privacy/", 0, "", 0, false, "will not register", ""},
		{"ssh://host/cb", 0, "", 0, false, "will not register", ""},
		{"COM.Example.HR://cb", RedirectCustomScheme, "", 0, false, "", ""},
		{"http://127.0.0.1/cb", 0, "", 0, false, "needs a port", ""},
		{"http://example.com:80/cb", 0, "", 0, false, "this computer", ""},
		{"https://127.0.0.1:443/cb", 0, "", 0, false, "https", ""},
		{"http://127.0.0.1:70000/", 0, "", 0, false, "port", ""},
		{"", 0, "", 0, false, "enter the redirect URI", ""},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			r, err := ParseRedirectURI(tt.raw)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Kind != tt.kind || strings.Join(r.BindHosts, " ") != tt.bind || r.Port != tt.port || (r.Warning != "") != tt.warn {
				t.Fatalf("got %+v", r)
			}
			if tt.wantPath != "" && r.CallbackPath() != tt.wantPath {
				t.Fatalf("path %q", r.CallbackPath())
			}
		})
	}
}
