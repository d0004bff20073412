package odatatest

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Property is one property of the People entity the server declares, with
// its Edm type in each protocol version (CAP maps cds.Date to Edm.Date in
// v4 and the adapter to Edm.DateTime in v2, cds.Time to Edm.TimeOfDay and
// Edm.Time).
type Property struct {
	Name   string
	V4, V2 string
}

// Properties are the People entity's properties, in the order of its
// schema (testdata/cap/db/schema.cds).
var Properties = []Property{
	{"PersonGuid", "Edm.Guid", "Edm.Guid"},
	{"PersonCode", "Edm.String", "Edm.String"},
	{"Title", "Edm.String", "Edm.String"},
	{"FirstName", "Edm.String", "Edm.String"},
	{"LastName", "Edm.String", "Edm.String"},
	{"KnownAs", "Edm.String", "Edm.String"},
	{"FormattedName", "Edm.String", "Edm.String"},
	{"EmailAddress", "Edm.String", "Edm.String"},
	{"JobTitle", "Edm.String", "Edm.String"},
	{"Department", "Edm.String", "Edm.String"},
	{"CountryName", "Edm.String", "Edm.String"},
	{"StartDate", "Edm.Date", "Edm.DateTime"},
	{"ShiftStart", "Edm.TimeOfDay", "Edm.Time"},
	{"LastModified", "Edm.DateTimeOffset", "Edm.DateTimeOffset"},
	{"FTE", "Edm.Decimal", "Edm.Decimal"},
	{"Adjustment", "Edm.Decimal", "Edm.Decimal"},
	{"LeaveMinutes", "Edm.Int64", "Edm.Int64"},
	{"Rating", "Edm.Double", "Edm.Double"},
	{"IsActive", "Edm.Boolean", "Edm.Boolean"},
	{"Notes", "Edm.String", "Edm.String"},
	{"ManagerGuid", "Edm.Guid", "Edm.Guid"},
}

// Person is one generated row: each property's value in the canonical
// form Canonical gives a server's value (see there), nil for null.
type Person map[string]*string

// Value is a property's canonical value and whether it is null.
func (p Person) Value(name string) (string, bool) {
	v := p[name]
	if v == nil {
		return "", true
	}
	return *v, false
}

// name is a first and last name, and how the two make a full name: most
// scripts put the given name first with a space, Chinese, Japanese and
// Korean put the family name first without one.
type name struct {
	first, last string
	familyFirst bool
}

// The awkward names HR data holds: apostrophes, names of two words,
// accents, CJK, Arabic and Hebrew (right to left).
var names = []name{
	{"Mary Ann", "O'Brien", false}, {"Seán", "Ó Briain", false}, {"Zoë", "D'Angelo", false},
	{"Jean-Luc", "van der Berg", false}, {"Łukasz", "Wiśniewski", false}, {"Jürgen", "Müller", false},
	{"Ana María", "de la Cruz", false}, {"Anne", "Smith", false}, {"Hannah", "Jones", false},
	{"Oliver", "Taylor", false}, {"François", "Lefèvre", false}, {"Siobhán", "O'Connor", false},
	{"小明", "王", true}, {"花子", "佐藤", true}, {"민준", "김", true}, {"秀英", "李", true},
	{"محمد", "العلي", false}, {"فاطمة", "الزهراء", false}, {"דוד", "כהן", false}, {"שרה", "לוי", false},
	{"Ñandú", "Núñez", false}, {"Chloë", "Brontë", false}, {"Dmitri", "Ivanov", false}, {"Mary", "Annan", false},
}

var departments = []string{"Human Resources", "Finance", "Engineering", "Sales", "Customer Success", "R&D"}

var jobs = []string{"HR Advisor", "Payroll Specialist", "Software Engineer", "Account Executive", "Designer", "C++ Developer"}

var countries = []string{"United Kingdom", "Ireland", "France", "Germany", "Japan", "China", "Korea", "Israel", "Egypt", "Spain"}

// noteOpenings start some notes as a spreadsheet would read a formula, or
// with a sign, so the CSV export's guard is exercised.
var noteOpenings = []string{"=HYPERLINK(\"http://example.com\")", "+44 20 7946 0000", "-5 days carried over", "@mention", "Plain note"}

// Generate makes n people, the same n always the same people.
func Generate(n int) []Person {
	rng := rand.New(rand.NewPCG(17, 20261201))
	people := make([]Person, n)
	for i := range people {
		people[i] = generatePerson(rng, i, people)
	}
	return people
}

