package data

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// One person must read the same whichever OData dialect the service speaks:
// v2 sends Edm.Decimal, Int64 and Double as JSON strings and dates as
// /Date(ms)/, v4 sends numbers and ISO 8601; v2's Edm.Time is "PT14H00M00S"
// where v4's Edm.TimeOfDay is "14:00:00.000". So a value is first read into
// what it means (value), from its declared Edm type, and only then written
// out: for people (table and details, FormatProperty) or for a spreadsheet
// (csvValue). Both writers see only the meaning, never the wire form.

// parseMSDate reads the WCF JSON date form /Date(ms)/ or /Date(ms±offset)/,
// by hand: the table formats its cells as they are drawn, and a regular
// expression here took a third of that time. The offset is in minutes, as OData v2
// (MS-ODATA) and WCF Data Services write it: "+0060" is one hour ahead of
// UTC. ms counts from the epoch in UTC.
func parseMSDate(s string) (time.Time, bool) {
	rest, ok := strings.CutPrefix(s, "/Date(")
	if ok {
		rest, ok = strings.CutSuffix(rest, ")/")
	}
	if !ok {
		return time.Time{}, false
	}
	end := digitsEnd(rest, min(1, len(rest))) // a leading '-' is the ms's own
	ms, err := strconv.ParseInt(rest[:end], 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	t := time.UnixMilli(ms).UTC()
	offset := rest[end:]
	if offset == "" {
		return t, true
	}
	if len(offset) < 2 || len(offset) > 5 || offset[0] != '+' && offset[0] != '-' || digitsEnd(offset, 1) != len(offset) {
		return time.Time{}, false
	}
	minutes, _ := strconv.Atoi(offset) // the sign is part of it
	return t.In(time.FixedZone("", minutes*60)), true
}

// digitsEnd is the index after the ASCII digits of s from i.
func digitsEnd(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// isoLayouts are the ISO 8601 forms OData sends: v4 and v3 DateTimeOffset
// (with a zone), v3 DateTime (without one), Edm.Date. A value without a zone
// is read as UTC, which is what v2 says of the same value as /Date(ms)/.
// Fractional seconds are accepted after the seconds by time.Parse itself.
var isoLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"}

// ParseDate reads an OData date: /Date(ms±offset)/ or ISO 8601. The time
// keeps the offset it was sent with.
func ParseDate(s string) (time.Time, bool) {
	if strings.HasPrefix(s, "/Date(") {
		return parseMSDate(s)
	}
	for _, layout := range isoLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// kind is what a value means, whatever form it travelled in.
type kind uint8

const (
	kindNull     kind = iota
	kindText          // shown as it is; the CSV formula guard applies
	kindBool          // b
	kindNumber        // text is the number in canonical form
	kindDate          // t's calendar day
	kindDateTime      // t, in the offset it was sent with
	kindTime          // d: a time of day (0 ≤ d < 24h) or a duration
	kindGUID          // text, in lower case
	kindBinary        // bin
	kindJSON          // text is the JSON of a nested value
)

// value is a property value read for its meaning.
type value struct {
	kind kind
	text string
	b    bool
	t    time.Time
	d    time.Duration
	bin  []byte
}

// readers read the values of each Edm type; ok is false when a value is not
// in any form that type travels in (it is then shown as the text it is).
var readers = map[string]func(v any, p Property) (value, bool){
	"Edm.String":         readString,
	"Edm.Boolean":        readBool,
	"Edm.Byte":           readNumber,
	"Edm.SByte":          readNumber,
	"Edm.Int16":          readNumber,
	"Edm.Int32":          readNumber,
	"Edm.Int64":          readNumber,
	"Edm.Decimal":        readNumber,
	"Edm.Double":         readNumber,
	"Edm.Single":         readNumber,
	"Edm.DateTime":       readDateTime,
	"Edm.DateTimeOffset": readDateTime,
	"Edm.Date":           readDate,
	"Edm.Time":           readTime,
	"Edm.TimeOfDay":      readTime,
	"Edm.Duration":       readTime,
	"Edm.Guid":           readGUID,
	"Edm.Binary":         readBinary,
}

// readValue reads a value of a property as the service sent it.
func readValue(v any, p Property) value {
	if v == nil {
		return value{kind: kindNull}
	}
	if read, ok := readers[p.Type]; ok {
		if out, ok := read(v, p); ok {
			return out
		}
	}
	return readUndeclared(v, p.Type != "")
}

// readUndeclared reads a value by its JSON type alone. A string is looked at
// for a date only when no type was declared: a declared Edm.String (or an
// enumeration member) that looks like a date is still text.
func readUndeclared(v any, declared bool) value {
	switch x := v.(type) {
	case string:
		if !declared {
			if t, ok := undeclaredDate(x); ok {
				return value{kind: kindDateTime, t: t}
			}
		}
		return value{kind: kindText, text: x}
	case bool:
		return value{kind: kindBool, b: x}
	case json.Number:
		// As it came; the decoder only makes numbers, but a Record built
		// elsewhere may hold anything, and text must not pass as a number.
		if _, _, _, _, ok := splitDecimal(x.String()); ok {
			return value{kind: kindNumber, text: x.String()}
		}
		return value{kind: kindText, text: x.String()}
	case float64:
		return value{kind: kindNumber, text: formatFloat(x, 64)}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return value{kind: kindText, text: fmt.Sprint(v)}
	}
	return value{kind: kindJSON, text: string(b)}
}

// undeclaredDate reads a string of no declared type as a date when it is in
// either of the forms OData sends dates in, rather than text that happens
// to parse as one.
func undeclaredDate(s string) (time.Time, bool) {
	if !strings.HasPrefix(s, "/Date(") && (len(s) < 10 || s[4] != '-' || s[7] != '-') {
		return time.Time{}, false
	}
	return ParseDate(s)
}

func readString(v any, _ Property) (value, bool) {
	s, ok := v.(string)
	return value{kind: kindText, text: s}, ok
}

// readBool takes a JSON boolean, or "true"/"false" as some v2 services send.
func readBool(v any, _ Property) (value, bool) {
	switch x := v.(type) {
	case bool:
		return value{kind: kindBool, b: x}, true
	case string:
		b, err := strconv.ParseBool(x)
		return value{kind: kindBool, b: b}, err == nil && (x == "true" || x == "false")
	}
	return value{}, false
}

// readNumber takes a number as a JSON number (v4) or a JSON string (v2 and
// v3 send Edm.Decimal, Int64 and Double so, and v4 with IEEE754Compatible)
// and writes it in one canonical form, so 5.50, "5.5" and "5.5E0" agree.
func readNumber(v any, p Property) (value, bool) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = x.String()
	case string:
		s = strings.TrimSpace(x)
	case float64:
		s = strconv.FormatFloat(x, 'g', -1, 64)
	default:
		return value{}, false
	}
	switch p.Type {
	case "Edm.Double", "Edm.Single":
		return readFloat(s, p.Type == "Edm.Single")
	case "Edm.Decimal":
		n, ok := canonicalDecimal(s, p.Scale)
		return value{kind: kindNumber, text: n}, ok
	}
	i, err := strconv.ParseInt(s, 10, 64)
	return value{kind: kindNumber, text: strconv.FormatInt(i, 10)}, err == nil
}

// readFloat reads an Edm.Double or Single. INF, -INF and NaN are text: no
// spreadsheet has such a number.
func readFloat(s string, single bool) (value, bool) {
	bits := 64
	if single {
		bits = 32
	}
	if s == "INF" || s == "-INF" || s == "NaN" {
		return value{kind: kindText, text: s}, true
	}
	f, err := strconv.ParseFloat(s, bits)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return value{}, false // "1e999", "Infinity": shown as sent
	}
	return value{kind: kindNumber, text: formatFloat(f, bits)}, true
}

