package auth

import (
	"strings"
	"testing"
)

func TestProfileValidation(t *testing.T) {
	tests := []struct {
		name, json, wantErr string
	}{
		{"subdomain", `{"name":"Prod","subdomain":"w3","client_id":"c","redirect_uri":"http://127.0.0.1:47613/cb/","scopes":["APIRead"]}`, ""},
		{"loopback http base", `{"base_url":"http://127.0.0.1:8765/CezanneOnDemand/","client_id":"c","redirect_uri":"http://127.0.0.1:1/","scopes":["APIRead"],"auto_approve":"true","pkce":false}`, ""},
		{"remote http base", `{"base_url":"http://hr.example.com/CezanneOnDemand","client_id":"c","redirect_uri":"http://127.0.0.1:1/","scopes":["APIRead"]}`, "must use https"},
		{"both", `{"subdomain":"w3","base_url":"https://w3.cezanneondemand.com/CezanneOnDemand","client_id":"c","redirect_uri":"http://127.0.0.1:1/","scopes":["APIRead"]}`, "not both"},
		{"neither", `{"client_id":"c","redirect_uri":"http://127.0.0.1:1/","scopes":["APIRead"]}`, "enter your tenant"},
		{"bad subdomain", `{"subdomain":"w3.cezanneondemand.com","client_id":"c","redirect_uri":"http://127.0.0.1:1/","scopes":["APIRead"]}`, "not a tenant subdomain"},
		{"no client", `{"subdomain":"w3","redirect_uri":"http://127.0.0.1:1/","scopes":["APIRead"]}`, "client ID"},
		{"no scopes", `{"subdomain":"w3","client_id":"c","redirect_uri":"http://127.0.0.1:1/","scopes":[]}`, "at least one scope"},
		{"bad auto_approve", `{"subdomain":"w3","client_id":"c","redirect_uri":"http://127.0.0.1:1/","scopes":["APIRead"],"auto_approve":"yes"}`, "auto_approve"},
		{"secret in file", `{"subdomain":"w3","client_id":"c","client_secret":"s","redirect_uri":"http://127.0.0.1:1/","scopes":["APIRead"]}`, "does not belong"},
		{"typo key", `{"subdomian":"w3","client_id":"c","redirect_uri":"http://127.0.0.1:1/","scopes":["APIRead"]}`, "unknown field"},
		{"not json", `{`, "not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseProfile([]byte(tt.json))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				again, err := ParseProfile(p.Marshal())
				if err != nil || again.Root() != p.Root() {
					t.Fatalf("profile does not round-trip: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
	p, _ := ParseProfile([]byte(`{"base_url":"http://127.0.0.1:8765/CezanneOnDemand/","client_id":"c","redirect_uri":"http://127.0.0.1:1/","scopes":["APIRead"]}`))
	if p.TokenEndpoint() != "http://127.0.0.1:8765/CezanneOnDemand/OAuth/Token" || p.DataService() != "http://127.0.0.1:8765/CezanneOnDemand/DataService.svc" || p.Name != "127.0.0.1:8765" {
		t.Fatalf("endpoints: %s %s %s", p.TokenEndpoint(), p.DataService(), p.Name)
	}
}
