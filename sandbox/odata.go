package sandbox

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// property describes one column of the People entity type, for $metadata,
// $orderby and the JSON rows alike, so the three can never disagree.
type property struct {
	name     string
	edmType  string
	nullable bool
	value    func(*Person) any
	compare  func(a, b *Person) int
}

func strProp(name string, f func(*Person) string) property {
	return property{name: name, edmType: "Edm.String", nullable: true,
		value:   func(p *Person) any { return f(p) },
		compare: func(a, b *Person) int { return strings.Compare(f(a), f(b)) }}
}

func dateProp(name string, f func(*Person) time.Time) property {
	return property{name: name, edmType: "Edm.DateTime", nullable: true,
		value:   func(p *Person) any { return fmt.Sprintf("/Date(%d)/", f(p).UnixMilli()) },
		compare: func(a, b *Person) int { return f(a).Compare(f(b)) }}
}

var personProperties = []property{
	strProp("PersonGuid", func(p *Person) string { return p.PersonGuid }),
	strProp("PersonCode", func(p *Person) string { return p.PersonCode }),
	strProp("Title", func(p *Person) string { return p.Title }),
	strProp("FirstName", func(p *Person) string { return p.FirstName }),
	strProp("LastName", func(p *Person) string { return p.LastName }),
	strProp("KnownAs", func(p *Person) string { return p.KnownAs }),
	strProp("FormattedName", func(p *Person) string { return p.FormattedName }),
	strProp("EmailAddress", func(p *Person) string { return p.EmailAddress }),
	strProp("JobTitle", func(p *Person) string { return p.JobTitle }),
	strProp("Department", func(p *Person) string { return p.Department }),
	strProp("Location", func(p *Person) string { return p.Location }),
	strProp("CountryName", func(p *Person) string { return p.CountryName }),
	dateProp("StartDate", func(p *Person) time.Time { return p.StartDate }),
	dateProp("DateOfBirth", func(p *Person) time.Time { return p.DateOfBirth }),
	{name: "FullTimeEquivalent", edmType: "Edm.Decimal",
		value:   func(p *Person) any { return strconv.FormatFloat(p.FTE, 'f', 2, 64) },
		compare: func(a, b *Person) int { return cmpFloat(a.FTE, b.FTE) }},
	{name: "IsActive", edmType: "Edm.Boolean",
		value:   func(p *Person) any { return p.IsActive },
		compare: func(a, b *Person) int { return cmpBool(a.IsActive, b.IsActive) }},
	strProp("ManagerGuid", func(p *Person) string { return p.ManagerGuid }),
}

func findProperty(name string) *property {
	for i := range personProperties {
		if personProperties[i].name == name {
			return &personProperties[i]
		}
	}
	return nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// odataError is the verbose JSON error body of WCF Data Services.
func odataError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("DataServiceVersion", "1.0;")
	writeJSON(w, status, map[string]any{"error": map[string]any{
		"code": "", "message": map[string]string{"lang": "en-US", "value": msg},
	}})
}

func unauthorized(w http.ResponseWriter, why string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="Cezanne OnDemand", error="invalid_token"`)
	odataError(w, http.StatusUnauthorized, why)
}

func (s *Server) handleServiceDocument(w http.ResponseWriter, r *http.Request) {
	if t, why := s.bearer(r); t == nil {
		unauthorized(w, why)
		return
	}
	w.Header().Set("DataServiceVersion", "1.0;")
	writeJSON(w, http.StatusOK, map[string]any{"d": map[string]any{"EntitySets": []string{"People"}}})
}

func (s *Server) handleMetadata(w http.ResponseWriter, r *http.Request) {
	if t, why := s.bearer(r); t == nil {
		unauthorized(w, why)
		return
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx">
  <edmx:DataServices xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" m:DataServiceVersion="2.0">
    <Schema Namespace="Cezanne.OnDemand" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">
      <EntityType Name="Person">
        <Key><PropertyRef Name="PersonGuid" /></Key>
`)
	for _, p := range personProperties {
		fmt.Fprintf(&b, "        <Property Name=%q Type=%q Nullable=%q />\n", p.name, p.edmType, strconv.FormatBool(p.nullable && p.name != "PersonGuid"))
	}
	b.WriteString(`      </EntityType>
      <EntityContainer Name="CezanneDataService" m:IsDefaultEntityContainer="true">
        <EntitySet Name="People" EntityType="Cezanne.OnDemand.Person" />
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
`)
	w.Header().Set("Content-Type", "application/xml;charset=utf-8")
	w.Header().Set("DataServiceVersion", "1.0;")
	_, _ = w.Write([]byte(b.String()))
}

// peopleQuery is the parsed set of OData system query options we support.
type peopleQuery struct {
	skip, top   int
	hasTop      bool
	inlineCount bool
	orderBy     []orderKey
	rawOrderBy  string
}

type orderKey struct {
	prop *property
	desc bool
}

