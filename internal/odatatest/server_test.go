package odatatest

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServerServesBothVersions starts the server with a few people and
// reads their count from each version, the way the app never does (raw
// HTTP), so the harness is checked apart from the data client; then it
// ends the server as a test process's death would.
func TestServerServesBothVersions(t *testing.T) {
	s := Start(t, 40)
	tests := []struct {
		root, want string
	}{
		{s.V4, "40"},
		{s.V2, "40"},
	}
	for _, tt := range tests {
		resp, err := http.Get(tt.root + "/People/$count")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(b)) != tt.want {
			t.Errorf("%s/People/$count: %s %q, want %s", tt.root, resp.Status, b, tt.want)
		}
	}
	if !strings.HasPrefix(s.V4, "http://localhost:") {
		t.Errorf("the server is at %s, not on loopback", s.V4)
	}
	// Its stdin closing, as when the test process dies, ends it.
	_ = s.stdin.Close()
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		t.Fatal("the server still runs 10 s after its stdin closed")
	}
	if _, err := http.Get(s.V4 + "/$metadata"); err == nil {
		t.Error("the server still answers after it ended")
	}
}

func TestInstalled(t *testing.T) {
	old := time.Now().Add(-time.Hour)
	tests := []struct {
		name    string
		modules bool
		stale   bool
		ok      bool
	}{
		{"never installed", false, false, false},
		{"installed", true, false, true},
		{"installed before the lock changed", true, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, "package-lock.json"))
			if tt.modules {
				done := filepath.Join(dir, "node_modules", ".package-lock.json")
				write(t, done)
				if tt.stale {
					if err := os.Chtimes(done, old, old); err != nil {
						t.Fatal(err)
					}
				}
			}
			if err := Installed(dir); (err == nil) != tt.ok {
				t.Fatalf("Installed: %v, want ok %v", err, tt.ok)
			}
		})
	}
}

func write(t *testing.T, file string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestTailBufferKeepsTheEnd(t *testing.T) {
	tests := []struct {
		writes []string
		want   string
	}{
		{[]string{"short"}, "short"},
		{[]string{"0123456789", "abcdef"}, "6789abcdef"},
	}
	for _, tt := range tests {
		b := &tailBuffer{max: 10}
		for _, w := range tt.writes {
			_, _ = b.Write([]byte(w))
		}
		if got := b.String(); got != tt.want {
			t.Errorf("after %q: %q, want %q", tt.writes, got, tt.want)
		}
	}
}
