package data

import (
	"context"
	"fmt"
	"net/url"
	"reflect"
	"slices"
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
	if got := encodeQuery(q.Values()); got != "$filter=LastName%20eq%20%27O%27%27Brien%27&$format=json&$inlinecount=allpages&$orderby=LastName%2CStartDate%20desc&$select=FirstName%2CLastName&$skip=10&$top=5" {
		t.Errorf("query %s", got)
	}
	q.Version = V4
	if v := q.Values(); v.Get("$count") != "true" || v.Has("$inlinecount") {
		t.Errorf("v4 count: %v", v)
	}
}

// Query options are written as the OData ABNF reads them, in every
// version: a space is %20 (a '+' is a plus sign to a strict server), a plus
// sign is %2B, '$' stays literal, and what a person types reaches the
// server unchanged however odd it is.
func TestEncodeQuery(t *testing.T) {
	tests := []struct {
		name string
		q    Query
		want string // the whole query; "" to check only that it decodes back
	}{
		{"descending sort", Query{OrderBy: []Order{{"FormattedName", true}}, Version: V4},
			"$format=json&$orderby=FormattedName%20desc"},
		{"two-word search v4", Query{Filter: Search([]string{"LastName"}, "o'brien seán", V4), Version: V4},
			"$filter=%28contains%28tolower%28LastName%29%2C%27o%27%27brien%27%29%29%20and%20%28contains%28tolower%28LastName%29%2C%27se%C3%A1n%27%29%29&$format=json"},
		{"two-word search v2", Query{Filter: Search([]string{"LastName"}, "a b", V2), Count: true},
			"$filter=%28substringof%28%27a%27%2Ctolower%28LastName%29%29%29%20and%20%28substringof%28%27b%27%2Ctolower%28LastName%29%29%29&$format=json&$inlinecount=allpages"},
		{"or across properties v3", Query{Filter: Search([]string{"FirstName", "LastName"}, "x", V3), Version: V3},
			"$filter=%28substringof%28%27x%27%2Ctolower%28FirstName%29%29%29%20or%20%28substringof%28%27x%27%2Ctolower%28LastName%29%29%29&$format=json"},
		{"plus sign is %2B", Query{Filter: Contains("JobTitle", "C++ dev", V4), Version: V4},
			"$filter=contains%28JobTitle%2C%27C%2B%2B%20dev%27%29&$format=json"},
		{"select and count v4", Query{Select: []string{"FirstName", "LastName"}, Count: true, Top: 20, Skip: 40, Version: V4},
			"$count=true&$format=json&$select=FirstName%2CLastName&$skip=40&$top=20"},
		{"separators and escapes in a literal", Query{Filter: Contains("Notes", "a&b=c#d%24e $f/g?h", V4), Version: V4}, ""},
		{"every script", Query{Filter: Contains("FormattedName", "王 秀英 محمد שרה Zoë", V4), Version: V4}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := encodeQuery(tt.q.Values())
			if tt.want != "" && got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if strings.ContainsAny(got, "+ ") {
				t.Errorf("%s has a '+' or a bare space", got)
			}
			if decoded := strictDecode(t, got); !reflect.DeepEqual(decoded, tt.q.Values()) {
				t.Errorf("%s decodes to %v, want %v", got, decoded, tt.q.Values())
			}
		})
	}
}

// strictDecode reads a query as a strict OData 4 server does: '+' is a plus
// sign, only %XX is an escape.
func strictDecode(t *testing.T, raw string) url.Values {
	t.Helper()
	v := url.Values{}
	for _, pair := range strings.Split(raw, "&") {
		name, value, _ := strings.Cut(pair, "=")
		n, err1 := url.PathUnescape(name)
		val, err2 := url.PathUnescape(value)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v %v", pair, err1, err2)
		}
		v.Add(n, val)
	}
	return v
}

