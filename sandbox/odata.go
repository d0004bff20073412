package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// property describes one column of the People entity type, for $metadata,
// $filter, $orderby, $select and the JSON rows alike, so they can never
// disagree. raw returns string, float64, bool or time.Time.
type property struct {
	name     string
	edmType  string // as in EDMX v1–v3; v4 says Edm.DateTimeOffset for dates
	nullable bool
	raw      func(*Person) any
}

func strProp(name string, f func(*Person) string) property {
	return property{name: name, edmType: "Edm.String", nullable: true, raw: func(p *Person) any { return f(p) }}
}

func dateProp(name string, f func(*Person) time.Time) property {
	return property{name: name, edmType: "Edm.DateTime", nullable: true, raw: func(p *Person) any { return f(p) }}
}

var personProperties = []property{
	{name: "PersonGuid", edmType: "Edm.Guid", raw: func(p *Person) any { return p.PersonGUID }},
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
	{name: "FullTimeEquivalent", edmType: "Edm.Decimal", raw: func(p *Person) any { return p.FTE }},
	{name: "IsActive", edmType: "Edm.Boolean", raw: func(p *Person) any { return p.IsActive }},
	{name: "ManagerGuid", edmType: "Edm.Guid", nullable: true, raw: func(p *Person) any {
		if p.ManagerGUID == "" {
			return nil
		}
		return p.ManagerGUID
	}},
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

// Supported OData versions: the JSON dialect, headers, metadata and query
// options all follow the version the sandbox is set to.
const (
	ODataV2 = 2 // WCF Data Services verbose JSON
	ODataV3 = 3 // JSON light
	ODataV4 = 4
)

// ODataVersion is the protocol version the DataService speaks.
func (s *Server) ODataVersion() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.odataVersion
}

// SetODataVersion switches the DataService's dialect (2, 3 or 4).
func (s *Server) SetODataVersion(v int) error {
	if v < ODataV2 || v > ODataV4 {
		return fmt.Errorf("OData version must be 2, 3 or 4, not %d", v)
	}
	s.mu.Lock()
	s.odataVersion = v
	s.mu.Unlock()
	return nil
}

func versionHeader(w http.ResponseWriter, v int) {
	if v == ODataV4 {
		w.Header().Set("OData-Version", "4.0")
		return
	}
	w.Header().Set("DataServiceVersion", strconv.Itoa(v)+".0;")
}

// odataError writes an error body in the dialect of the current version.
func (s *Server) odataError(w http.ResponseWriter, status int, msg string) {
	v := s.ODataVersion()
	versionHeader(w, v)
	var body any
	switch v {
	case ODataV4:
		body = map[string]any{"error": map[string]any{"code": "", "message": msg}}
	case ODataV3:
		body = map[string]any{"odata.error": map[string]any{"code": "", "message": map[string]string{"lang": "en-US", "value": msg}}}
	default:
		body = map[string]any{"error": map[string]any{"code": "", "message": map[string]string{"lang": "en-US", "value": msg}}}
	}
	writeJSON(w, status, body)
}

