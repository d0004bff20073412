package data

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/odatatest"
)

// The tests in this file run the data client against an OData server this
// project did not write (SAP CAP for v4, its community adapter for v2; see
// internal/odatatest), holding 2,500 generated people full of awkward
// values, and compare what the client reads with what was put in.

// independent is one dialect of the independent server, with the client
// the app would use against it.
type independent struct {
	srv     *odatatest.Server
	version Version
	client  *Client
	entity  *EntityType
}

func TestIndependentServer(t *testing.T) {
	srv := odatatest.Start(t, odatatest.DefaultPeople)
	checks := []struct {
		name string
		run  func(t *testing.T, s *independent)
	}{
		{"metadata", checkIndependentMetadata},
		{"count", checkIndependentCount},
		{"crawl by next links", func(t *testing.T, s *independent) { checkIndependentCrawl(t, s, 1) }},
		{"crawl by pages in parallel", func(t *testing.T, s *independent) { checkIndependentCrawl(t, s, 4) }},
		{"two-word search", func(t *testing.T, s *independent) { checkIndependentSearch(t, s, "mary ann") }},
		{"search with an apostrophe and two words", func(t *testing.T, s *independent) { checkIndependentSearch(t, s, "O'Brien mary") }},
		{"search across properties", func(t *testing.T, s *independent) { checkIndependentSearch(t, s, "person12 ann") }},
		{"descending sort", checkIndependentDescendingSort},
		{"select", checkIndependentSelect},
		{"csv round trip", func(t *testing.T, s *independent) { checkIndependentCSV(t, s, exportIndependent(t, s)) }},
	}
	for _, version := range []Version{V4, V2} {
		s := independentDialect(t, srv, version)
		for _, c := range checks {
			t.Run(fmt.Sprintf("v%d/%s", version, c.name), func(t *testing.T) { c.run(t, s) })
		}
	}
}

// TestIndependentServerSameCSVFromEveryDialect: the same people export to
// the very same CSV from v4 and from v2.
func TestIndependentServerSameCSVFromEveryDialect(t *testing.T) {
	srv := odatatest.Start(t, 300)
	v4 := strings.Split(exportIndependent(t, independentDialect(t, srv, V4)), "\n")
	v2 := strings.Split(exportIndependent(t, independentDialect(t, srv, V2)), "\n")
	if len(v4) != len(v2) {
		t.Fatalf("v4 exported %d lines, v2 %d", len(v4), len(v2))
	}
	differ := 0
	for i := range v4 {
		if v4[i] != v2[i] {
			if differ++; differ <= 5 {
				t.Errorf("line %d differs:\nv4: %.400s\nv2: %.400s", i+1, v4[i], v2[i])
			}
		}
	}
	if differ > 0 {
		t.Errorf("%d of %d lines differ between v4 and v2", differ, len(v4))
	}
}

// independentDialect is a client for one version of the server, with the
// People entity from its $metadata, as the app reads it after signing in.
func independentDialect(t *testing.T, srv *odatatest.Server, version Version) *independent {
	t.Helper()
	c := &Client{
		// The app always sends its bearer token; CAP's dummy authentication
		// accepts any.
		HTTP:       &http.Client{Transport: bearerTransport{"independent-test-token"}},
		ServiceURL: srv.Root(int(version)),
	}
	m, err := c.Metadata(context.Background())
	if err != nil {
		t.Fatalf("v%d metadata: %v", version, err)
	}
	et, err := m.EntitySet(PeopleSet)
	if err != nil {
		t.Fatalf("v%d: %v", version, err)
	}
	return &independent{srv: srv, version: version, client: c, entity: et}
}