// formatFloat writes a float as people and spreadsheets read it: plain
// digits, or an exponent when plain digits would run on (below 1e-7 or from
// 1e21, as JavaScript does). -0 is 0.
func formatFloat(f float64, bits int) string {
	if f == 0 {
		return "0"
	}
	if a := math.Abs(f); a >= 1e21 || a < 1e-7 {
		return strconv.FormatFloat(f, 'E', -1, bits)
	}
	return strconv.FormatFloat(f, 'f', -1, bits)
}

// splitDecimal reads an Edm.Decimal as JSON has it, [sign]digits[.digits]
// [e[sign]digits], into its parts (by hand, as parseMSDate).
func splitDecimal(s string) (neg bool, whole, frac string, exp int, ok bool) {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg, s = s[0] == '-', s[1:]
	}
	i := digitsEnd(s, 0)
	whole, s = s[:i], s[i:]
	if strings.HasPrefix(s, ".") {
		j := digitsEnd(s, 1)
		frac, s = s[1:j], s[j:]
	}
	if whole+frac == "" {
		return false, "", "", 0, false
	}
	if s != "" {
		e, err := strconv.Atoi(s[1:])
		if s[0] != 'e' && s[0] != 'E' || err != nil || e < -999 || e > 999 {
			return false, "", "", 0, false
		}
		exp = e
	}
	return neg, whole, frac, exp, true
}