// unauthorized is the APIs' 401, in the verbose form TokenInfo uses.
func unauthorized(w http.ResponseWriter, why string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="Cezanne OnDemand", error="invalid_token"`)
	writeJSON(w, http.StatusUnauthorized, map[string]any{"error": map[string]any{
		"code": "", "message": map[string]string{"lang": "en-US", "value": why},
	}})
}

// refuseNonStandard answers a request that a strict OData 4 service would
// refuse, in v4 mode, and says whether it did. v2 and v3 mode stay as
// lenient as WCF Data Services, which Cezanne runs: WCF reads a '+' as a
// space, for one.
func (s *Server) refuseNonStandard(w http.ResponseWriter, r *http.Request, version int) bool {
	if version != ODataV4 {
		return false
	}
	status, msg := strictV4(r)
	if status == 0 {
		return false
	}
	s.odataError(w, status, msg)
	return true
}

// strictV4 is what an OData 4 service that follows the URL conventions and
// the protocol to the letter refuses, as independent servers do (SAP CAP,
// Olingo), so that tests against the sandbox catch what only they would.
// It returns the status and message of the refusal, or 0.
func strictV4(r *http.Request) (int, string) {
	if msg := strictV4Headers(r.Header); msg != "" {
		return http.StatusBadRequest, msg
	}
	return strictV4Query(r.URL.RawQuery)
}

// strictV4Headers refuses a request that declares, or accepts at most, an
// OData version below 4.0 (Protocol 8.1.5, 8.2.7): the service cannot answer
// in it. Absent headers mean any version.
func strictV4Headers(h http.Header) string {
	for _, name := range []string{"OData-Version", "OData-MaxVersion"} {
		raw := h.Get(name)
		if raw == "" {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(raw, ";")), 64)
		if err != nil {
			return fmt.Sprintf("The %s header %q is not a version such as 4.0.", name, raw)
		}
		if v < 4 {
			return fmt.Sprintf("The %s header says %s, but this service speaks OData 4.0 only.", name, raw)
		}
	}
	return ""
}

// The system query options of OData 4.0: those the sandbox answers, and
// those it defines that the sandbox does not (501 Not Implemented, the
// protocol's answer to functionality a service does not implement).
var (
	strictV4Options      = []string{"$count", "$filter", "$format", "$orderby", "$select", "$skip", "$skiptoken", "$top"}
	strictV4OptionsNotIn = []string{"$apply", "$compute", "$deltatoken", "$expand", "$id", "$index", "$levels", "$schemaversion", "$search"}
)

// strictV4Query checks the raw query:
//   - a '+' is refused. The OData ABNF writes whitespace as SP or %20 and a
//     plus sign as '+' or %2B, so "$orderby=LastName+desc" names a property
//     "LastName+desc" and a strict server answers 400; a '+' inside a string
//     literal would be searched for as a plus sign. Either way a client
//     that writes spaces as '+' is wrong, so any '+' is a 400 here.
//   - percent-encoding that does not decode.
//   - a system query option given more than once, which the URL conventions
//     forbid; Go's url.Values.Get would quietly use the first.
//   - a $ option OData 4.0 does not define (400: its names are lower case,
//     so $Top is not $top, and $inlinecount is v2/v3's), or one it defines
//     that the sandbox does not answer (501).
func strictV4Query(raw string) (int, string) {
	if at := strings.IndexByte(raw, '+'); at >= 0 {
		return http.StatusBadRequest, plusMessage(raw, at)
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return http.StatusBadRequest, "The query string is not valid percent-encoding: " + err.Error()
	}
	for name, values := range q {
		switch {
		case !strings.HasPrefix(name, "$"):
			// A custom query option; the service ignores what it does not know.
		case len(values) > 1:
			return http.StatusBadRequest, fmt.Sprintf("The query option %s is given %d times; a system query option may be given once.", name, len(values))
		case slices.Contains(strictV4OptionsNotIn, name):
			return http.StatusNotImplemented, fmt.Sprintf("The query option %s is not supported by this service.", name)
		case name == "$inlinecount":
			return http.StatusBadRequest, "The query option $inlinecount is not part of OData 4; use $count=true."
		case !slices.Contains(strictV4Options, name):
			return http.StatusBadRequest, fmt.Sprintf("The query option %s is not an OData 4 system query option (their names are lower case).", name)
		}
	}
	return 0, ""
}

// plusMessage names the option whose raw text has a '+' at byte at, and
// the position, as strict servers do ("Parsing URL failed at position 80").
func plusMessage(raw string, at int) string {
	start := strings.LastIndexByte(raw[:at], '&') + 1
	name, _, _ := strings.Cut(raw[start:], "=")
	if n, err := url.PathUnescape(name); err == nil {
		name = n
	}
	return fmt.Sprintf("The query option %s has a '+' at position %d of the query. OData 4 reads '+' as a plus sign, not a space: write a space as %%20 and a plus sign as %%2B.", name, at+1)
}

func (s *Server) handleServiceDocument(w http.ResponseWriter, r *http.Request) {
	if t, why := s.bearer(r); t == nil {
		unauthorized(w, why)
		return
	}
	v := s.ODataVersion()
	if s.refuseNonStandard(w, r, v) {
		return
	}
	versionHeader(w, v)
	if v == ODataV2 {
		writeJSON(w, http.StatusOK, map[string]any{"d": map[string]any{"EntitySets": []string{"People"}}})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"value": []map[string]string{{"name": "People", "url": "People"}}})
}

func (s *Server) handleMetadata(w http.ResponseWriter, r *http.Request) {
	if t, why := s.bearer(r); t == nil {
		unauthorized(w, why)
		return
	}
	v := s.ODataVersion()
	if s.refuseNonStandard(w, r, v) {
		return
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8" standalone="yes"?>` + "\n")
	switch v {
	case ODataV4:
		b.WriteString(`<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="Cezanne.OnDemand" Alias="Self" xmlns="http://docs.oasis-open.org/odata/ns/edm">
`)
	case ODataV3:
		b.WriteString(`<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx">
  <edmx:DataServices xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" m:DataServiceVersion="3.0" m:MaxDataServiceVersion="3.0">
    <Schema Namespace="Cezanne.OnDemand" xmlns="http://schemas.microsoft.com/ado/2009/11/edm">
`)
	default:
		b.WriteString(`<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx">
  <edmx:DataServices xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" m:DataServiceVersion="2.0">
    <Schema Namespace="Cezanne.OnDemand" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">
`)
	}
	b.WriteString(`      <EntityType Name="Person">
        <Key><PropertyRef Name="PersonGuid" /></Key>
`)
	for _, p := range personProperties {
		typ := p.edmType
		if v == ODataV4 && typ == "Edm.DateTime" {
			typ = "Edm.DateTimeOffset"
		}
		fmt.Fprintf(&b, "        <Property Name=%q Type=%q Nullable=%q />\n", p.name, typ, strconv.FormatBool(p.nullable))
	}
	entityType := "Cezanne.OnDemand.Person"
	if v == ODataV4 {
		entityType = "Self.Person" // resolved through the schema's alias
	}
	fmt.Fprintf(&b, `      </EntityType>
      <EntityContainer Name="CezanneDataService"%s>
        <EntitySet Name="People" EntityType=%q />
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
`, map[bool]string{true: "", false: ` m:IsDefaultEntityContainer="true"`}[v == ODataV4], entityType)
	w.Header().Set("Content-Type", "application/xml;charset=utf-8")
	versionHeader(w, v)
	_, _ = w.Write([]byte(b.String()))
}