func checkIndependentMetadata(t *testing.T, s *independent) {
	m, err := s.client.Metadata(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != s.version {
		t.Errorf("metadata says version %d, want %d", m.Version, s.version)
	}
	if !slices.Equal(s.entity.Keys, []string{"PersonGuid"}) {
		t.Errorf("keys %v, want [PersonGuid]", s.entity.Keys)
	}
	for _, want := range odatatest.Properties {
		got, ok := s.entity.Property(want.Name)
		wantType := want.V4
		if s.version == V2 {
			wantType = want.V2
		}
		if !ok || got.Type != wantType {
			t.Errorf("property %s: %+v (declared %v), want type %s", want.Name, got, ok, wantType)
		}
	}
}

func checkIndependentCount(t *testing.T, s *independent) {
	p, err := s.client.People(context.Background(), Query{Count: true, Top: 1, Version: s.version})
	if err != nil {
		t.Fatal(err)
	}
	if p.Count != len(s.srv.People) || len(p.Rows) != 1 {
		t.Fatalf("count %d with %d rows, want %d with 1", p.Count, len(p.Rows), len(s.srv.People))
	}
}

// crawlAll is every row of a query, by Crawl.
// crawl reads every row of q from the independent server, in its version.
func (s *independent) crawl(t *testing.T, q Query, concurrency int) []Record {
	t.Helper()
	q.Version = s.version
	return crawlAll(t, s.client, q, concurrency)
}

// checkIndependentCrawl reads everyone and compares every value with the
// generated person's. With concurrency 1 the crawl follows the server's
// $skiptoken next links (pages of 250); with more, it asks for pages by
// $skip and $top.
func checkIndependentCrawl(t *testing.T, s *independent, concurrency int) {
	q := Query{}
	if concurrency > 1 {
		q.OrderBy = []Order{{Property: "LastName"}, {Property: "PersonGuid"}}
	}
	rows := s.crawl(t, q, concurrency)
	if len(rows) != len(s.srv.People) {
		t.Fatalf("crawl read %d people, want %d", len(rows), len(s.srv.People))
	}
	byGUID := s.srv.ByGUID()
	seen := map[string]bool{}
	differ := 0
	for i, r := range rows {
		guid, _, _ := odatatest.Canonical("Edm.Guid", r["PersonGuid"])
		want, ok := byGUID[guid]
		if !ok || seen[guid] {
			t.Fatalf("row %d: PersonGuid %v unknown or read twice", i, r["PersonGuid"])
		}
		seen[guid] = true
		for _, d := range recordDiffs(r, want, nil) {
			if differ++; differ <= 10 {
				t.Errorf("row %d (%s): %s", i, guid, d)
			}
		}
	}
	if differ > 0 {
		t.Errorf("%d values differ from the generated data", differ)
	}
}

// recordDiffs compares a row's values (only those named in props, or all
// when props is nil) with a person's, each in its canonical form.
func recordDiffs(r Record, want odatatest.Person, props []string) []string {
	var out []string
	for _, p := range odatatest.Properties {
		if props != nil && !slices.Contains(props, p.Name) {
			continue
		}
		raw, present := r[p.Name]
		got, gotNull, err := odatatest.Canonical(p.V4, raw)
		wantV, wantNull := want.Value(p.Name)
		switch {
		case !present:
			out = append(out, p.Name+" is missing")
		case err != nil:
			out = append(out, fmt.Sprintf("%s: %v", p.Name, err))
		case got != wantV || gotNull != wantNull:
			out = append(out, fmt.Sprintf("%s = %.80q (null %v), want %.80q (null %v)", p.Name, got, gotNull, wantV, wantNull))
		}
	}
	return out
}

// checkIndependentSearch runs the search box's filter and compares who it
// finds with who has every word in one of the searched properties. The
// words are ASCII, as SQLite folds only ASCII letters' case.
func checkIndependentSearch(t *testing.T, s *independent, text string) {
	rows := s.crawl(t, Query{Filter: Search(odatatest.SearchProperties, text, s.version), OrderBy: []Order{{Property: "PersonCode"}}}, 1)
	var want []string
	for _, p := range s.srv.People {
		if p.Matches(text) {
			code, _ := p.Value("PersonCode")
			want = append(want, code)
		}
	}
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprint(r["PersonCode"]))
	}
	if len(want) == 0 {
		t.Fatalf("no one matches %q in the generated data: the test needs other words", text)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("search %q found %d people, want %d (first found %v, first wanted %v)", text, len(got), len(want), got[:min(5, len(got))], want[:5])
	}
}

// checkIndependentDescendingSort reads everyone by full name descending
// (then code, for ties) and compares the order with the generated data's,
// sorted by code point as SQLite's binary collation does.
func checkIndependentDescendingSort(t *testing.T, s *independent) {
	rows := s.crawl(t, Query{OrderBy: []Order{{Property: "FormattedName", Desc: true}, {Property: "PersonCode", Desc: true}}}, 4)
	want := slices.Clone(s.srv.People)
	slices.SortFunc(want, func(a, b odatatest.Person) int {
		an, _ := a.Value("FormattedName")
		bn, _ := b.Value("FormattedName")
		ac, _ := a.Value("PersonCode")
		bc, _ := b.Value("PersonCode")
		if c := strings.Compare(bn, an); c != 0 {
			return c
		}
		return strings.Compare(bc, ac)
	})
	if len(rows) != len(want) {
		t.Fatalf("sorted crawl read %d people, want %d", len(rows), len(want))
	}
	for i, r := range rows {
		if code, _ := want[i].Value("PersonCode"); r["PersonCode"] != code {
			name, _ := want[i].Value("FormattedName")
			t.Fatalf("row %d is %v %q, want %s %q", i, r["PersonCode"], r["FormattedName"], code, name)
		}
	}
}

