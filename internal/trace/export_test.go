package trace

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestCurlQuoting(t *testing.T) {
	req, _ := http.NewRequest(http.MethodPost, "https://w3.example.com/OAuth/Token", nil)
	req.SetBasicAuth("svc.app", "secret")
	got := curlForm(req, url.Values{"grant_type": {"client_credentials"}, "scope": {"it's"}, "client_secret": {"x"}})
	for _, want := range []string{`-u "svc.app:$CLIENT_SECRET"`, `--data-urlencode 'scope=it'\''s'`, `--data-urlencode "client_secret=$CLIENT_SECRET"`} {
		if !strings.Contains(got, want) {
			t.Errorf("curl lacks %s:\n%s", want, got)
		}
	}
	if strings.Contains(got, "secret\"") && !strings.Contains(got, "$CLIENT_SECRET") {
		t.Error("secret in curl")
	}
}

// TestSave: the file's format follows its extension, and only the person
// can read it.
func TestSave(t *testing.T) {
	tr := New(Meta{App: "test"})
	tr.outcome("Signed in", nil)
	tests := []struct{ name, want string }{
		{"trace.json", `"format": "` + Format + `"`},
		{"trace.MD", "# Cezanne HR Desktop flow trace"},
	}
	for _, tt := range tests {
		path := filepath.Join(t.TempDir(), tt.name)
		if err := tr.Save(path); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(path)
		if !strings.Contains(string(b), tt.want) {
			t.Errorf("%s lacks %q:\n%s", tt.name, tt.want, b)
		}
		if info, _ := os.Stat(path); runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", tt.name, info.Mode().Perm())
		}
	}
}
