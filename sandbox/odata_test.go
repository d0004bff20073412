package sandbox

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func TestDialects(t *testing.T) {
	tests := []struct {
		version    int
		query      string
		wantPrefix string
		want       []string
		header     string
	}{
		{ODataV2, "$inlinecount=allpages&$top=2", `{"d":{"results":[{"__metadata"`, []string{`"__count":"500"`, `"StartDate":"\/Date(`, `"FullTimeEquivalent":"`}, "DataServiceVersion"},
		{ODataV3, "$inlinecount=allpages&$top=2", `{"odata.metadata":`, []string{`"odata.count":"500"`, `"value":[`, `"FullTimeEquivalent":"`}, "DataServiceVersion"},
		{ODataV4, "$count=true&$top=2", `{"@odata.context":`, []string{`"@odata.count":500`, `"value":[`, `Z"`}, "OData-Version"},
	}
	for _, tt := range tests {
		t.Run(string(rune('0'+tt.version)), func(t *testing.T) {
			h := newHarness(t, Config{ODataVersion: tt.version})
			at := h.signIn()["access_token"].(string)
			req, _ := http.NewRequest(http.MethodGet, h.base+"/DataService.svc/People?$format=json&"+tt.query, nil)
			req.Header.Set("Authorization", "Bearer "+at)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body := string(b)
			if resp.StatusCode != 200 || !strings.HasPrefix(body, tt.wantPrefix) || resp.Header.Get(tt.header) == "" {
				t.Fatalf("%d %s %v", resp.StatusCode, body[:min(len(body), 200)], resp.Header)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %s", w)
				}
			}
			// Each version refuses the other's substring function and count option.
			wrong := "$filter=" + url.QueryEscape("contains(LastName,'a')")
			if tt.version == ODataV4 {
				wrong = "$filter=" + url.QueryEscape("substringof('a',LastName)")
			}
			if status, _ := h.get("/DataService.svc/People?$format=json&"+wrong, at); status != 400 {
				t.Errorf("foreign substring function: %d", status)
			}
		})
	}
}

func TestSelectAndFilterOverHTTP(t *testing.T) {
	h := newHarness(t, Config{People: 300})
	at := h.signIn()["access_token"].(string)
	q := url.Values{"$format": {"json"}, "$select": {"FirstName,LastName"}, "$filter": {"LastName eq 'O''Brien'"}, "$inlinecount": {"allpages"}}
	status, body := h.get("/DataService.svc/People?"+q.Encode(), at)
	if status != 200 {
		t.Fatalf("%d %v", status, body)
	}
	d := body["d"].(map[string]any)
	rows := d["results"].([]any)
	if len(rows) == 0 || d["__count"] != strconv.Itoa(len(rows)) {
		t.Fatalf("%d rows, count %v", len(rows), d["__count"])
	}
	for _, r := range rows {
		m := r.(map[string]any)
		if m["LastName"] != "O'Brien" || len(m) != 3 { // __metadata, FirstName, LastName
			t.Fatalf("row %v", m)
		}
	}
	if status, _ := h.get("/DataService.svc/People?$format=json&$select=Salary", at); status != 400 {
		t.Fatalf("unknown $select: %d", status)
	}
	if status, _ := h.get("/DataService.svc/People?$format=json&$filter="+url.QueryEscape("LastName eq"), at); status != 400 {
		t.Fatalf("bad $filter: %d", status)
	}
}

