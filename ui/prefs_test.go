package ui

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
)

func TestProfileListSavesReplacesAndRemoves(t *testing.T) {
	l := profileList{mapPrefs{}}
	if l.all() != nil || l.current() != "" {
		t.Fatal("a fresh install has profiles")
	}
	l.save(saved("Test"))
	l.save(saved("Production"))
	changed := saved("Test")
	changed.ClientID = "other"
	l.save(changed)
	if got := l.names(); !slices.Equal(got, []string{"Production", "Test"}) {
		t.Fatalf("names %q", got)
	}
	if l.get("Test").ClientID != "other" || l.get("Nonexistent") != nil {
		t.Fatal("save did not replace the profile of the same name")
	}
	l.setCurrent("Test")
	l.remove("Test")
	if l.get("Test") != nil || l.current() != "" {
		t.Fatalf("removed profile still there, or still current (%q)", l.current())
	}
	l.setCurrent("Production")
	l.remove("Test")
	if l.current() != "Production" {
		t.Fatal("removing another profile changed the current one")
	}
}

func TestImportProfileRefuses(t *testing.T) {
	tests := map[string]string{
		"not JSON":                    "this is not a usable profile",
		strings.Repeat(" ", 64<<10+1): "larger than 64 KiB",
	}
	for in, want := range tests {
		if _, err := importProfile(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%.20q: %v, want %q", in, err, want)
		}
	}
}

// TestDataServiceConfirmationIsKeptApart: the person's confirmation of a
// data service elsewhere is kept in preferences beside the profiles, never
// in a profile's JSON, and holds only for the tenant and data service it
// was given for.
func TestDataServiceConfirmationIsKeptApart(t *testing.T) {
	confirmed := func(data string) *auth.Profile {
		p := saved("Production")
		p.DataServiceURL, p.DataServiceConfirmed = data, true
		return p
	}
	const data = "https://data.example.com/DataService.svc"
	tests := []struct {
		name  string
		later *auth.Profile // saved after the confirmed one (nil: none)
		adopt *auth.Profile // a file adopted after that (nil: none)
		want  bool
	}{
		{"kept", nil, nil, true},
		{"another data service", func() *auth.Profile {
			p := confirmed("https://other.example.com/D")
			p.DataServiceConfirmed = false
			return p
		}(), nil, false},
		{"unticked", func() *auth.Profile { p := confirmed(data); p.DataServiceConfirmed = false; return p }(), nil, false},
		{"a file for the same tenant and data service", nil, func() *auth.Profile { p := confirmed(data); p.DataServiceConfirmed = false; return p }(), true},
		{"a file for another tenant", nil, func() *auth.Profile {
			p := confirmed(data)
			p.Subdomain, p.DataServiceConfirmed = "w4", false
			return p
		}(), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefs := mapPrefs{}
			l := profileList{prefs}
			l.save(confirmed(data))
			if strings.Contains(prefs[prefProfiles], "onfirm") {
				t.Fatalf("the confirmation is in the profiles' JSON: %s", prefs[prefProfiles])
			}
			if tt.later != nil {
				l.save(tt.later)
			}
			got := l.get("Production").DataServiceConfirmed
			if tt.adopt != nil {
				l.adopt(tt.adopt)
				got = tt.adopt.DataServiceConfirmed
			}
			if got != tt.want {
				t.Fatalf("confirmed %v, want %v", got, tt.want)
			}
			l.remove("Production")
			l.save(func() *auth.Profile { p := confirmed(data); p.DataServiceConfirmed = false; return p }())
			if l.get("Production").DataServiceConfirmed {
				t.Fatal("a confirmation outlived its profile")
			}
		})
	}
}

// QA choices are kept per profile, take no room at their defaults and go
// with the profile.
func TestProfileListQAChoices(t *testing.T) {
	l := profileList{mapPrefs{}}
	l.save(saved("Sandbox"))
	steps := []struct {
		name string
		do   func()
		want map[string]qaChoices
	}{
		{"set", func() { l.setQA("Sandbox", qaChoices{ExtraScopes: "APIWrite"}) }, map[string]qaChoices{"Sandbox": {ExtraScopes: "APIWrite"}}},
		{"demo", func() { l.setQA(choiceDemo, qaChoices{AutoApprove: "true"}) },
			map[string]qaChoices{"Sandbox": {ExtraScopes: "APIWrite"}, choiceDemo: {AutoApprove: "true"}}},
		{"defaults", func() { l.setQA(choiceDemo, qaChoices{}) }, map[string]qaChoices{"Sandbox": {ExtraScopes: "APIWrite"}}},
		{"deleted with the profile", func() { l.remove("Sandbox") }, map[string]qaChoices{}},
	}
	for _, s := range steps {
		s.do()
		if got := l.allQA(); !maps.Equal(got, s.want) {
			t.Fatalf("%s: %v, want %v", s.name, got, s.want)
		}
	}
}
