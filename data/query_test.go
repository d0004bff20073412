package data

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

func TestLiteralsAndFilters(t *testing.T) {
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"apostrophe", Literal("O'Brien", V2), "'O''Brien'"},
		{"two apostrophes", Literal("''", V4), "''''''"},
		{"unicode", Literal("Zoë Łukasz", V3), "'Zoë Łukasz'"},
		{"date v2", Literal(day, V2), "datetime'2024-03-01T00:00:00'"},
		{"date v4", Literal(day, V4), "2024-03-01T00:00:00Z"},
		{"decimal v2", Literal(0.8, V2), "0.8M"},
		{"decimal v4", Literal(0.8, V4), "0.8"},
		{"bool", Literal(true, V2), "true"},
		{"null", Literal(nil, V2), "null"},
		{"substringof before v4", Contains("LastName", "O'B", V3), "substringof('O''B',LastName)"},
		{"contains in v4", Contains("LastName", "O'B", V4), "contains(LastName,'O''B')"},
		{"fold", ContainsFold("EmailAddress", "Seán", V2), "substringof('seán',tolower(EmailAddress))"},
		{"and/or", And(Or("a", "b"), "", "c"), "((a) or (b)) and (c)"},
		{"single", And("a"), "a"},
		{"search", Search([]string{"FirstName", "LastName"}, " o'brien  zoe ", V4),
			"((contains(tolower(FirstName),'o''brien')) or (contains(tolower(LastName),'o''brien'))) and ((contains(tolower(FirstName),'zoe')) or (contains(tolower(LastName),'zoe')))"},
		{"empty search", Search([]string{"FirstName"}, "   ", V2), ""},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, tt.got, tt.want)
		}
	}
	q := Query{Top: 5, Skip: 10, OrderBy: []Order{{"LastName", false}, {"StartDate", true}}, Select: []string{"FirstName", "LastName"}, Filter: "LastName eq " + Literal("O'Brien", V2), Count: true}
	if got := encodeQuery(q.Values()); got != "$filter=LastName+eq+%27O%27%27Brien%27&$format=json&$inlinecount=allpages&$orderby=LastName%2CStartDate+desc&$select=FirstName%2CLastName&$skip=10&$top=5" {
		t.Errorf("query %s", got)
	}
	q.Version = V4
	if v := q.Values(); v.Get("$count") != "true" || v.Has("$inlinecount") {
		t.Errorf("v4 count: %v", v)
	}
}

// Filters built here must select exactly what the sandbox's evaluator does,
// in every version, for names with apostrophes and accents.
func TestFiltersAgainstSandbox(t *testing.T) {
	for _, v := range []Version{V2, V3, V4} {
		c, _ := sandboxClient(t, sandbox.Config{People: 2000, ODataVersion: int(v)})
		for _, tt := range []struct {
			filter string
			check  func(Record) bool
		}{
			{"LastName eq " + Literal("O'Brien", v), func(r Record) bool { return r["LastName"] == "O'Brien" }},
			{Search([]string{"FirstName", "LastName", "EmailAddress"}, "o'brien", v), func(r Record) bool { return strings.Contains(strings.ToLower(r["LastName"].(string)), "o'brien") }},
			{ContainsFold("FirstName", "SEÁN", v), func(r Record) bool { return r["FirstName"] == "Seán" }},
			{And("CountryName eq "+Literal("Ireland", v), "startswith(LastName,"+Literal("O'", v)+")"), func(r Record) bool {
				return r["CountryName"] == "Ireland" && strings.HasPrefix(r["LastName"].(string), "O'")
			}},
		} {
			p, err := c.People(context.Background(), Query{Filter: tt.filter, Count: true, Top: 2000, Version: v})
			if err != nil {
				t.Fatalf("v%d %s: %v", v, tt.filter, err)
			}
			if len(p.Rows) == 0 || p.Count != len(p.Rows) && p.Next == "" {
				t.Fatalf("v%d %s: %d rows, count %d", v, tt.filter, len(p.Rows), p.Count)
			}
			for _, r := range p.Rows {
				if !tt.check(r) {
					t.Fatalf("v%d %s: row %v does not match", v, tt.filter, r["FormattedName"])
				}
			}
		}
	}
}

func BenchmarkSearchFilter(b *testing.B) {
	for i := 0; i < b.N; i++ {
		_ = Search([]string{"FirstName", "LastName", "FormattedName", "EmailAddress"}, "o'brien seán", V2)
	}
}
