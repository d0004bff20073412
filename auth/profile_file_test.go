package auth

import (
	"bytes"
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
		{"too large", write("big.json", []byte(strings.Repeat(" ", MaxProfileFile+1))), "larger than"},
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

// FuzzParseProfile: a profile file is untrusted input (IT hands them out,
// anyone can send one). ParseProfile never panics, never accepts a client
// secret, and what it accepts is already normal: saving it and reading it
// back gives the same profile, byte for byte.
func FuzzParseProfile(f *testing.F) {
	for _, s := range []string{
		`{"name":"W3","subdomain":"w3","client_id":"c","redirect_uri":"http://127.0.0.1:47613/oauth-callback/","scopes":["APIRead"]}`,
		`{"base_url":"http://127.0.0.1:8765/CezanneOnDemand/","client_id":"c","redirect_uri":"http://127.0.0.1:1/","scopes":["APIRead"],"auto_approve":"true","pkce":false}`,
		`{"base_url":"https://h.example/x","data_service_url":"https://h.example/ds/","client_id":"svc","grant_type":"client_credentials","scopes":["APIRead","APIWrite"]}`,
		`{"subdomain":"w3","client_id":"c","client_secret":"s","scopes":["APIRead"]}`,
		`{"subdomain":"w3","client_id":"c","redirect_uri":"x-cez://cb","scopes":["APIRead"],"demo":true}`,
		`{"name":" ","subdomain":"W3 ","client_id":" c ","redirect_uri":"http://localhost:1/","scopes":["http://www.cezannehr.com/auth-scope/APIRead"]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParseProfile(b)
		if err != nil {
			if p != nil {
				t.Fatal("a profile with an error")
			}
			return
		}
		if bytes.Contains(bytes.ToLower(b), []byte(`"client_secret"`)) && !bytes.Contains(b, []byte(`\`)) {
			t.Fatalf("accepted a file naming client_secret: %s", b)
		}
		saved := p.Marshal()
		back, err := ParseProfile(saved)
		if err != nil {
			t.Fatalf("a saved profile does not read back: %v\n%s", err, saved)
		}
		if again := back.Marshal(); !bytes.Equal(again, saved) {
			t.Fatalf("round trip changed the profile:\n%s\n%s", saved, again)
		}
	})
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
