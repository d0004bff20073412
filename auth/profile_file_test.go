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

// TestProfileFileCannotConfirmDataService: only the person confirms a data
// service at another origin; a file that tries is refused, and no file
// comes out confirmed.
func TestProfileFileCannotConfirmDataService(t *testing.T) {
	const base = `"base_url":"https://w3.cezanneondemand.com/CezanneOnDemand","data_service_url":"https://data.example.com/DataService.svc","client_id":"c","redirect_uri":"http://127.0.0.1:1/","scopes":["APIRead"]`
	tests := []struct {
		name, json string
		wantErr    bool
	}{
		{"plain", "{" + base + "}", false},
		{"field name", `{` + base + `,"DataServiceConfirmed":true}`, true},
		{"snake case", `{` + base + `,"data_service_confirmed":true}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseProfile([]byte(tt.json))
			if tt.wantErr {
				if err == nil {
					t.Fatalf("accepted %s", tt.json)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.DataServiceConfirmed || p.CheckDataService() == nil {
				t.Fatal("a profile file confirmed its own data service")
			}
			p.DataServiceConfirmed = true
			if again, _ := ParseProfile(p.Marshal()); again == nil || again.DataServiceConfirmed {
				t.Fatal("the confirmation travels in the profile's JSON")
			}
		})
	}
}
