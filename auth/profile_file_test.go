package auth

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadProfile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good := testProfile(t, nil)
	tests := []struct {
		name    string
		path    string
		wantErr string
	}{
		{"round trip", write("good.json", good.Marshal()), ""},
		{"missing", filepath.Join(dir, "none.json"), "cannot open"},
		{"too large", write("big.json", []byte(strings.Repeat(" ", maxProfileFile+1))), "larger than"},
		{"invalid", write("bad.json", []byte(`{"subdomain":"w3"}`)), "bad.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := LoadProfile(tt.path)
			if tt.wantErr == "" {
				if err != nil || p.Root() != good.Root() || p.ClientID != good.ClientID {
					t.Fatalf("LoadProfile = %+v, %v", p, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}
