package sandbox

import (
	"strings"
	"testing"
)

func TestPeopleAreDeterministic(t *testing.T) {
	a, b := generatePeople(1000), generatePeople(1000)
	apostrophe := false
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("person %d differs between runs", i)
		}
		apostrophe = apostrophe || strings.Contains(a[i].LastName, "'")
	}
	if !apostrophe {
		t.Fatal("no O'Brien-style names generated; filters need them")
	}
}
