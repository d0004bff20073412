package odatatest

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
)

func TestGenerateIsRepeatable(t *testing.T) {
	if a, b := Generate(300), Generate(300); !reflect.DeepEqual(a, b) {
		t.Fatal("two runs generated different people")
	}
}

// TestGenerateHasTheAwkwardData checks that 2,500 people hold each kind of
// value the tests rely on, each in its canonical form.
func TestGenerateHasTheAwkwardData(t *testing.T) {
	people := Generate(DefaultPeople)
	has := func(prop string, f func(v string) bool) func() bool {
		return func() bool {
			for _, p := range people {
				if v, null := p.Value(prop); !null && f(v) {
					return true
				}
			}
			return false
		}
	}
	isNull := func(prop string) func() bool {
		return func() bool {
			for _, p := range people {
				if _, null := p.Value(prop); null {
					return true
				}
			}
			return false
		}
	}
	script := func(tab *unicode.RangeTable) func(string) bool {
		return func(v string) bool { return strings.ContainsFunc(v, func(r rune) bool { return unicode.Is(tab, r) }) }
	}
	tests := []struct {
		what string
		ok   func() bool
	}{
		{"an apostrophe", has("LastName", func(v string) bool { return strings.Contains(v, "'") })},
		{"a first name of two words", has("FirstName", func(v string) bool { return strings.Contains(v, " ") })},
		{"a Han name", has("FormattedName", script(unicode.Han))},
		{"a Hangul name", has("FormattedName", script(unicode.Hangul))},
		{"an Arabic name", has("FormattedName", script(unicode.Arabic))},
		{"a Hebrew name", has("FormattedName", script(unicode.Hebrew))},
		{"an accent", has("FirstName", func(v string) bool { return strings.ContainsAny(v, "éáëüłñ") })},
		{"a negative decimal", has("Adjustment", func(v string) bool { return strings.HasPrefix(v, "-") })},
		{"a negative Int64", has("LeaveMinutes", func(v string) bool { return strings.HasPrefix(v, "-") })},
		{"the largest safe Int64", has("LeaveMinutes", func(v string) bool { return v == "-9007199254740991" })},
		{"a negative Double", has("Rating", func(v string) bool { return strings.HasPrefix(v, "-") })},
		{"milliseconds", has("LastModified", func(v string) bool { return !strings.HasSuffix(v, ".000Z") })},
		{"a time with seconds", has("ShiftStart", func(v string) bool { return !strings.HasSuffix(v, ":00") })},
		{"a note over 2,000 characters", has("Notes", func(v string) bool { return len(v) > 2000 })},
		{"a note that starts like a formula", has("Notes", func(v string) bool { return strings.HasPrefix(v, "=") })},
		{"an inactive person", has("IsActive", func(v string) bool { return v == "false" })},
		{"a null known-as", isNull("KnownAs")},
		{"a null department", isNull("Department")},
		{"a null time", isNull("ShiftStart")},
		{"a null decimal", isNull("Adjustment")},
		{"a null double", isNull("Rating")},
		{"a null manager", isNull("ManagerGuid")},
	}
	for _, tt := range tests {
		if !tt.ok() {
			t.Errorf("no one has %s", tt.what)
		}
	}
}

func TestGenerateCanonicalForms(t *testing.T) {
	for _, p := range Generate(DefaultPeople) {
		for _, prop := range Properties {
			v, null := p.Value(prop.Name)
			if null {
				continue
			}
			var in any = v
			if prop.V4 == "Edm.Boolean" {
				in = v == "true"
			}
			if got, _, err := Canonical(prop.V4, in); err != nil || got != v {
				t.Fatalf("%s %q is not canonical: %q, %v", prop.Name, v, got, err)
			}
		}
	}
}

func TestPersonMatches(t *testing.T) {
	p := Person{"FirstName": str("Mary Ann"), "LastName": str("O'Brien"), "FormattedName": str("Mary Ann O'Brien"),
		"KnownAs": nil, "EmailAddress": str("person12@example.com"), "Department": str("Sales")}
	tests := []struct {
		text string
		want bool
	}{
		{"mary ann", true},
		{"MARY o'brien", true},
		{"person12 ann", true},
		{"mary sales", false}, // Department is not searched
		{"mary bob", false},
		{"", true},
		{"MARÍA", false}, // only ASCII letters fold
	}
	for _, tt := range tests {
		if got := p.Matches(tt.text); got != tt.want {
			t.Errorf("Matches(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
