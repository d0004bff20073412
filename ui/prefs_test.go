package ui

import (
	"slices"
	"strings"
	"testing"
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