func generatePerson(rng *rand.Rand, i int, earlier []Person) Person {
	nm := names[rng.IntN(len(names))]
	full := nm.first + " " + nm.last
	if nm.familyFirst {
		full = nm.last + nm.first
	}
	p := Person{
		"PersonGuid":    str(guid(rng)),
		"PersonCode":    str(fmt.Sprintf("C%05d", i+1)),
		"Title":         str([]string{"Mr", "Ms", "Dr", "Mx"}[rng.IntN(4)]),
		"FirstName":     str(nm.first),
		"LastName":      str(nm.last),
		"KnownAs":       maybe(rng, 5, nm.first),
		"FormattedName": str(full),
		"EmailAddress":  str(fmt.Sprintf("person%d@example.com", i+1)),
		"JobTitle":      str(jobs[rng.IntN(len(jobs))]),
		"Department":    maybe(rng, 10, departments[rng.IntN(len(departments))]),
		"CountryName":   str(countries[rng.IntN(len(countries))]),
		"StartDate":     str(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(9800)).Format(time.DateOnly)),
		"ShiftStart":    maybe(rng, 8, fmt.Sprintf("%02d:%02d:%02d", rng.IntN(24), []int{0, 15, 30, 45, 59}[rng.IntN(5)], []int{0, 0, 0, 30, 59}[rng.IntN(5)])),
		"LastModified":  str(time.UnixMilli(1420070400000 + rng.Int64N(370_000_000_000)).UTC().Format(TimestampLayout)),
		"FTE":           str([]string{"1", "0.8", "0.6", "0.5", "0.25"}[rng.IntN(5)]),
		"Adjustment":    maybe(rng, 6, decimal2(rng.Int64N(20_000_001)-10_000_000)),
		"LeaveMinutes":  str(strconv.FormatInt(rng.Int64N(2_000_001)-1_000_000, 10)),
		"Rating":        maybe(rng, 7, strconv.FormatFloat(float64(rng.IntN(81)-40)/8+[]float64{0, 0.1, 1e-9}[rng.IntN(3)], 'g', -1, 64)),
		"IsActive":      str(strconv.FormatBool(rng.IntN(10) != 0)),
		"Notes":         maybe(rng, 3, note(rng, full)),
		"ManagerGuid":   nil,
	}
	if i > 0 && rng.IntN(20) != 0 {
		p["ManagerGuid"] = earlier[rng.IntN(min(i, 40))]["PersonGuid"]
	}
	if i == 7 {
		// The largest integer a JavaScript server keeps exactly.
		p["LeaveMinutes"] = str("-9007199254740991")
	}
	return p
}

// TimestampLayout is Canonical's form of an Edm.DateTimeOffset: UTC with
// milliseconds, as CAP keeps a cds.Timestamp.
const TimestampLayout = "2006-01-02T15:04:05.000Z"

func str(s string) *string { return &s }

// maybe is s, or null once in every n.
func maybe(rng *rand.Rand, n int, s string) *string {
	if rng.IntN(n) == 0 {
		return nil
	}
	return &s
}

// decimal2 writes cents as a decimal in Canonical's form (no trailing zeros).
func decimal2(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	s := fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}

func guid(rng *rand.Rand) string {
	a, b := rng.Uint64(), rng.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0x0fff, 0x8000|(b>>48)&0x3fff, b&0xffffffffffff)
}

// note is a long text: a formula-like or plain opening, then sentences with
// commas, quotes, line breaks and the person's name, some 200 to 3,000
// characters.
func note(rng *rand.Rand, full string) string {
	var b strings.Builder
	b.WriteString(noteOpenings[rng.IntN(len(noteOpenings))])
	for n := 1 + rng.IntN(30); n > 0; n-- {
		fmt.Fprintf(&b, " Reviewed with %s, \"on track\"; next review in %d weeks.\n", full, 1+rng.IntN(52))
	}
	return b.String()
}

// SearchProperties are those the People view's search box matches.
var SearchProperties = []string{"FirstName", "LastName", "FormattedName", "KnownAs", "EmailAddress"}

// Matches says whether the search box finds p for text: every word is in
// one of SearchProperties, with ASCII letters' case folded, as SQLite's
// lower() and LIKE fold it (no other letters: search with ASCII words).
func (p Person) Matches(text string) bool {
	for _, w := range strings.Fields(asciiLower(text)) {
		found := false
		for _, prop := range SearchProperties {
			if v, null := p.Value(prop); !null && strings.Contains(asciiLower(v), w) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}
