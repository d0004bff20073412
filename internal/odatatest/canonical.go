package odatatest

import (
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Canonical writes a value as a server sent it (a string, json.Number,
// float64, bool or nil, as encoding/json decodes it) in one form per Edm
// type (the v4 type name; Properties gives it), so that a value from v2,
// v4 and the generated data compare equal exactly when they mean the same:
//
//   - Edm.Date: 2006-01-02 (v2 sends /Date(ms)/ at midnight UTC)
//   - Edm.TimeOfDay: 15:04:05 (v2 sends the duration PT15H04M05S)
//   - Edm.DateTimeOffset: UTC with milliseconds, TimestampLayout (v2 sends
//     /Date(ms+0000)/)
//   - Edm.Decimal, Edm.Int64: the exact decimal without trailing zeros
//     (v2 sends strings, v4 numbers)
//   - Edm.Double: Go's shortest form that reads back as the same float64
//   - Edm.Boolean: true or false; Edm.Guid in lower case
//
// It parses on its own, not with the data package, so that a test does not
// check the client's reading against itself. null is reported as null.
func Canonical(edmType string, v any) (s string, null bool, err error) {
	if v == nil {
		return "", true, nil
	}
	switch edmType {
	case "Edm.Boolean":
		b, ok := v.(bool)
		if !ok {
			return "", false, fmt.Errorf("%s %v is not a JSON boolean", edmType, v)
		}
		return strconv.FormatBool(b), false, nil
	case "Edm.Decimal", "Edm.Int64", "Edm.Double":
		s, err = canonicalNumber(edmType, v)
		return s, false, err
	}
	text, ok := v.(string)
	if !ok {
		return "", false, fmt.Errorf("%s %v (%T) is not a JSON string", edmType, v, v)
	}
	switch edmType {
	case "Edm.Date":
		s, err = canonicalDate(text)
	case "Edm.TimeOfDay":
		s, err = canonicalTime(text)
	case "Edm.DateTimeOffset":
		s, err = canonicalTimestamp(text)
	case "Edm.Guid":
		s = strings.ToLower(text)
	default:
		s = text
	}
	return s, false, err
}

func canonicalNumber(edmType string, v any) (string, error) {
	var text string
	switch x := v.(type) {
	case json.Number:
		text = x.String()
	case string:
		text = x
	case float64:
		text = strconv.FormatFloat(x, 'g', -1, 64)
	default:
		return "", fmt.Errorf("%s %v (%T) is neither a JSON number nor a string", edmType, v, v)
	}
	if edmType == "Edm.Double" {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return "", fmt.Errorf("%s %q: %w", edmType, text, err)
		}
		return strconv.FormatFloat(f, 'g', -1, 64), nil
	}
	r, ok := new(big.Rat).SetString(text)
	if !ok {
		return "", fmt.Errorf("%s %q is not a number", edmType, text)
	}
	return canonicalRat(r), nil
}

// canonicalRat writes a decimal exactly, without trailing zeros.
func canonicalRat(r *big.Rat) string {
	s := r.FloatString(30)
	if strings.Contains(s, ".") {
		s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		return "0"
	}
	return s
}

// msDate is the WCF JSON date, /Date(ms)/ or /Date(ms±offset)/.
var msDate = regexp.MustCompile(`^/Date\((-?\d+)([+-]\d{4})?\)/$`)

// instant reads /Date(ms±offset)/ (the offset, in minutes in OData v2, is
// the zone the instant was written in, not a shift of it, so it is not
// read) or an ISO 8601 date and time.
func instant(s string) (time.Time, error) {
	if m := msDate.FindStringSubmatch(s); m != nil {
		ms, err := strconv.ParseInt(m[1], 10, 64)
		if err != nil {
			return time.Time{}, err
		}
		return time.UnixMilli(ms).UTC(), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is neither /Date(ms)/ nor an ISO 8601 date", s)
}

func canonicalDate(s string) (string, error) {
	t, err := instant(s)
	if err != nil {
		return "", err
	}
	if !t.Equal(t.Truncate(24 * time.Hour)) {
		return "", fmt.Errorf("the date %q has a time of day", s)
	}
	return t.Format(time.DateOnly), nil
}

func canonicalTimestamp(s string) (string, error) {
	t, err := instant(s)
	if err != nil {
		return "", err
	}
	return t.Format(TimestampLayout), nil
}

// isoDuration is a v2 Edm.Time: PT14H, PT14H05M, PT14H05M30S, PT14H05M30.5S.
var isoDuration = regexp.MustCompile(`^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.\d+)?S)?$`)

func canonicalTime(s string) (string, error) {
	if m := isoDuration.FindStringSubmatch(s); m != nil && s != "PT" {
		var hms [3]int
		for i, part := range m[1:] {
			if part != "" {
				hms[i], _ = strconv.Atoi(part)
			}
		}
		return fmt.Sprintf("%02d:%02d:%02d", hms[0], hms[1], hms[2]), nil
	}
	for _, layout := range []string{"15:04:05.999999999", "15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.TimeOnly), nil
		}
	}
	return "", fmt.Errorf("%q is neither a time of day nor an ISO 8601 duration", s)
}