// peopleQuery is the parsed set of OData system query options we support.
type peopleQuery struct {
	skip, top   int
	hasTop      bool
	inlineCount bool
	orderBy     []orderKey
	filter      filterExpr
	selected    []*property
	cacheKey    string
}

type orderKey struct {
	prop *property
	desc bool
}

func parsePeopleQuery(q url.Values, version int) (*peopleQuery, error) {
	pq := &peopleQuery{}
	var err error
	if err = pq.parsePaging(q); err != nil {
		return nil, err
	}
	if pq.inlineCount, err = parseCountOption(q, version); err != nil {
		return nil, err
	}
	rawOrder := q.Get("$orderby")
	if pq.orderBy, err = parseOrderBy(rawOrder); err != nil {
		return nil, err
	}
	rawFilter := q.Get("$filter")
	if pq.filter, err = parseFilterOption(rawFilter, version); err != nil {
		return nil, err
	}
	if pq.selected, err = parseSelect(q.Get("$select")); err != nil {
		return nil, err
	}
	pq.cacheKey = rawOrder + "\x00" + rawFilter
	return pq, nil
}

// parsePaging reads $skip, $skiptoken (the offset the sandbox's next links
// carry) and $top.
func (pq *peopleQuery) parsePaging(q url.Values) error {
	for _, name := range []string{"$skip", "$skiptoken"} {
		if v := q.Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return fmt.Errorf("%s must be a non-negative integer, got %q", name, v)
			}
			pq.skip += n
		}
	}
	if v := q.Get("$top"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return fmt.Errorf("$top must be a non-negative integer, got %q", v)
		}
		pq.top, pq.hasTop = n, true
	}
	return nil
}

// parseCountOption reads the version's way of asking for the total:
// $count=true in v4, $inlinecount=allpages before.
func parseCountOption(q url.Values, version int) (bool, error) {
	if version == ODataV4 {
		// $inlinecount is refused before this, with the other options
		// OData 4 does not define (strictV4Options).
		v := q.Get("$count")
		if v != "" && v != "false" && v != "true" {
			return false, fmt.Errorf("$count must be true or false, got %q", v)
		}
		return v == "true", nil
	}
	switch v := q.Get("$inlinecount"); v {
	case "", "none":
		return false, nil
	case "allpages":
		return true, nil
	default:
		return false, fmt.Errorf("$inlinecount must be allpages or none, got %q", v)
	}
}