func TestPeoplePaging(t *testing.T) {
	h := newHarness(t, Config{People: 450, PageSize: 200})
	at := h.signIn()["access_token"].(string)
	page := func(path string) ([]any, string, string) { return h.v2Page(t, path, at) }
	tests := []struct {
		name      string
		query     string
		wantLen   int
		wantCount string
		wantNext  bool
	}{
		{"first server page", "$format=json", 200, "", true},
		{"inline count", "$format=json&$inlinecount=allpages", 200, "450", true},
		{"top below page size", "$format=json&$top=20", 20, "", false},
		{"skip to last page", "$format=json&$skip=400", 50, "", false},
		{"top across pages", "$format=json&$top=300", 200, "", true},
		{"skip past end", "$format=json&$skip=1000&$inlinecount=allpages", 0, "450", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			results, count, next := page("/DataService.svc/People?" + tt.query)
			if len(results) != tt.wantLen || count != tt.wantCount || (next != "") != tt.wantNext {
				t.Fatalf("len=%d count=%q next=%q", len(results), count, next)
			}
		})
	}
	// Following next links visits everyone exactly once.
	seen := map[string]bool{}
	path := "/DataService.svc/People?$format=json&$orderby=LastName,FirstName%20desc"
	for path != "" {
		results, _, next := page(path)
		for _, r := range results {
			seen[r.(map[string]any)["PersonGuid"].(string)] = true
		}
		path = strings.TrimPrefix(next, h.base)
	}
	if len(seen) != 450 {
		t.Fatalf("crawl saw %d people, want 450", len(seen))
	}
	// $top across pages stops at top.
	results, _, next := page("/DataService.svc/People?$format=json&$top=300")
	results2, _, next2 := page(strings.TrimPrefix(next, h.base))
	if len(results)+len(results2) != 300 || next2 != "" {
		t.Fatalf("$top=300 gave %d+%d next=%q", len(results), len(results2), next2)
	}
	// $orderby sorts.
	sorted, _, _ := page("/DataService.svc/People?$format=json&$orderby=StartDate%20desc&$top=50")
	prev := ""
	for _, r := range sorted {
		d := r.(map[string]any)["StartDate"].(string)
		if prev != "" && len(d) == len(prev) && d > prev {
			t.Fatalf("not sorted desc: %s after %s", d, prev)
		}
		prev = d
	}
}

func TestPeopleRefusesBadOptions(t *testing.T) {
	h := newHarness(t, Config{People: 10})
	at := h.signIn()["access_token"].(string)
	for _, bad := range []string{"$top=-1", "$skip=x", "$orderby=Salary", "$orderby=LastName%20sideways", "$inlinecount=some"} {
		if status, _ := h.get("/DataService.svc/People?$format=json&"+bad, at); status != 400 {
			t.Errorf("%s: got %d, want 400", bad, status)
		}
	}
}

func TestPeopleFollowUserRights(t *testing.T) {
	h := newHarness(t, Config{People: 300})
	q, _ := h.authorize(&Robot{Username: "uk.manager@sandbox.cezannehr.com", Password: DemoPassword}, h.authorizeURL(ClientDesktopOnDemand, nil))
	_, tok := h.token(h.codeForm(q.Get("code"), nil))
	_, body := h.get("/DataService.svc/People?$format=json&$inlinecount=allpages", tok["access_token"].(string))
	d := body["d"].(map[string]any)
	for _, r := range d["results"].([]any) {
		if c := r.(map[string]any)["CountryName"]; c != "United Kingdom" {
			t.Fatalf("UK manager sees someone in %v", c)
		}
	}
	if d["__count"] == "300" || d["__count"] == "0" {
		t.Fatalf("UK manager count %v", d["__count"])
	}
}

func TestReadOnlyTokenCannotWrite(t *testing.T) {
	h := newHarness(t, Config{})
	q, _ := h.authorize(&Robot{}, h.authorizeURL(ClientDesktopOnDemand, url.Values{"scope": {ScopeRead}}))
	_, tok := h.token(h.codeForm(q.Get("code"), nil))
	req, _ := http.NewRequest(http.MethodPost, h.base+"/DataService.svc/People", strings.NewReader("{}"))
	req.Header.Set("Authorization", "Bearer "+tok["access_token"].(string))
	if status, _ := doJSON(t, req); status != http.StatusForbidden {
		t.Fatalf("read-only write: %d", status)
	}
}

func TestMetadataDescribesPeople(t *testing.T) {
	h := newHarness(t, Config{})
	at := h.signIn()["access_token"].(string)
	_, b := h.getRaw("/DataService.svc/$metadata", at)
	for _, want := range []string{`EntitySet Name="People"`, `PropertyRef Name="PersonGuid"`, `Name="StartDate" Type="Edm.DateTime"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("$metadata lacks %s", want)
		}
	}
}

// BenchmarkPeoplePage is the server side of one page: rights, order (from
// the cached view) and JSON.
func BenchmarkPeoplePage(b *testing.B) {
	srv, _ := New(Config{People: 50000})
	h := srv.Handler()
	c, _ := srv.OAuthClient(ClientService)
	tok := srv.issueAccess(srv.users[c.ServiceAccount], c, c.Scopes, "")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := httptest.NewRequest(http.MethodGet, RootPath+"/DataService.svc/People?$format=json&$orderby=LastName&$skip=25000", nil)
		r.Header.Set("Authorization", "Bearer "+tok.value)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}
