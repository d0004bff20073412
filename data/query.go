package data

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Query selects rows of an entity set. The zero value asks for the server's
// first page with every property.
type Query struct {
	Top     int // 0: the server's page size
	Skip    int
	OrderBy []Order
	Select  []string
	// Filter is an OData expression, built with the helpers below so that
	// literals are escaped and functions match the version.
	Filter string
	// Count asks for the total ($inlinecount=allpages, or $count=true in v4).
	Count bool
	// Version is the service's OData version. Zero writes the query in
	// V2's syntax, and its request then says it reads any version, as the
	// $metadata request does before the version is known.
	Version Version
}

// Order is one $orderby key.
type Order struct {
	Property string
	Desc     bool
}

func (q Query) version() Version {
	if q.Version == 0 {
		return V2
	}
	return q.Version
}

// Values renders the query's system options.
func (q Query) Values() url.Values {
	v := url.Values{"$format": {"json"}}
	if q.Top > 0 {
		v.Set("$top", strconv.Itoa(q.Top))
	}
	if q.Skip > 0 {
		v.Set("$skip", strconv.Itoa(q.Skip))
	}
	if len(q.OrderBy) > 0 {
		parts := make([]string, len(q.OrderBy))
		for i, o := range q.OrderBy {
			parts[i] = o.Property
			if o.Desc {
				parts[i] += " desc"
			}
		}
		v.Set("$orderby", strings.Join(parts, ","))
	}
	if len(q.Select) > 0 {
		v.Set("$select", strings.Join(q.Select, ","))
	}
	if q.Filter != "" {
		v.Set("$filter", q.Filter)
	}
	if q.Count {
		if q.version() == V4 {
			v.Set("$count", "true")
		} else {
			v.Set("$inlinecount", "allpages")
		}
	}
	return v
}

// encodeQuery writes query options as the OData URL conventions read them,
// for every version. A space is %20: the OData ABNF's whitespace is SP or
// %20, and a '+' is a plus sign, so a strict OData 4 server refuses
// "$orderby=LastName+desc" (WCF happens to read '+' as a space, which is why
// url.Values.Encode's '+' went unnoticed). Replacing every '+' that Encode
// writes is exact: Encode writes '+' only for a space and a real plus sign
// as %2B. System options keep a literal '$' ($format=json, not %24format),
// as services and their documentation write them; Encode writes a real '%'
// as %25, so "%24" only ever stands for '$'.
func encodeQuery(v url.Values) string {
	s := strings.ReplaceAll(v.Encode(), "+", "%20")
	return strings.ReplaceAll(s, "%24", "$")
}

// Literal renders a Go value as an OData literal of the given version:
// strings in single quotes, each quote inside written twice (so O'Brien
// cannot end the literal early), dates in the version's syntax.
func Literal(value any, v Version) string {
	switch x := value.(type) {
	case nil:
		return "null"
	case string:
		return "'" + strings.ReplaceAll(x, "'", "''") + "'"
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return "null"
		}
		s := strconv.FormatFloat(x, 'f', -1, 64)
		if v == V4 {
			return s
		}
		return s + "M"
	case time.Time:
		if v == V4 {
			return x.UTC().Format(time.RFC3339)
		}
		return "datetime'" + x.UTC().Format("2006-01-02T15:04:05") + "'"
	}
	return Literal(fmt.Sprint(value), v)
}

// Contains is a case-sensitive substring test with the version's function:
// substringof('needle', Prop) before v4, contains(Prop, 'needle') in v4.
func Contains(property, needle string, v Version) string {
	if v == V4 {
		return "contains(" + property + "," + Literal(needle, v) + ")"
	}
	return "substringof(" + Literal(needle, v) + "," + property + ")"
}

// ContainsFold is a case-insensitive substring test.
func ContainsFold(property, needle string, v Version) string {
	return Contains("tolower("+property+")", strings.ToLower(needle), v)
}

// And joins expressions, each in parentheses; empty ones are skipped.
func And(parts ...string) string { return join(" and ", parts) }

// Or joins expressions, each in parentheses; empty ones are skipped.
func Or(parts ...string) string { return join(" or ", parts) }

func join(op string, parts []string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, "("+p+")")
		}
	}
	if len(kept) == 1 {
		return strings.TrimSuffix(strings.TrimPrefix(kept[0], "("), ")")
	}
	return strings.Join(kept, op)
}

// Search is the search box: every word must appear, case-insensitively, in
// at least one of the properties.
func Search(properties []string, text string, v Version) string {
	var words []string
	for _, w := range strings.Fields(text) {
		var inSome []string
		for _, p := range properties {
			inSome = append(inSome, ContainsFold(p, w, v))
		}
		words = append(words, Or(inSome...))
	}
	return And(words...)
}
