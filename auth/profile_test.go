package auth

import (
	"errors"
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
		{"typo key", `{"subdomian":"w3","client_id":"c","redirect_uri":"http://127.0.0.1:1/","scopes":["APIRead"]}`, `there is no key "subdomian" (a profile's keys are name, subdomain, base_url,`},
		{"not json", `{`, "not valid JSON"},
		{"the demo", `{"client_id":"demo","redirect_uri":"http://127.0.0.1:1/","scopes":["APIRead"],"demo":true}`, "built-in demo tenant, which needs no profile file"},
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

// TestDataServiceOrigin: a data service at another origin than the tenant
// receives the bearer token, so it needs the person's confirmation, which
// no profile file can give.
func TestDataServiceOrigin(t *testing.T) {
	tests := []struct {
		name      string
		data      string
		confirmed bool
		cross     bool
		wantErr   bool
	}{
		{"default", "", false, false, false},
		{"same origin, other path", "https://w3.cezanneondemand.com/Other/DataService.svc", false, false, false},
		{"same origin spelt with port", "https://W3.cezanneondemand.com:443/DataService.svc", false, false, false},
		{"another host", "https://data.example.com/DataService.svc", false, true, true},
		{"another host, confirmed", "https://data.example.com/DataService.svc", true, true, false},
		{"another port", "https://w3.cezanneondemand.com:8443/DataService.svc", false, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testProfile(t, func(p *Profile) { p.DataServiceURL = tt.data })
			p.DataServiceConfirmed = tt.confirmed
			if got := p.CrossOriginDataService(); got != tt.cross {
				t.Fatalf("CrossOriginDataService = %v, want %v", got, tt.cross)
			}
			err := p.CheckDataService()
			var de *DataServiceError
			if errors.As(err, &de) != tt.wantErr {
				t.Fatalf("CheckDataService = %v, want an error: %v", err, tt.wantErr)
			}
			if tt.wantErr && (!strings.Contains(err.Error(), "https://data.example.com") && !strings.Contains(err.Error(), ":8443") || !strings.Contains(err.Error(), "confirm")) {
				t.Fatalf("error does not name the address or what to do: %v", err)
			}
		})
	}
}