// checkIndependentSelect asks for two properties and gets those (and the
// key, which a server may add) and nothing else, with the right values.
func checkIndependentSelect(t *testing.T, s *independent) {
	selected := []string{"FormattedName", "Adjustment"}
	p, err := s.client.People(context.Background(), Query{Select: selected, Top: 100, Version: s.version, OrderBy: []Order{{Property: "PersonCode"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rows) != 100 {
		t.Fatalf("%d rows, want 100", len(p.Rows))
	}
	for i, r := range p.Rows {
		for k := range r {
			if !slices.Contains(selected, k) && k != "PersonGuid" {
				t.Fatalf("row %d has %s, which was not selected", i, k)
			}
		}
		if d := recordDiffs(r, s.srv.People[i], selected); len(d) > 0 {
			t.Fatalf("row %d: %v", i, d)
		}
	}
}

// exportIndependent exports everyone, every property, in code order.
func exportIndependent(t *testing.T, s *independent) string {
	t.Helper()
	var buf bytes.Buffer
	err := s.client.ExportCSV(context.Background(), PeopleSet, Query{Version: s.version, OrderBy: []Order{{Property: "PersonCode"}}}, s.entity.Properties, &buf, nil)
	if err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// checkIndependentCSV reads the export back and compares every cell with
// the generated person's value: numbers as plain numbers (a negative one
// too), dates and times in ISO 8601 with every digit the server keeps
// (milliseconds), nulls empty, and only text that starts like a formula
// behind the ' guard.
func checkIndependentCSV(t *testing.T, s *independent, export string) {
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(export, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatalf("the export is not CSV: %v", err)
	}
	if len(records) != len(s.srv.People)+1 {
		t.Fatalf("%d lines, want a header and %d people", len(records), len(s.srv.People))
	}
	differ := 0
	for i, line := range records[1:] {
		for j, prop := range s.entity.Properties {
			if d := csvCellDiff(prop.Name, line[j], s.srv.People[i]); d != "" {
				if differ++; differ <= 10 {
					t.Errorf("line %d: %s", i+2, d)
				}
			}
		}
	}
	if differ > 0 {
		t.Errorf("%d cells differ from the generated data", differ)
	}
}

// csvCellDiff says how a cell differs from a person's value, or "".
func csvCellDiff(name, cell string, p odatatest.Person) string {
	i := slices.IndexFunc(odatatest.Properties, func(q odatatest.Property) bool { return q.Name == name })
	if i < 0 {
		return ""
	}
	edmType := odatatest.Properties[i].V4
	want, null := p.Value(name)
	if null {
		if cell != "" {
			return fmt.Sprintf("%s %.80q for a null", name, cell)
		}
		return ""
	}
	var got string
	var err error
	switch edmType {
	case "Edm.String":
		got = cell
		if strings.ContainsAny(want[:1], "=+-@\t\r") {
			want = "'" + want
		}
	case "Edm.Date":
		got = cell // ISO 8601, nothing else
	case "Edm.Boolean":
		got = map[string]string{"Yes": "true", "No": "false", "true": "true", "false": "false"}[cell]
	case "Edm.Decimal", "Edm.Int64", "Edm.Double":
		got, _, err = odatatest.Canonical(edmType, cell) // a guard ' makes it no number
	case "Edm.DateTimeOffset":
		if !strings.Contains(cell, "T") {
			return fmt.Sprintf("%s %q is not ISO 8601", name, cell)
		}
		got, _, err = odatatest.Canonical(edmType, cell)
	default:
		got, _, err = odatatest.Canonical(edmType, cell)
	}
	if err != nil {
		return fmt.Sprintf("%s: %v", name, err)
	}
	if got != want {
		return fmt.Sprintf("%s %.80q, want %.80q", name, cell, want)
	}
	return ""
}