// canonicalDecimal writes a decimal exactly (no float rounding: 0.1 stays
// 0.1 and 12345678901234567890.5 keeps every digit), without an exponent,
// with no trailing zeros after the point, or with the Scale the metadata
// declares ("2": 5.5 is 5.50) so a server's choice of form never shows.
func canonicalDecimal(s, scale string) (string, bool) {
	neg, whole, frac, exp, ok := splitDecimal(s)
	if !ok {
		return "", false
	}
	digits := whole + frac
	point := len(whole) + exp
	if point < 0 {
		digits = strings.Repeat("0", -point) + digits
		point = 0
	}
	if point > len(digits) {
		digits += strings.Repeat("0", point-len(digits))
	}
	whole = strings.TrimLeft(digits[:point], "0")
	if whole == "" {
		whole = "0"
	}
	frac = strings.TrimRight(digits[point:], "0")
	if n, err := strconv.Atoi(scale); err == nil && n <= 64 && len(frac) < n {
		frac += strings.Repeat("0", n-len(frac))
	}
	out := whole
	if frac != "" {
		out += "." + frac
	}
	if neg && strings.Trim(out, "0.") != "" {
		out = "-" + out
	}
	return out, true
}

func readDateTime(v any, _ Property) (value, bool) {
	s, ok := v.(string)
	if !ok {
		return value{}, false
	}
	t, ok := ParseDate(s)
	return value{kind: kindDateTime, t: t}, ok
}

func readDate(v any, _ Property) (value, bool) {
	s, ok := v.(string)
	if !ok {
		return value{}, false
	}
	t, ok := ParseDate(s)
	return value{kind: kindDate, t: t}, ok
}

// readTime reads Edm.Time (v2, v3: an ISO 8601 duration, "PT14H00M00S" or
// "PT14H"), Edm.TimeOfDay (v4: "14:00:00.000") and Edm.Duration (v4:
// "P1DT2H"), each in either form: servers and adapters mix them.
func readTime(v any, _ Property) (value, bool) {
	s, ok := v.(string)
	if !ok {
		return value{}, false
	}
	if d, ok := parseClock(s); ok {
		return value{kind: kindTime, d: d}, true
	}
	d, ok := parseDuration(s)
	return value{kind: kindTime, d: d}, ok
}

var clockSyntax = regexp.MustCompile(`^(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?$`)