func parsePeopleQuery(q url.Values) (*peopleQuery, error) {
	pq := &peopleQuery{}
	for _, name := range []string{"$skip", "$skiptoken"} {
		if v := q.Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return nil, fmt.Errorf("%s must be a non-negative integer, got %q", name, v)
			}
			pq.skip += n
		}
	}
	if v := q.Get("$top"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("$top must be a non-negative integer, got %q", v)
		}
		pq.top, pq.hasTop = n, true
	}
	switch v := q.Get("$inlinecount"); v {
	case "", "none":
	case "allpages":
		pq.inlineCount = true
	default:
		return nil, fmt.Errorf("$inlinecount must be allpages or none, got %q", v)
	}
	pq.rawOrderBy = q.Get("$orderby")
	for _, part := range strings.Split(pq.rawOrderBy, ",") {
		fields := strings.Fields(part)
		if len(fields) == 0 {
			continue
		}
		p := findProperty(fields[0])
		if p == nil || len(fields) > 2 {
			return nil, fmt.Errorf("cannot order by %q: no such property of Person", strings.TrimSpace(part))
		}
		k := orderKey{prop: p}
		if len(fields) == 2 {
			switch strings.ToLower(fields[1]) {
			case "asc":
			case "desc":
				k.desc = true
			default:
				return nil, fmt.Errorf("order direction must be asc or desc, got %q", fields[1])
			}
		}
		pq.orderBy = append(pq.orderBy, k)
	}
	return pq, nil
}

func wantsJSON(r *http.Request) bool {
	if f := r.URL.Query().Get("$format"); f != "" {
		return f == "json" || strings.HasPrefix(f, "application/json")
	}
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

func (s *Server) handlePeople(w http.ResponseWriter, r *http.Request) {
	t, why := s.bearer(r)
	if t == nil {
		unauthorized(w, why)
		return
	}
	if !wantsJSON(r) {
		odataError(w, http.StatusNotAcceptable, "The sandbox serves JSON only: add $format=json or Accept: application/json.")
		return
	}
	pq, err := parsePeopleQuery(r.URL.Query())
	if err != nil {
		odataError(w, http.StatusBadRequest, err.Error())
		return
	}
	rows := s.visiblePeople(t.user, pq.orderBy)
	total := len(rows)
	end := total
	if pq.hasTop {
		end = min(total, pq.skip+pq.top)
	}
	start := min(pq.skip, total)
	pageEnd := min(end, start+s.cfg.PageSize)

	results := make([]map[string]any, 0, pageEnd-start)
	for _, p := range rows[start:pageEnd] {
		results = append(results, s.personJSON(r, p))
	}
	d := map[string]any{"results": results}
	if pq.inlineCount {
		d["__count"] = strconv.Itoa(total)
	}
	if pageEnd < end {
		d["__next"] = nextLink(r, pageEnd, pq, end-pageEnd)
	}
	w.Header().Set("DataServiceVersion", "2.0;")
	writeJSON(w, http.StatusOK, map[string]any{"d": d})
}

// nextLink is the server-driven paging link; clients must treat it as opaque.
func nextLink(r *http.Request, offset int, pq *peopleQuery, remaining int) string {
	q := url.Values{}
	for k, v := range r.URL.Query() {
		if k != "$skip" && k != "$skiptoken" && k != "$top" && k != "access_token" {
			q[k] = v
		}
	}
	q.Set("$skiptoken", strconv.Itoa(offset))
	if pq.hasTop {
		q.Set("$top", strconv.Itoa(remaining))
	}
	return "http://" + r.Host + r.URL.Path + "?" + q.Encode()
}

// visiblePeople applies the user's rights and the requested order. The order
// always ends with the key so paging is stable.
func (s *Server) visiblePeople(u *User, order []orderKey) []*Person {
	rows := make([]*Person, 0, len(s.people))
	for i := range s.people {
		if u.canSee(s.people[i].CountryName) {
			rows = append(rows, &s.people[i])
		}
	}
	if len(order) > 0 {
		slices.SortStableFunc(rows, func(a, b *Person) int {
			for _, k := range order {
				c := k.prop.compare(a, b)
				if k.desc {
					c = -c
				}
				if c != 0 {
					return c
				}
			}
			return 0
		})
	}
	return rows
}

func (s *Server) personJSON(r *http.Request, p *Person) map[string]any {
	m := make(map[string]any, len(personProperties)+1)
	m["__metadata"] = map[string]string{
		"uri":  "http://" + r.Host + RootPath + "/DataService.svc/People(guid'" + p.PersonGuid + "')",
		"type": "Cezanne.OnDemand.Person",
	}
	for i := range personProperties {
		m[personProperties[i].name] = personProperties[i].value(p)
	}
	return m
}

// handlePeopleWrite answers writes. A token without APIWrite is refused, as
// Cezanne refuses writes with read-only grants; the sandbox's People set
// itself is read-only.
func (s *Server) handlePeopleWrite(w http.ResponseWriter, r *http.Request) {
	t, why := s.bearer(r)
	if t == nil {
		unauthorized(w, why)
		return
	}
	if !contains(t.scopes, ScopeWrite) {
		odataError(w, http.StatusForbidden, "The access token was granted read-only access (APIRead); writing needs APIWrite.")
		return
	}
	w.Header().Set("Allow", "GET")
	odataError(w, http.StatusMethodNotAllowed, "The request cannot be used for this record.")
}