func parseOrderBy(raw string) ([]orderKey, error) {
	var keys []orderKey
	for _, part := range strings.Split(raw, ",") {
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
		keys = append(keys, k)
	}
	return keys, nil
}

// parseFilterOption compiles $filter. Each version has its own substring
// function; the other is refused, as real services do.
func parseFilterOption(raw string, version int) (filterExpr, error) {
	switch {
	case raw == "":
		return nil, nil
	case version == ODataV4 && strings.Contains(raw, "substringof("):
		return nil, fmt.Errorf("$filter: substringof is not an OData 4 function; use contains")
	case version != ODataV4 && strings.Contains(raw, "contains("):
		return nil, fmt.Errorf("$filter: contains is not supported before OData 4; use substringof")
	}
	return parseFilter(raw, version)
}

// parseSelect reads $select; nil means every property.
func parseSelect(raw string) ([]*property, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" || raw == "*" {
		return nil, nil
	}
	var props []*property
	for _, name := range strings.Split(raw, ",") {
		p := findProperty(strings.TrimSpace(name))
		if p == nil {
			return nil, fmt.Errorf("$select: no property %q on Person", strings.TrimSpace(name))
		}
		props = append(props, p)
	}
	return props, nil
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
	version := s.ODataVersion()
	if s.refuseNonStandard(w, r, version) {
		return
	}
	if !wantsJSON(r) {
		s.odataError(w, http.StatusNotAcceptable, "The sandbox serves JSON only: add $format=json or Accept: application/json.")
		return
	}
	pq, err := parsePeopleQuery(r.URL.Query(), version)
	if err != nil {
		s.odataError(w, http.StatusBadRequest, err.Error())
		return
	}
	rows := s.visiblePeople(t.user, pq)
	start, pageEnd, end := pq.bounds(len(rows), s.cfg.PageSize)
	env := envelope{version: version, base: "http://" + r.Host + RootPath + "/DataService.svc", count: -1}
	if pq.inlineCount {
		env.count = len(rows)
	}
	if pageEnd < end {
		env.next = nextLink(r, pageEnd, pq, end-pageEnd)
	}
	props := pq.properties()
	var buf bytes.Buffer
	buf.Grow((pageEnd - start) * 700)
	env.open(&buf)
	for i, p := range rows[start:pageEnd] {
		if i > 0 {
			buf.WriteByte(',')
		}
		writePerson(&buf, p, props, version, env.base)
	}
	env.close(&buf)
	versionHeader(w, version)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(buf.Bytes())
}

// bounds is the page to send of total rows: rows start to pageEnd, of the
// start to end that $skip and $top ask for.
func (pq *peopleQuery) bounds(total, pageSize int) (start, pageEnd, end int) {
	end = total
	if pq.hasTop {
		end = min(total, pq.skip+pq.top)
	}
	start = min(pq.skip, total)
	return start, min(end, start+pageSize), end
}

// properties are the columns to send: $select's, or all.
func (pq *peopleQuery) properties() []property {
	if pq.selected == nil {
		return personProperties
	}
	props := make([]property, 0, len(pq.selected))
	for _, p := range pq.selected {
		props = append(props, *p)
	}
	return props
}

// envelope is what surrounds an entity set's rows in the version's JSON:
// the context, the total (count, -1 when not asked for) and the next link.
type envelope struct {
	version int
	base    string
	count   int
	next    string
}

func (e envelope) open(buf *bytes.Buffer) {
	switch e.version {
	case ODataV2:
		buf.WriteString(`{"d":{"results":[`)
		return
	case ODataV3:
		buf.WriteString(`{"odata.metadata":` + jsonString(e.base+"/$metadata#People"))
		if e.count >= 0 {
			buf.WriteString(`,"odata.count":"` + strconv.Itoa(e.count) + `"`)
		}
	default:
		buf.WriteString(`{"@odata.context":` + jsonString(e.base+"/$metadata#People"))
		if e.count >= 0 {
			buf.WriteString(`,"@odata.count":` + strconv.Itoa(e.count))
		}
	}
	buf.WriteString(`,"value":[`)
}

