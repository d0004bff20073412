package sandbox

import (
	"encoding/json"
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

// In v4 mode the sandbox refuses what a strict OData 4 server refuses, with
// an OData 4 error body; v2 and v3 stay as lenient as WCF Data Services.
func TestStrictV4(t *testing.T) {
	guid := generatePeople(1)[0].PersonGUID
	tests := []struct {
		name    string
		version int
		path    string // after /DataService.svc
		header  [2]string
		status  int
		message string // part of the error's message
	}{
		{"'+' for a space in $orderby", ODataV4, "/People?$orderby=LastName+desc", [2]string{}, 400, "$orderby has a '+' at position 18"},
		{"'+' for a space in $filter", ODataV4, "/People?$top=1&$filter=LastName+eq+'Nowak'", [2]string{}, 400, "$filter has a '+'"},
		{"'+' inside a literal", ODataV4, "/People?$filter=contains(LastName,'a+b')", [2]string{}, 400, "%20"},
		{"'+' in $metadata's query", ODataV4, "/$metadata?$format=application/xml+x", [2]string{}, 400, "'+'"},
		{"'+' in the service document's query", ODataV4, "/?$format=json+x", [2]string{}, 400, "'+'"},
		{"%20 for a space", ODataV4, "/People?$orderby=LastName%20desc&$filter=LastName%20eq%20'Nowak'", [2]string{}, 200, ""},
		{"%2B for a plus sign", ODataV4, "/People?$filter=contains(LastName,'a%2Bb')", [2]string{}, 200, ""},
		{"v3 reads '+' as a space, as WCF does", ODataV3, "/People?$orderby=LastName+desc", [2]string{}, 200, ""},
		{"v2 reads '+' as a space, as WCF does", ODataV2, "/People?$orderby=LastName+desc&$filter=LastName+eq+'Nowak'", [2]string{}, 200, ""},
		{"an option twice", ODataV4, "/People?$top=5&$top=6", [2]string{}, 400, "$top is given 2 times"},
		{"an option twice in v2", ODataV2, "/People?$top=5&$top=6", [2]string{}, 200, ""},
		{"a name in the wrong case", ODataV4, "/People?$Top=5", [2]string{}, 400, "$Top is not an OData 4 system query option"},
		{"$inlinecount", ODataV4, "/People?$inlinecount=allpages", [2]string{}, 400, "use $count=true"},
		{"an option the sandbox does not implement", ODataV4, "/People?$expand=Manager", [2]string{}, 501, "$expand"},
		{"a custom option", ODataV4, "/People?sap-client=100", [2]string{}, 200, ""},
		{"bad percent-encoding", ODataV4, "/People?$filter=LastName%zz", [2]string{}, 400, "percent-encoding"},
		{"guid'…' in v4", ODataV4, "/People?$filter=PersonGuid%20eq%20guid'" + guid + "'", [2]string{}, 400, "OData 2/3 syntax"},
		{"a bare GUID in v4", ODataV4, "/People?$filter=PersonGuid%20eq%20" + guid, [2]string{}, 200, ""},
		{"guid'…' in v2", ODataV2, "/People?$filter=PersonGuid%20eq%20guid'" + guid + "'", [2]string{}, 200, ""},
		{"datetime'…' in v4", ODataV4, "/People?$filter=StartDate%20gt%20datetime'2020-01-01T00:00:00'", [2]string{}, 400, "datetime'2020-01-01T00:00:00' at position 14"},
		{"an offset written %2B", ODataV4, "/People?$filter=StartDate%20gt%202020-01-01T00:00:00%2B01:00", [2]string{}, 200, ""},
		{"0.8M in v4", ODataV4, "/People?$filter=FullTimeEquivalent%20ge%200.8M", [2]string{}, 400, "0.8M"},
		{"OData-MaxVersion 3.0", ODataV4, "/People", [2]string{"OData-MaxVersion", "3.0"}, 400, "OData 4.0 only"},
		{"OData-Version 3.0", ODataV4, "/$metadata", [2]string{"OData-Version", "3.0"}, 400, "OData 4.0 only"},
		{"OData-Version nonsense", ODataV4, "/People", [2]string{"OData-Version", "four"}, 400, "not a version"},
		{"OData-MaxVersion 4.01", ODataV4, "/People", [2]string{"OData-MaxVersion", "4.01"}, 200, ""},
		{"OData 4 headers", ODataV4, "/People", [2]string{"OData-Version", "4.0"}, 200, ""},
		{"v2 ignores OData 4's headers", ODataV2, "/People", [2]string{"OData-MaxVersion", "3.0"}, 200, ""},
	}
	type server struct {
		h     *harness
		token string
	}
	servers := map[int]server{}
	for _, v := range []int{ODataV2, ODataV3, ODataV4} {
		h := newHarness(t, Config{People: 50, ODataVersion: v})
		servers[v] = server{h, h.signIn()["access_token"].(string)}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := servers[tt.version]
			req := srv.h.getRequest("/DataService.svc"+tt.path, srv.token)
			req.Header.Set("Accept", "application/json")
			if tt.header[0] != "" {
				req.Header.Set(tt.header[0], tt.header[1])
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Fatalf("HTTP %d, want %d: %s", resp.StatusCode, tt.status, b)
			}
			if tt.status == 200 {
				return
			}
			// OData 4's error body: {"error":{"code":…,"message":"…"}}, and its version header.
			var body struct {
				Error struct {
					Code    *string `json:"code"`
					Message string  `json:"message"`
				} `json:"error"`
			}
			if json.Unmarshal(b, &body) != nil || body.Error.Code == nil || !strings.Contains(body.Error.Message, tt.message) || resp.Header.Get("OData-Version") != "4.0" {
				t.Fatalf("error body %s (OData-Version %q), want an OData 4 error saying %q", b, resp.Header.Get("OData-Version"), tt.message)
			}
		})
	}
}

// The sandbox's own next links are strict too: following them in v4 mode
// with a sort and a filter that have spaces visits everyone matching once.
func TestNextLinksHaveNoPlus(t *testing.T) {
	for _, version := range []int{ODataV2, ODataV3, ODataV4} {
		t.Run(strconv.Itoa(version), func(t *testing.T) {
			h := newHarness(t, Config{People: 300, PageSize: 40, ODataVersion: version})
			at := h.signIn()["access_token"].(string)
			path := "/DataService.svc/People?$format=json&$orderby=LastName%20desc,PersonGuid%20desc&$filter=IsActive%20eq%20true%20or%20IsActive%20eq%20false"
			seen, pages := map[string]bool{}, 0
			for path != "" {
				status, body := h.get(path, at)
				if status != 200 {
					t.Fatalf("page %d: HTTP %d %v", pages+1, status, body)
				}
				rows, next := pageOf(body)
				for _, r := range rows {
					seen[r.(map[string]any)["PersonGuid"].(string)] = true
				}
				if strings.Contains(next, "+") {
					t.Fatalf("next link %s has a '+'", next)
				}
				pages++
				path = strings.TrimPrefix(next, h.base)
			}
			if len(seen) != 300 || pages != 8 {
				t.Fatalf("%d people in %d pages, want 300 in 8", len(seen), pages)
			}
		})
	}
}

// pageOf is a page's rows and next link in any of the sandbox's dialects.
func pageOf(body map[string]any) ([]any, string) {
	if d, ok := body["d"].(map[string]any); ok {
		next, _ := d["__next"].(string)
		return d["results"].([]any), next
	}
	next, _ := body["@odata.nextLink"].(string)
	if v3, ok := body["odata.nextLink"].(string); ok {
		next = v3
	}
	return body["value"].([]any), next
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