// parseClock reads a time of day, hh:mm[:ss[.fffffffff]].
func parseClock(s string) (time.Duration, bool) {
	m := clockSyntax.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	h, _ := strconv.Atoi(m[1])
	mi, _ := strconv.Atoi(m[2])
	sec, _ := strconv.Atoi(m[3])
	if h > 23 || mi > 59 || sec > 59 {
		return 0, false
	}
	return time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute + time.Duration(sec)*time.Second + fractionNanos(m[4]), true
}

// durationSyntax is an ISO 8601 day-time duration, as OData sends Edm.Time
// and Edm.Duration: [-]P[nD][T[nH][nM][n[.f]S]].
var durationSyntax = regexp.MustCompile(`^(-?)P(?:(\d{1,6})D)?(?:T(?:(\d{1,7})H)?(?:(\d{1,9})M)?(?:(\d{1,10})(\.\d+)?S)?)?$`)

// parseDuration reads an ISO 8601 duration; the digit limits keep the sum
// far below time.Duration's 292 years.
func parseDuration(s string) (time.Duration, bool) {
	m := durationSyntax.FindStringSubmatch(s)
	if m == nil || strings.HasSuffix(s, "P") || strings.HasSuffix(s, "T") {
		return 0, false
	}
	var secs int64
	for i, unit := range []int64{86400, 3600, 60, 1} {
		n, _ := strconv.ParseInt(m[i+2], 10, 64)
		secs += n * unit
	}
	if secs > 9e9 {
		return 0, false
	}
	d := time.Duration(secs)*time.Second + fractionNanos(m[6])
	if m[1] == "-" {
		d = -d
	}
	return d, true
}

// fractionNanos reads ".123" as nanoseconds; digits past the ninth are cut.
func fractionNanos(f string) time.Duration {
	f = strings.TrimPrefix(f, ".")
	if f == "" {
		return 0
	}
	f = (f + "000000000")[:9]
	n, _ := strconv.Atoi(f)
	return time.Duration(n)
}

func readGUID(v any, _ Property) (value, bool) {
	s, ok := v.(string)
	return value{kind: kindGUID, text: strings.ToLower(s)}, ok
}

// readBinary takes base64 (v2, v3) or base64url (v4), padded or not.
func readBinary(v any, _ Property) (value, bool) {
	s, ok := v.(string)
	if !ok {
		return value{}, false
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return value{kind: kindBinary, bin: b}, true
		}
	}
	return value{}, false
}