// The app's searches and sorts, through the real client, against the
// sandbox in each version. In v4 the sandbox is as strict as an OData 4
// server: a query written with '+' for a space is a 400 there.
func TestQueriesAgainstStrictSandbox(t *testing.T) {
	fields := []string{"FirstName", "LastName", "EmailAddress"}
	tests := []struct {
		name string
		q    func(v Version) Query
		want func(all []Record) []Record // the rows, in order, the query must give
	}{
		{"two-word search", func(v Version) Query {
			return Query{Filter: Search(fields, "Ó Briain", v), OrderBy: []Order{{"PersonGuid", false}}}
		}, func(all []Record) []Record {
			return sortedBy(matching(all, fields, "ó", "briain"), "PersonGuid", false)
		}},
		{"descending sort", func(Version) Query {
			return Query{OrderBy: []Order{{"FormattedName", true}, {"PersonGuid", true}}}
		}, func(all []Record) []Record {
			return sortedBy(sortedBy(all, "PersonGuid", true), "FormattedName", true)
		}},
		{"search, descending, selected columns", func(v Version) Query {
			return Query{Filter: Search(fields, "o'", v), OrderBy: []Order{{"LastName", true}, {"PersonGuid", true}}, Select: []string{"PersonGuid", "LastName", "FirstName", "EmailAddress"}}
		}, func(all []Record) []Record {
			return sortedBy(sortedBy(matching(all, fields, "o'"), "PersonGuid", true), "LastName", true)
		}},
	}
	for _, v := range []Version{V2, V3, V4} {
		// A small server page makes the crawl follow next links (and the
		// concurrent crawl ask for $skip/$top pages) with the same query.
		c, _ := sandboxClient(t, sandbox.Config{People: 700, PageSize: 25, ODataVersion: int(v)})
		all := crawlAll(t, c, Query{Version: v}, 1)
		if len(all) != 700 {
			t.Fatalf("v%d: %d people, want 700", v, len(all))
		}
		for _, tt := range tests {
			for _, concurrency := range []int{1, 3} {
				t.Run(fmt.Sprintf("v%d %s concurrency %d", v, tt.name, concurrency), func(t *testing.T) {
					q := tt.q(v)
					q.Version = v
					got := crawlAll(t, c, q, concurrency)
					want := tt.want(all)
					if len(want) == 0 {
						t.Fatal("the data has no rows for this query; the test proves nothing")
					}
					if len(got) != len(want) {
						t.Fatalf("%d rows, want %d", len(got), len(want))
					}
					for i := range want {
						if got[i]["PersonGuid"] != want[i]["PersonGuid"] {
							t.Fatalf("row %d is %v, want %v", i, got[i]["FormattedName"], want[i]["FormattedName"])
						}
					}
				})
			}
		}
	}
}

// crawlAll is every row of q, through Crawl.
func crawlAll(t *testing.T, c *Client, q Query, concurrency int) []Record {
	t.Helper()
	var rows []Record
	err := c.Crawl(context.Background(), PeopleSet, q, concurrency, func(r []Record, _ int) error {
		rows = append(rows, r...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// matching is the rows where every word is, case-insensitively, in one of
// the fields: what Search asks the server for.
func matching(rows []Record, fields []string, words ...string) []Record {
	var out []Record
	for _, r := range rows {
		ok := true
		for _, w := range words {
			ok = ok && slices.ContainsFunc(fields, func(f string) bool {
				s, _ := r[f].(string)
				return strings.Contains(strings.ToLower(s), w)
			})
		}
		if ok {
			out = append(out, r)
		}
	}
	return out
}

// sortedBy is rows stably sorted by a string field.
func sortedBy(rows []Record, field string, desc bool) []Record {
	out := slices.Clone(rows)
	slices.SortStableFunc(out, func(a, b Record) int {
		c := strings.Compare(a[field].(string), b[field].(string))
		if desc {
			return -c
		}
		return c
	})
	return out
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
