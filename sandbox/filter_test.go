package sandbox

import (
	"strings"
	"testing"
)

func TestFilterParsing(t *testing.T) {
	people := generatePeople(400)
	count := func(f filterExpr) int {
		n := 0
		for i := range people {
			if truthy(f(&people[i])) {
				n++
			}
		}
		return n
	}
	countWhere := func(pred func(p *Person) bool) int {
		n := 0
		for i := range people {
			if pred(&people[i]) {
				n++
			}
		}
		return n
	}
	obrien := countWhere(func(p *Person) bool { return p.LastName == "O'Brien" })
	if obrien == 0 {
		t.Fatal("no O'Brien in the population")
	}
	tests := []struct {
		filter string
		want   int
	}{
		{"LastName eq 'O''Brien'", obrien},
		{"LastName ne 'O''Brien'", 400 - obrien},
		{"substringof('''Br', LastName)", countWhere(func(p *Person) bool { return strings.Contains(p.LastName, "'Br") })},
		{"contains(LastName, 'Brie')", countWhere(func(p *Person) bool { return strings.Contains(p.LastName, "Brie") })},
		{"startswith(FirstName, 'Ch') and endswith(EmailAddress, '.uk')", countWhere(func(p *Person) bool {
			return strings.HasPrefix(p.FirstName, "Ch") && strings.HasSuffix(p.EmailAddress, ".uk")
		})},
		{"tolower(LastName) eq 'o''brien' or CountryName eq 'France'", countWhere(func(p *Person) bool { return p.LastName == "O'Brien" || p.CountryName == "France" })},
		{"not (IsActive eq true)", countWhere(func(p *Person) bool { return !p.IsActive })},
		{"IsActive", countWhere(func(p *Person) bool { return p.IsActive })},
		{"FullTimeEquivalent lt 1", countWhere(func(p *Person) bool { return p.FTE < 1 })},
		{"FullTimeEquivalent ge 0.8M", countWhere(func(p *Person) bool { return p.FTE >= 0.8 })},
		{"StartDate gt datetime'2020-01-01T00:00:00'", countWhere(func(p *Person) bool { return p.StartDate.Year() >= 2020 })},
		{"StartDate gt 2020-01-01T00:00:00Z", countWhere(func(p *Person) bool { return p.StartDate.Year() >= 2020 })},
		{"PersonGuid eq guid'" + strings.ToUpper(people[7].PersonGUID) + "'", 1},
		{"ManagerGuid eq null", 1},
		{"length(FirstName) le 3", countWhere(func(p *Person) bool { return len([]rune(p.FirstName)) <= 3 })},
		{"(CountryName eq 'Ireland' or CountryName eq 'Poland') and not startswith(toupper(FirstName), 'A')", countWhere(func(p *Person) bool {
			return (p.CountryName == "Ireland" || p.CountryName == "Poland") && !strings.HasPrefix(strings.ToUpper(p.FirstName), "A")
		})},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			f, err := parseFilter(tt.filter, ODataV2)
			if err != nil {
				t.Fatal(err)
			}
			if got := count(f); got != tt.want {
				t.Fatalf("%d people match, want %d", got, tt.want)
			}
		})
	}
	for _, bad := range []string{"LastName eq 'unterminated", "Salary gt 5", "LastName eq", "frobnicate(LastName)", "startswith(LastName)", "LastName eq 'a' extra", "LastName $ 3", "bogus'x'"} {
		if _, err := parseFilter(bad, ODataV2); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

// OData 4 dropped the typed-literal prefixes and number suffixes of v2 and
// v3; a v4 server refuses them, so the sandbox in v4 mode does too, and
// still reads them in v2 and v3.
func TestFilterLegacyLiterals(t *testing.T) {
	tests := []struct {
		filter string
		v4Err  string // "" when OData 4 accepts it
	}{
		{"PersonGuid eq guid'0f8fad5b-d9cb-469f-a165-70867728950e'", "guid'0f8fad5b-d9cb-469f-a165-70867728950e' at position 15 is OData 2/3 syntax; OData 4 writes the value bare, without guid and quotes"},
		{"StartDate gt datetime'2020-01-01T00:00:00'", "datetime'2020-01-01T00:00:00' at position 14"},
		{"StartDate gt DateTimeOffset'2020-01-01T00:00:00Z'", "DateTimeOffset'2020-01-01T00:00:00Z' at position 14"},
		{"FullTimeEquivalent ge 0.8M", "0.8M at position 23 is OData 2/3 syntax; OData 4 writes the value without the suffix"},
		{"FullTimeEquivalent ge 1d", "1d at position 23"},
		{"FullTimeEquivalent lt 2L", "2L at position 23"},
		{"PersonGuid eq 0f8fad5b-d9cb-469f-a165-70867728950e", ""},
		{"StartDate gt 2020-01-01T00:00:00Z", ""},
		{"FullTimeEquivalent ge 0.8", ""},
		{"LastName eq 'guid''x' or LastName eq '1M'", ""}, // only text, inside literals
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			if _, err := parseFilter(tt.filter, ODataV2); err != nil {
				t.Errorf("v2: %v", err)
			}
			_, err := parseFilter(tt.filter, ODataV4)
			switch {
			case tt.v4Err == "" && err != nil:
				t.Errorf("v4: %v", err)
			case tt.v4Err != "" && (err == nil || !strings.Contains(err.Error(), tt.v4Err)):
				t.Errorf("v4: %v, want %q", err, tt.v4Err)
			}
		})
	}
}

func BenchmarkFilterParse(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := parseFilter("(substringof('o''brien',tolower(LastName))) or (startswith(EmailAddress,'seán'))", ODataV2); err != nil {
			b.Fatal(err)
		}
	}
}