// isDay says whether a date-time is a calendar day: midnight UTC, exactly.
// v2 and v3 services have no Edm.Date and send days as such date-times.
func isDay(t time.Time) bool {
	_, off := t.Zone()
	return off == 0 && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// display writes a value for people, in the table and the details alike.
func (v value) display(locale string) string {
	switch v.kind {
	case kindNull:
		return ""
	case kindBool:
		return yesNo(v.b)
	case kindDate:
		return FormatDate(v.t, locale)
	case kindDateTime:
		return displayDateTime(v.t, locale)
	case kindTime:
		return displayTime(v.d)
	case kindBinary:
		if s := base64.StdEncoding.EncodeToString(v.bin); len(s) <= 64 {
			return s
		}
		return fmt.Sprintf("Binary data (%d bytes)", len(v.bin))
	}
	return v.text
}

func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

// displayDateTime shows a day as a date in the person's locale, any other
// time with the time (seconds only when there are some), and the offset
// when it is not UTC: the wall-clock time as the service sent it, not
// moved to this computer's zone, so everyone reads the same.
func displayDateTime(t time.Time, locale string) string {
	if isDay(t) {
		return FormatDate(t, locale)
	}
	s := FormatDate(t, locale) + t.Format(" 15:04")
	if t.Second() != 0 {
		s += t.Format(":05")
	}
	if _, off := t.Zone(); off != 0 {
		s += t.Format(" UTC-07:00")
	}
	return s
}

// displayTime shows a time of day as 14:00 (14:00:05 with seconds), and a
// duration outside a day as days and hours, -00:30 or 1d 02:00.
func displayTime(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	s := fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
	if sec := int(d % time.Minute / time.Second); sec != 0 {
		s += fmt.Sprintf(":%02d", sec)
	}
	if days > 0 {
		s = fmt.Sprintf("%dd %s", days, s)
	}
	return sign + s
}

// csv writes a value for a spreadsheet: ISO 8601 dates and times with every
// digit of the seconds the service sent and the offset, numbers as numbers,
// booleans as Yes/No. Anything but a number (a number such as -5.5 must stay
// a number) that a spreadsheet would run as a formula gets a leading ' (CSV
// injection: a name like "=HYPERLINK(…)" must stay text; base64 may start
// with "+", a negative duration with "-").
func (v value) csv() string {
	s := v.text
	switch v.kind {
	case kindNull:
		return ""
	case kindNumber:
		return v.text
	case kindBool:
		s = yesNo(v.b)
	case kindDate:
		s = v.t.Format("2006-01-02")
	case kindDateTime:
		s = isoDateTime(v.t)
	case kindTime:
		s = isoTime(v.d)
	case kindBinary:
		s = base64.StdEncoding.EncodeToString(v.bin)
	}
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// isoDateTime is 2024-01-02T03:04:05.123+01:00 (Z for UTC), or the date
// alone for a day.
func isoDateTime(t time.Time) string {
	if isDay(t) {
		return t.Format("2006-01-02")
	}
	s := t.Format("2006-01-02T15:04:05") + fractionDigits(t.Nanosecond())
	if _, off := t.Zone(); off != 0 {
		return s + t.Format("-07:00")
	}
	return s + "Z"
}

// isoTime is a time of day as 14:00:00.5, and any other duration as an ISO
// 8601 duration, -PT30M or P1DT2H.
func isoTime(d time.Duration) string {
	if d >= 0 && d < 24*time.Hour {
		return fmt.Sprintf("%02d:%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)) + fractionDigits(int(d%time.Second))
	}
	var b strings.Builder
	if d < 0 {
		b.WriteByte('-')
		d = -d
	}
	b.WriteByte('P')
	if days := d / (24 * time.Hour); days > 0 {
		fmt.Fprintf(&b, "%dD", days)
		d -= days * 24 * time.Hour
	}
	if d > 0 {
		b.WriteByte('T')
	}
	if h := d / time.Hour; h > 0 {
		fmt.Fprintf(&b, "%dH", h)
	}
	if m := d % time.Hour / time.Minute; m > 0 {
		fmt.Fprintf(&b, "%dM", m)
	}
	if s, ns := int(d%time.Minute/time.Second), int(d%time.Second); s > 0 || ns > 0 {
		fmt.Fprintf(&b, "%d%sS", s, fractionDigits(ns))
	}
	return b.String()
}

// fractionDigits writes nanoseconds as .123, .123456 or .123456789: in
// whole groups of three, so milliseconds stay milliseconds (.120, not .12),
// and nothing for none.
func fractionDigits(ns int) string {
	switch {
	case ns == 0:
		return ""
	case ns%1_000_000 == 0:
		return fmt.Sprintf(".%03d", ns/1_000_000)
	case ns%1_000 == 0:
		return fmt.Sprintf(".%06d", ns/1_000)
	}
	return fmt.Sprintf(".%09d", ns)
}

// FormatValue renders a value whose type is not known, for people: dates as
// dates (with the time only when there is one), booleans as Yes/No, nulls as
// blank, anything else as it came.
func FormatValue(v any) string {
	return readValue(v, Property{}).display("en-GB")
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

// FormatProperty renders a value for people, from the property's declared
// type, the same whichever OData version sent it: dates in the person's
// locale (with the time when there is one), times of day as 14:00, numbers
// in one canonical form, booleans as Yes/No. The table and the details both
// show this text.
func FormatProperty(v any, p Property, locale string) string {
	return readValue(v, p).display(locale)
}