func (e envelope) close(buf *bytes.Buffer) {
	buf.WriteByte(']')
	switch e.version {
	case ODataV2:
		if e.count >= 0 {
			buf.WriteString(`,"__count":"` + strconv.Itoa(e.count) + `"`)
		}
		if e.next != "" {
			buf.WriteString(`,"__next":` + jsonString(e.next))
		}
		buf.WriteString("}}")
		return
	case ODataV3:
		if e.next != "" {
			buf.WriteString(`,"odata.nextLink":` + jsonString(e.next))
		}
	default:
		if e.next != "" {
			buf.WriteString(`,"@odata.nextLink":` + jsonString(e.next))
		}
	}
	buf.WriteByte('}')
}

// writePerson writes one entity in the version's JSON form.
func writePerson(b *bytes.Buffer, p *Person, props []property, version int, base string) {
	b.WriteByte('{')
	if version == ODataV2 {
		b.WriteString(`"__metadata":{"uri":` + jsonString(base+"/People(guid'"+p.PersonGUID+"')") + `,"type":"Cezanne.OnDemand.Person"},`)
	}
	for i := range props {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(jsonString(props[i].name))
		b.WriteByte(':')
		switch v := props[i].raw(p).(type) {
		case nil:
			b.WriteString("null")
		case string:
			b.WriteString(jsonString(v))
		case bool:
			b.WriteString(strconv.FormatBool(v))
		case float64:
			// Edm.Decimal is a string in the v2/v3 JSON formats, a number in v4.
			if version == ODataV4 {
				b.WriteString(strconv.FormatFloat(v, 'f', 2, 64))
			} else {
				b.WriteString(`"` + strconv.FormatFloat(v, 'f', 2, 64) + `"`)
			}
		case time.Time:
			switch version {
			case ODataV2:
				b.WriteString(`"\/Date(` + strconv.FormatInt(v.UnixMilli(), 10) + `)\/"`)
			case ODataV3:
				b.WriteString(`"` + v.UTC().Format("2006-01-02T15:04:05") + `"`)
			default:
				b.WriteString(`"` + v.UTC().Format(time.RFC3339) + `"`)
			}
		}
	}
	b.WriteByte('}')
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
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
	// A space is %20, never '+': in OData 4 a '+' is a plus sign, and the
	// sandbox's own v4 mode refuses it (Encode writes '+' only for a space).
	return "http://" + r.Host + r.URL.Path + "?" + strings.ReplaceAll(q.Encode(), "+", "%20")
}

// visiblePeople applies the user's rights, the filter and the order. Results
// are cached per user and query: paging through a large set must not sort
// it again for every page.
func (s *Server) visiblePeople(u *User, pq *peopleQuery) []*Person {
	key := u.Username + "\x00" + pq.cacheKey
	s.viewMu.Lock()
	if rows, ok := s.views[key]; ok {
		s.viewMu.Unlock()
		return rows
	}
	s.viewMu.Unlock()
	rows := make([]*Person, 0, len(s.people))
	for i := range s.people {
		p := &s.people[i]
		if u.canSee(p.CountryName) && (pq.filter == nil || truthy(pq.filter(p))) {
			rows = append(rows, p)
		}
	}
	if len(pq.orderBy) > 0 {
		slices.SortStableFunc(rows, func(a, b *Person) int {
			for _, k := range pq.orderBy {
				c, _ := compareValues(k.prop.raw(a), k.prop.raw(b))
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
	s.viewMu.Lock()
	if len(s.views) >= maxCachedViews {
		clear(s.views)
	}
	s.views[key] = rows
	s.viewMu.Unlock()
	return rows
}

// maxCachedViews bounds the sorted views kept (each is one slice of pointers).
const maxCachedViews = 32

// handlePeopleWrite answers writes. A token without APIWrite is refused, as
// Cezanne refuses writes with read-only grants; the sandbox's People set
// itself is read-only.
func (s *Server) handlePeopleWrite(w http.ResponseWriter, r *http.Request) {
	t, why := s.bearer(r)
	if t == nil {
		unauthorized(w, why)
		return
	}
	if !slices.Contains(t.scopes, ScopeWrite) {
		s.odataError(w, http.StatusForbidden, "The access token was granted read-only access (APIRead); writing needs APIWrite.")
		return
	}
	w.Header().Set("Allow", "GET")
	s.odataError(w, http.StatusMethodNotAllowed, "The request cannot be used for this record.")
}
