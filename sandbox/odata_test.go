package sandbox

import (
	"io"
	"net/http"
	"net/url"
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
			f, err := parseFilter(tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if got := count(f); got != tt.want {
				t.Fatalf("%d people match, want %d", got, tt.want)
			}
		})
	}
	for _, bad := range []string{"LastName eq 'unterminated", "Salary gt 5", "LastName eq", "frobnicate(LastName)", "startswith(LastName)", "LastName eq 'a' extra", "LastName $ 3", "bogus'x'"} {
		if _, err := parseFilter(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

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
	if len(rows) == 0 || d["__count"] != itoa(len(rows)) {
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
