package data

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// msDate matches the WCF JSON date form /Date(ms)/ or /Date(ms+hhmm)/.
var msDate = regexp.MustCompile(`^/Date\((-?\d+)([+-]\d{4})?\)/$`)

// ParseDate reads an OData date: /Date(ms±offset)/ or ISO 8601.
func ParseDate(s string) (time.Time, bool) {
	if m := msDate.FindStringSubmatch(s); m != nil {
		ms, err := strconv.ParseInt(m[1], 10, 64)
		if err != nil {
			return time.Time{}, false
		}
		t := time.UnixMilli(ms).UTC()
		if m[2] != "" {
			h, _ := strconv.Atoi(m[2][1:3])
			mi, _ := strconv.Atoi(m[2][3:5])
			off := (h*60 + mi) * 60
			if m[2][0] == '-' {
				off = -off
			}
			t = t.In(time.FixedZone("", off))
		}
		return t, true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// FormatValue renders a property value for people: dates as dates (with the
// time only when there is one), booleans as Yes/No, nulls as blank.
func FormatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return "Yes"
		}
		return "No"
	case string:
		return formatText(x)
	case json.Number:
		return x.String()
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	default:
		b, err := json.Marshal(x)
		if err != nil {
			return fmt.Sprint(x)
		}
		return string(b)
	}
}

// formatText shows a string that is a date (in either of the forms OData
// sends) as a date, and any other string as it is.
func formatText(s string) string {
	t, ok := ParseDate(s)
	if !ok || !strings.HasPrefix(s, "/Date(") && (len(s) < 10 || s[4] != '-' || s[7] != '-') {
		return s
	}
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format("2 Jan 2006")
	}
	return t.Format("2 Jan 2006 15:04")
}

// PreferredColumns are shown first, in this order, when the People entity
// has them: names, email, job, department, location, start date.
var PreferredColumns = []string{
	"FormattedName", "EmailAddress", "JobTitle", "Department", "Location", "CountryName", "StartDate",
}

// DefaultColumns picks the columns to show first, the PreferredColumns the
// rows have (or, failing those, their plain properties in name order), at
// most limit of them.
func DefaultColumns(rows []Record, limit int) []string {
	if len(rows) == 0 {
		return nil
	}
	var cols []string
	for _, c := range PreferredColumns {
		if _, ok := rows[0][c]; ok {
			cols = append(cols, c)
		}
	}
	if len(cols) == 0 {
		keys := make([]string, 0, len(rows[0]))
		for k, v := range rows[0] {
			if _, nested := v.(map[string]any); !nested {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		cols = keys
	}
	if len(cols) > limit {
		cols = cols[:limit]
	}
	return cols
}

// ColumnTitle turns a property name into a heading: "CountryName" → "Country name".
func ColumnTitle(name string) string {
	switch name {
	case "FormattedName":
		return "Name"
	case "EmailAddress":
		return "Email"
	case "CountryName":
		return "Country"
	case "Guid":
		return "GUID"
	}
	if base, ok := strings.CutSuffix(name, "Guid"); ok {
		return ColumnTitle(base) + " GUID" // an abbreviation, in capitals
	}
	var b strings.Builder
	for i, r := range name {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte(' ')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// FormatDate renders a date the way people of a locale write it, e.g.
// en-GB "2 Jan 2006", en-US "Jan 2, 2006", de-DE "02.01.2006".
func FormatDate(t time.Time, locale string) string {
	lang, region, _ := strings.Cut(strings.ReplaceAll(locale, "_", "-"), "-")
	switch strings.ToLower(lang) {
	case "en":
		if strings.EqualFold(region, "US") {
			return t.Format("Jan 2, 2006")
		}
		return t.Format("2 Jan 2006")
	case "de", "pl", "ru", "cs", "fi", "nb", "da":
		return t.Format("02.01.2006")
	case "fr", "it", "es", "pt", "nl":
		return t.Format("02/01/2006")
	case "ja", "zh", "ko", "hu":
		return t.Format("2006/01/02")
	}
	return t.Format("2006-01-02")
}

// FormatProperty renders a value for people, using the property's declared
// type: dates in the person's locale (with the time when there is one),
// booleans as Yes/No.
func FormatProperty(v any, p Property, locale string) string {
	if s, ok := v.(string); ok && isDateType(p.Type) {
		if t, ok := ParseDate(s); ok {
			if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
				return FormatDate(t, locale)
			}
			return FormatDate(t, locale) + t.Format(" 15:04")
		}
	}
	if s, ok := v.(string); ok && p.Type != "" {
		return s // declared not a date: show it as it is
	}
	return FormatValue(v)
}
