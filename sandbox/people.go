package sandbox

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Person is one row of the tenant's People entity set.
type Person struct {
	PersonGUID    string
	PersonCode    string
	Title         string
	FirstName     string
	LastName      string
	KnownAs       string
	FormattedName string
	EmailAddress  string
	JobTitle      string
	Department    string
	Location      string
	CountryName   string
	StartDate     time.Time
	DateOfBirth   time.Time
	FTE           float64
	IsActive      bool
	ManagerGUID   string
}

type country struct {
	name      string
	weight    int
	locations []string
	domain    string
	first     []string
	last      []string
}

// The population mixes nationalities so that apostrophes, accents and
// non-Latin-1 letters turn up in names, as they do in real tenants.
var countries = []country{
	{"United Kingdom", 50, []string{"London", "Manchester", "Leeds", "Bristol", "Edinburgh"}, "co.uk",
		[]string{"Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Mia", "Charlie", "Grace", "Siobhán", "Rhys", "Priya", "Mohammed", "Chloë"},
		[]string{"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Thomas", "O'Brien", "O'Connor", "Patel", "Khan", "Davies", "Robinson", "Wright", "D'Souza", "MacLeod"}},
	{"Ireland", 8, []string{"Dublin", "Cork"}, "ie",
		[]string{"Seán", "Aoife", "Conor", "Niamh", "Cian", "Saoirse"},
		[]string{"Murphy", "Kelly", "O'Sullivan", "Walsh", "O'Neill", "Ó Briain"}},
	{"France", 12, []string{"Paris", "Lyon"}, "fr",
		[]string{"Camille", "Léa", "Hugo", "Chloé", "Louis", "Zoé", "Noël"},
		[]string{"Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Girard", "D'Arcy"}},
	{"Italy", 10, []string{"Milan", "Rome"}, "it",
		[]string{"Giulia", "Lorenzo", "Sofia", "Matteo", "Chiara", "Niccolò"},
		[]string{"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "D'Angelo", "Porcelli", "Romano"}},
	{"Germany", 10, []string{"Berlin", "Munich"}, "de",
		[]string{"Lukas", "Mia", "Jonas", "Hannah", "Felix", "Jürgen"},
		[]string{"Müller", "Schmidt", "Schneider", "Fischer", "Weiß", "Groß"}},
	{"Poland", 5, []string{"Kraków"}, "pl",
		[]string{"Łukasz", "Zofia", "Kacper", "Małgorzata"},
		[]string{"Nowak", "Kowalski", "Wiśniewski", "Wójcik"}},
	{"United States", 5, []string{"New York", "Boston"}, "com",
		[]string{"Emma", "Liam", "Olivia", "Noah", "Ethan"},
		[]string{"Johnson", "Miller", "Garcia", "Rodriguez", "Lee"}},
}

var departments = []struct {
	name string
	jobs []string
}{
	{"Human Resources", []string{"HR Advisor", "HR Business Partner", "Payroll Specialist", "Recruiter", "HR Director"}},
	{"Finance", []string{"Accountant", "Financial Analyst", "Credit Controller", "Finance Manager"}},
	{"Engineering", []string{"Software Engineer", "Senior Software Engineer", "QA Engineer", "Engineering Manager", "Site Reliability Engineer"}},
	{"Sales", []string{"Account Executive", "Sales Development Rep", "Sales Manager"}},
	{"Customer Success", []string{"Customer Success Manager", "Support Analyst", "Implementation Consultant"}},
	{"Marketing", []string{"Content Marketer", "Product Marketing Manager", "Designer"}},
	{"Operations", []string{"Office Manager", "Facilities Coordinator", "Operations Analyst"}},
}

var titles = []string{"Mr", "Ms", "Mrs", "Dr", "Mx"}

// generatePeople builds a deterministic population: the same n always yields the
// same people, so tests and screenshots are repeatable.
func generatePeople(n int) []Person {
	rng := rand.New(rand.NewPCG(20131104, 20140526))
	total := 0
	for _, c := range countries {
		total += c.weight
	}
	people := make([]Person, n)
	base := time.Date(2004, 1, 5, 0, 0, 0, 0, time.UTC)
	span := int(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC).Sub(base).Hours() / 24)
	for i := range people {
		pick := rng.IntN(total)
		var c country
		for _, cc := range countries {
			if pick < cc.weight {
				c = cc
				break
			}
			pick -= cc.weight
		}
		d := departments[rng.IntN(len(departments))]
		first := c.first[rng.IntN(len(c.first))]
		last := c.last[rng.IntN(len(c.last))]
		p := Person{
			PersonGUID:  guid(rng),
			PersonCode:  fmt.Sprintf("P%06d", i+1),
			Title:       titles[rng.IntN(len(titles))],
			FirstName:   first,
			LastName:    last,
			JobTitle:    d.jobs[rng.IntN(len(d.jobs))],
			Department:  d.name,
			Location:    c.locations[rng.IntN(len(c.locations))],
			CountryName: c.name,
			StartDate:   base.AddDate(0, 0, rng.IntN(span)),
			DateOfBirth: time.Date(1960+rng.IntN(42), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC),
			FTE:         []float64{1, 1, 1, 1, 0.8, 0.6, 0.5}[rng.IntN(7)],
			IsActive:    rng.IntN(20) != 0,
		}
		p.KnownAs = first
		p.FormattedName = first + " " + last
		p.EmailAddress = fmt.Sprintf("%s.%s%d@example.%s", emailPart(first), emailPart(last), i+1, c.domain)
		if i > 0 {
			p.ManagerGUID = people[rng.IntN(min(i, 50))].PersonGUID
		}
		people[i] = p
	}
	return people
}

func guid(rng *rand.Rand) string {
	a, b := rng.Uint64(), rng.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0x0fff, 0x8000|(b>>48)&0x3fff, b&0xffffffffffff)
}

var emailFold = strings.NewReplacer(
	"'", "", " ", "", "á", "a", "à", "a", "é", "e", "è", "e", "ë", "e", "í", "i", "ó", "o", "Ó", "O", "ö", "o",
	"ü", "u", "ß", "ss", "ł", "l", "Ł", "L", "ś", "s", "ń", "n", "ą", "a", "ę", "e", "ż", "z", "ź", "z", "ò", "o",
)

func emailPart(s string) string { return strings.ToLower(emailFold.Replace(s)) }
