package data

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox/sandboxtest"
)

// bearerTransport adds a fixed access token, as the auth session would.
type bearerTransport struct{ token string }

func (b bearerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return http.DefaultTransport.RoundTrip(r)
}

// sandboxClient is a data Client signed in to a fresh sandbox as its
// service account (which sees everyone).
func sandboxClient(t testing.TB, cfg sandbox.Config) (*Client, *sandbox.Server) {
	t.Helper()
	tenant := sandboxtest.Start(t, cfg)
	c, _ := tenant.Client(sandbox.ClientService)
	token := sandboxtest.ServiceToken(t, tenant.BaseURL(), c.Secret)
	return &Client{
		HTTP:         &http.Client{Transport: bearerTransport{token}},
		TokenInfoURL: tenant.BaseURL() + "/OAuth/TokenInfo",
		ServiceURL:   tenant.BaseURL() + "/DataService.svc",
	}, tenant.Server
}

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
		{"guid v3", Literal(Guid("7ab6ef7a-43cd-472f-852a-bbee3992ad19"), V3), "guid'7ab6ef7a-43cd-472f-852a-bbee3992ad19'"},
		{"guid v4", Literal(Guid("7ab6ef7a-43cd-472f-852a-bbee3992ad19"), V4), "7ab6ef7a-43cd-472f-852a-bbee3992ad19"},
		{"decimal v2", Literal(0.8, V2), "0.8M"},
		{"decimal v4", Literal(0.8, V4), "0.8"},
		{"bool", Literal(true, V2), "true"},
		{"null", Literal(nil, V2), "null"},
		{"eq", Eq("LastName", "O'Brien", V2), "LastName eq 'O''Brien'"},
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
	q := Query{Top: 5, Skip: 10, OrderBy: []Order{{"LastName", false}, {"StartDate", true}}, Select: []string{"FirstName", "LastName"}, Filter: Eq("LastName", "O'Brien", V2), Count: true}
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
			{Eq("LastName", "O'Brien", v), func(r Record) bool { return r["LastName"] == "O'Brien" }},
			{Search([]string{"FirstName", "LastName", "EmailAddress"}, "o'brien", v), func(r Record) bool { return strings.Contains(strings.ToLower(r["LastName"].(string)), "o'brien") }},
			{ContainsFold("FirstName", "SEÁN", v), func(r Record) bool { return r["FirstName"] == "Seán" }},
			{And(Eq("CountryName", "Ireland", v), StartsWith("LastName", "O'", v)), func(r Record) bool {
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

func TestMetadataVersions(t *testing.T) {
	for _, v := range []int{2, 3, 4} {
		c, _ := sandboxClient(t, sandbox.Config{ODataVersion: v})
		m, err := c.Metadata(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if m.Version != Version(v) {
			t.Errorf("version %d detected as %d", v, m.Version)
		}
		et, err := m.EntitySet("People")
		if err != nil {
			t.Fatal(err)
		}
		if len(et.Keys) != 1 || et.Keys[0] != "PersonGuid" || len(et.Properties) != 17 {
			t.Fatalf("v%d: %+v", v, et)
		}
		sd, _ := et.Property("StartDate")
		if (v == 4) != (sd.Type == "Edm.DateTimeOffset") {
			t.Errorf("v%d StartDate type %s", v, sd.Type)
		}
	}
}

func TestParseMetadataShapes(t *testing.T) {
	inherit := `<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="Org.Model" Alias="M" xmlns="http://docs.oasis-open.org/odata/ns/edm">
<EntityType Name="Entity" Abstract="true"><Key><PropertyRef Name="Id"/></Key><Property Name="Id" Type="Edm.Guid" Nullable="false"/></EntityType>
<EntityType Name="Person" BaseType="M.Entity"><Property Name="Name" Type="Edm.String"/></EntityType>
</Schema>
<Schema Namespace="Org.Container" xmlns="http://docs.oasis-open.org/odata/ns/edm"><EntityContainer Name="C"><EntitySet Name="People" EntityType="Org.Model.Person"/></EntityContainer></Schema>
</edmx:DataServices></edmx:Edmx>`
	m, err := ParseMetadata(strings.NewReader(inherit))
	if err != nil {
		t.Fatal(err)
	}
	et, _ := m.EntitySet("People")
	if m.Version != V4 || len(et.Keys) != 1 || et.Keys[0] != "Id" || len(et.Properties) != 2 || et.Properties[0].Nullable {
		t.Fatalf("inherited type: %+v", et)
	}
	for _, bad := range []string{"", "<html>no</html>", `<edmx:Edmx Version="1.0" xmlns:edmx="e"><edmx:DataServices><Schema Namespace="N"><EntityContainer Name="C"><EntitySet Name="P" EntityType="N.Missing"/></EntityContainer></Schema></edmx:DataServices></edmx:Edmx>`,
		`<edmx:Edmx Version="4.0" xmlns:edmx="e"><edmx:DataServices><Schema Namespace="N"><EntityType Name="A" BaseType="N.A"><Property Name="x" Type="Edm.String"/></EntityType><EntityContainer Name="C"><EntitySet Name="P" EntityType="N.A"/></EntityContainer></Schema></edmx:DataServices></edmx:Edmx>`} {
		if _, err := ParseMetadata(strings.NewReader(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func TestCrawlIsCompleteAndOrdered(t *testing.T) {
	for _, v := range []int{2, 4} {
		c, _ := sandboxClient(t, sandbox.Config{People: 2345, ODataVersion: v})
		for _, conc := range []int{1, 4} {
			var codes []string
			err := c.Crawl(context.Background(), PeopleSet, Query{OrderBy: []Order{{Property: "PersonCode"}}, Version: Version(v)}, conc, func(rows []Record, total int) error {
				if total != 2345 {
					t.Fatalf("total %d", total)
				}
				for _, r := range rows {
					codes = append(codes, r["PersonCode"].(string))
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(codes) != 2345 {
				t.Fatalf("v%d concurrency %d: %d rows", v, conc, len(codes))
			}
			for i := 1; i < len(codes); i++ {
				if codes[i-1] >= codes[i] {
					t.Fatalf("v%d concurrency %d: out of order at %d: %s then %s", v, conc, i, codes[i-1], codes[i])
				}
			}
		}
	}
}

func TestCrawlStopsOnErrorAndCancel(t *testing.T) {
	c, srv := sandboxClient(t, sandbox.Config{People: 3000})
	stop := errors.New("enough")
	pages := 0
	err := c.Crawl(context.Background(), PeopleSet, Query{}, 4, func([]Record, int) error {
		pages++
		if pages == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || pages != 3 {
		t.Fatalf("callback error: %v after %d pages", err, pages)
	}
	srv.SetFaults(sandbox.Faults{Fail500: 100})
	defer srv.SetFaults(sandbox.Faults{})
	if err := c.Crawl(context.Background(), PeopleSet, Query{}, 4, func([]Record, int) error { return nil }); err == nil {
		t.Fatal("server errors not reported")
	}
	srv.SetFaults(sandbox.Faults{})
	ctx, cancel := context.WithCancel(context.Background())
	err = c.Crawl(ctx, PeopleSet, Query{}, 4, func([]Record, int) error { cancel(); return nil })
	if err == nil {
		t.Fatal("cancelled crawl reported success")
	}
}

func TestBrowserFetchesOnlyWhatIsNeeded(t *testing.T) {
	c, _ := sandboxClient(t, sandbox.Config{People: 20000})
	var mu sync.Mutex
	var errs []error
	b := c.NewBrowser(PeopleSet, Query{OrderBy: []Order{{Property: "PersonCode"}}}, BrowserOptions{
		MaxPages: 5, Go: func(f func()) { f() },
		OnChange: func(err error) {
			mu.Lock()
			errs = append(errs, err)
			mu.Unlock()
		},
	})
	defer b.Close()
	if err := b.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	if b.Len() != 20000 || b.Requests() != 1 {
		t.Fatalf("len %d, requests %d", b.Len(), b.Requests())
	}
	if r, ok := b.Row(5); !ok || r["PersonCode"] != "P000006" {
		t.Fatalf("row 5: %v %v", r, ok)
	}
	// Jump to row 15,000: one page request (run inline here) brings it.
	if r, ok := b.Row(15000); !ok || r["PersonCode"] != "P015001" {
		t.Fatalf("row 15000: %v %v", r, ok)
	}
	if b.Requests() != 2 {
		t.Fatalf("%d requests, want 2", b.Requests())
	}
	// Walking through more pages than the cache holds keeps it bounded.
	for i := 0; i < 20000; i += 200 {
		b.Row(i)
	}
	if b.CachedPages() > 5 {
		t.Fatalf("%d pages cached, bound is 5", b.CachedPages())
	}
	if b.Requests() != 2+99 {
		t.Fatalf("%d requests for a full walk", b.Requests())
	}
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestExportCSV(t *testing.T) {
	c, srv := sandboxClient(t, sandbox.Config{People: 1234})
	m, _ := c.Metadata(context.Background())
	et, _ := m.EntitySet(PeopleSet)
	var cols []Property
	for _, n := range []string{"FormattedName", "LastName", "StartDate", "IsActive", "FullTimeEquivalent"} {
		p, _ := et.Property(n)
		cols = append(cols, p)
	}
	var buf bytes.Buffer
	var last [2]int
	err := c.ExportCSV(context.Background(), PeopleSet, Query{OrderBy: []Order{{Property: "PersonCode"}}}, cols, &buf, func(d, t int) { last = [2]int{d, t} })
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\uFEFFName,Last name,Start date,Is active,Full time equivalent\n") {
		t.Fatalf("header: %q", out[:min(len(out), 120)])
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 1235 || last != [2]int{1234, 1234} {
		t.Fatalf("%d lines, progress %v", len(lines), last)
	}
	if !strings.Contains(out, "O'Brien") || !strings.Contains(lines[1], ",Yes,") && !strings.Contains(lines[1], ",No,") {
		t.Fatalf("values: %s", lines[1])
	}
	// Only the chosen columns were asked for.
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/People") && !strings.Contains(r.Query, "%24select=FormattedName%2CLastName") {
			t.Fatalf("export request without $select: %s", r.Query)
		}
	}
	if got := csvValue("=HYPERLINK(\"x\")", Property{Type: "Edm.String"}); got != "'=HYPERLINK(\"x\")" {
		t.Fatalf("formula not neutralised: %s", got)
	}
}

func TestFormatProperty(t *testing.T) {
	p := Property{Name: "StartDate", Type: "Edm.DateTime"}
	for _, tt := range []struct{ locale, want string }{{"en-GB", "6 Jan 2005"}, {"en-US", "Jan 6, 2005"}, {"de-DE", "06.01.2005"}, {"fr-FR", "06/01/2005"}, {"", "2005-01-06"}} {
		if got := FormatProperty("/Date(1104969600000)/", p, tt.locale); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.locale, got, tt.want)
		}
	}
	if got := FormatProperty("2005-01-06T00:00:00Z", Property{Type: "Edm.DateTimeOffset"}, "en-GB"); got != "6 Jan 2005" {
		t.Errorf("v4 date: %s", got)
	}
	if got := FormatProperty("2005-01-06", Property{Type: "Edm.String"}, "en-GB"); got != "2005-01-06" {
		t.Errorf("a string that looks like a date: %s", got)
	}
}

// Fuzz targets: the decoders take untrusted input from the network and must
// fail cleanly, never panic or hang. Seed corpora live in testdata/fuzz.
func FuzzDecodePage(f *testing.F) {
	for _, s := range []string{
		`{"d":{"results":[{"a":1}],"__count":"1","__next":"n"}}`, `{"d":[{"a":"b"}]}`,
		`{"value":[{"a":null}],"odata.count":"3"}`, `{"@odata.count":2,"value":[],"@odata.nextLink":"x"}`,
		`{"x":1,"d":{"results":[]}}`, `{"d":5}`, `[]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := DecodePage(bytes.NewReader(b))
		if err == nil && (p == nil || p.Rows == nil && p.Count < -1) {
			t.Fatal("nil page without error")
		}
	})
}

func FuzzParseMetadata(f *testing.F) {
	seed, _ := os.ReadFile(filepath.Join("testdata", "metadata-v2.xml"))
	f.Add(seed)
	f.Add([]byte(`<edmx:Edmx Version="4.0"><edmx:DataServices><Schema Namespace="N" Alias="A"><EntityType Name="T" BaseType="A.T"/><EntityContainer><EntitySet Name="S" EntityType="A.T"/></EntityContainer></Schema></edmx:DataServices></edmx:Edmx>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseMetadata(bytes.NewReader(b))
		if err == nil && len(m.sets) == 0 {
			t.Fatal("metadata without entity sets accepted")
		}
	})
}
