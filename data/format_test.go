package data

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestFormatValue(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{"/Date(1104969600000)/", "6 Jan 2005"},
		// The offset is in minutes (OData v2): +0060 is an hour ahead of UTC.
		{"/Date(1104969600000+0060)/", "6 Jan 2005 01:00 UTC+01:00"},
		{"/Date(1104969600000-0330)/", "5 Jan 2005 18:30 UTC-05:30"},
		{"/Date(-86400000)/", "31 Dec 1969"},
		{"2024-03-01T00:00:00Z", "1 Mar 2024"},
		{"2024-03-01T09:30:00", "1 Mar 2024 09:30"},
		{"2024-03-01T09:30:15.250", "1 Mar 2024 09:30:15"},
		{"2024-03-01", "1 Mar 2024"},
		{"O'Brien", "O'Brien"},
		{true, "Yes"},
		{false, "No"},
		{nil, ""},
		{json.Number("0.80"), "0.80"},
		{2.5, "2.5"},
		{map[string]any{"a": 1.0}, `{"a":1}`},
	}
	for _, tt := range tests {
		if got := FormatValue(tt.in); got != tt.want {
			t.Errorf("FormatValue(%v) = %q, want %q", tt.in, got, tt.want)
		}
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

// TestFormatEveryEdmType: each Edm type in each form a service sends it,
// read for people and for a spreadsheet. A value in no form of its type is
// shown as it came, and guarded in CSV as the text it is.
func TestFormatEveryEdmType(t *testing.T) {
	for _, tc := range []struct {
		typ, scale string
		in         any
		shown, csv string
	}{
		{"Edm.Decimal", "", "-5.50", "-5.5", "-5.5"},
		{"Edm.Decimal", "", json.Number("-5.5"), "-5.5", "-5.5"},
		{"Edm.Decimal", "2", json.Number("-5.5"), "-5.50", "-5.50"},
		{"Edm.Decimal", "2", "1.005", "1.005", "1.005"},
		{"Edm.Decimal", "", "+0012.3400", "12.34", "12.34"},
		{"Edm.Decimal", "", "12345678901234567890.5", "12345678901234567890.5", "12345678901234567890.5"},
		{"Edm.Decimal", "", json.Number("1.5e3"), "1500", "1500"},
		{"Edm.Decimal", "", json.Number("-25E-3"), "-0.025", "-0.025"},
		{"Edm.Decimal", "", "-0.00", "0", "0"},
		{"Edm.Decimal", "", "12 pounds", "12 pounds", "12 pounds"},
		{"Edm.Decimal", "", ".5", "0.5", "0.5"},
		{"Edm.Decimal", "", "5.", "5", "5"},
		{"Edm.Decimal", "", "1.2.3", "1.2.3", "1.2.3"},
		{"Edm.Decimal", "", "-1e", "-1e", "'-1e"},
		{"Edm.Decimal", "", "-", "-", "'-"},
		{"Edm.Int64", "", "-9007199254740993", "-9007199254740993", "-9007199254740993"},
		{"Edm.Int64", "", json.Number("9007199254740993"), "9007199254740993", "9007199254740993"},
		{"Edm.Int32", "", json.Number("-42"), "-42", "-42"},
		{"Edm.Double", "", "1.5E+10", "15000000000", "15000000000"},
		{"Edm.Double", "", json.Number("-0.5"), "-0.5", "-0.5"},
		{"Edm.Double", "", json.Number("1e300"), "1E+300", "1E+300"},
		{"Edm.Double", "", "-INF", "-INF", "'-INF"},
		{"Edm.Double", "", "NaN", "NaN", "NaN"},
		{"Edm.Single", "", json.Number("0.1"), "0.1", "0.1"},
		{"Edm.Boolean", "", false, "No", "No"},
		{"Edm.Boolean", "", "true", "Yes", "Yes"},
		{"Edm.Guid", "", "5F0C6B1A-2D3E-4F50-8A9B-0C1D2E3F4A5B", "5f0c6b1a-2d3e-4f50-8a9b-0c1d2e3f4a5b", "5f0c6b1a-2d3e-4f50-8a9b-0c1d2e3f4a5b"},
		{"Edm.DateTime", "", "/Date(1704164645120)/", "2 Jan 2024 03:04:05", "2024-01-02T03:04:05.120Z"},
		{"Edm.DateTime", "", "2024-01-02T03:04:05.12", "2 Jan 2024 03:04:05", "2024-01-02T03:04:05.120Z"},
		{"Edm.DateTime", "", "2024-01-02T03:04:00", "2 Jan 2024 03:04", "2024-01-02T03:04:00Z"},
		{"Edm.DateTimeOffset", "", "/Date(1704161045123+0060)/", "2 Jan 2024 03:04:05 UTC+01:00", "2024-01-02T03:04:05.123+01:00"},
		{"Edm.DateTimeOffset", "", "2024-01-02T03:04:05.123+01:00", "2 Jan 2024 03:04:05 UTC+01:00", "2024-01-02T03:04:05.123+01:00"},
		{"Edm.DateTimeOffset", "", "2024-01-02T03:04:05.123456Z", "2 Jan 2024 03:04:05", "2024-01-02T03:04:05.123456Z"},
		{"Edm.DateTimeOffset", "", "2024-01-02T00:00:00+01:00", "2 Jan 2024 00:00 UTC+01:00", "2024-01-02T00:00:00+01:00"},
		{"Edm.DateTimeOffset", "", "2024-01-02T00:00:00Z", "2 Jan 2024", "2024-01-02"},
		{"Edm.Date", "", "2024-01-02", "2 Jan 2024", "2024-01-02"},
		{"Edm.Date", "", "/Date(1704153600000)/", "2 Jan 2024", "2024-01-02"},
		{"Edm.Time", "", "PT14H00M00S", "14:00", "14:00:00"},
		{"Edm.Time", "", "PT14H", "14:00", "14:00:00"},
		{"Edm.Time", "", "PT9H5M7.25S", "09:05:07", "09:05:07.250"},
		{"Edm.TimeOfDay", "", "14:00:00.000", "14:00", "14:00:00"},
		{"Edm.TimeOfDay", "", "09:05:07.250", "09:05:07", "09:05:07.250"},
		{"Edm.TimeOfDay", "", "14:00", "14:00", "14:00:00"},
		{"Edm.TimeOfDay", "", "25:00:00", "25:00:00", "25:00:00"},
		{"Edm.Duration", "", "PT30M", "00:30", "00:30:00"},
		{"Edm.Duration", "", "P1DT2H", "1d 02:00", "P1DT2H"},
		{"Edm.Duration", "", "-PT0.5S", "-00:00", "'-PT0.500S"},
		{"Edm.Duration", "", "-PT1H30M", "-01:30", "'-PT1H30M"},
		{"Edm.Duration", "", "P1Y", "P1Y", "P1Y"},
		{"Edm.Duration", "", "PT", "PT", "PT"},
		{"Edm.Binary", "", "+/8=", "+/8=", "'+/8="},
		{"Edm.Binary", "", "-_8", "+/8=", "'+/8="},
		{"Edm.Binary", "", strings.Repeat("AAAA", 17), "Binary data (51 bytes)", strings.Repeat("AAAA", 17)},
		{"Edm.String", "", "-5.5", "-5.5", "'-5.5"},
		{"Edm.String", "", "=1+2", "=1+2", "'=1+2"},
		{"Edm.String", "", "@SUM(A1)", "@SUM(A1)", "'@SUM(A1)"},
		{"Edm.String", "", "2024-01-02", "2024-01-02", "2024-01-02"},
		{"", "", "-5.5", "-5.5", "'-5.5"},
		{"", "", json.Number("-5.5"), "-5.5", "-5.5"},
		{"", "", "/Date(1704164645120)/", "2 Jan 2024 03:04:05", "2024-01-02T03:04:05.120Z"},
		{"Self.Colour", "", "-Red", "-Red", "'-Red"},
		{"Edm.Decimal", "", nil, "", ""},
	} {
		p := Property{Name: "P", Type: tc.typ, Scale: tc.scale}
		if got := FormatProperty(tc.in, p, "en-GB"); got != tc.shown {
			t.Errorf("%s %v shown as %q, want %q", tc.typ, tc.in, got, tc.shown)
		}
		if got := csvValue(tc.in, p); got != tc.csv {
			t.Errorf("%s %v in CSV as %q, want %q", tc.typ, tc.in, got, tc.csv)
		}
	}
}

func TestParseDateOffsets(t *testing.T) {
	for _, tc := range []struct {
		in     string
		utc    string
		offset int
	}{
		{"/Date(1704161045123)/", "2024-01-02T02:04:05.123Z", 0},
		{"/Date(1704161045123+0060)/", "2024-01-02T02:04:05.123Z", 3600},
		{"/Date(1704161045123+120)/", "2024-01-02T02:04:05.123Z", 7200},
		{"/Date(1704161045123-0330)/", "2024-01-02T02:04:05.123Z", -330 * 60},
		{"2024-01-02T03:04:05.123+01:00", "2024-01-02T02:04:05.123Z", 3600},
		{"2024-01-02T03:04Z", "2024-01-02T03:04:00Z", 0},
	} {
		got, ok := ParseDate(tc.in)
		_, off := got.Zone()
		if !ok || got.UTC().Format(time.RFC3339Nano) != tc.utc || off != tc.offset {
			t.Errorf("ParseDate(%q) = %v (offset %d), want %s at offset %d", tc.in, got, off, tc.utc, tc.offset)
		}
	}
	for _, bad := range []string{"/Date(abc)/", "/Date()/", "/Date(-)/", "/Date(1+)/", "/Date(1+00600)/", "/Date(1*0060)/", "/Date(1)", "Date(1)/"} {
		if got, ok := ParseDate(bad); ok {
			t.Errorf("ParseDate(%q) = %v, want not a date", bad, got)
		}
	}
}

// dialect is one OData version's $metadata and People page for the same
// person (testdata/dialects): v2 verbose JSON with /Date()/, numbers in
// strings and Edm.Time; v3 JSON light with zone-less dates and "PT14H"; v4
// with numbers as numbers, Edm.Date, TimeOfDay, Duration and base64url.
type dialect struct {
	name     string
	metadata []byte
	people   []byte
}

func dialects(t *testing.T) []dialect {
	t.Helper()
	var out []dialect
	for _, v := range []string{"v2", "v3", "v4"} {
		m, err := os.ReadFile(filepath.Join("testdata", "dialects", v+"-metadata.xml"))
		if err != nil {
			t.Fatal(err)
		}
		p, err := os.ReadFile(filepath.Join("testdata", "dialects", v+"-people.json"))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, dialect{v, m, p})
	}
	return out
}

// samePersonShown is how the person of testdata/dialects reads in the table
// and the details (en-GB), whichever dialect sent them.
var samePersonShown = [][2]string{
	{"PersonGuid", "5f0c6b1a-2d3e-4f50-8a9b-0c1d2e3f4a5b"},
	{"FormattedName", "Siobhán O'Brien"},
	{"Code", "-5.5"},
	{"Notes", `=HYPERLINK("http://x")`},
	{"Nickname", ""},
	{"Salary", "-5.50"},
	{"Adjustment", "-5.5"},
	{"EmployeeNumber", "-9007199254740993"},
	{"Score", "15000000000"},
	{"Ratio", "0.1"},
	{"Limit", "-INF"},
	{"Age", "42"},
	{"IsActive", "Yes"},
	{"StartDate", "2 Jan 2024"},
	{"LastLogin", "2 Jan 2024 03:04:05 UTC+01:00"},
	{"Created", "2 Jan 2024 03:04:05"},
	{"ShiftStart", "14:00"},
	{"BreakLength", "00:30"},
	{"Notice", "1d 02:00"},
	{"Badge", "+/8="},
	{"ManagerGuid", "0a0b0c0d-0000-4000-8000-000000000001"},
}

// TestSamePersonEveryDialect: the same record sent as v2, v3 and v4 JSON,
// read with each version's own $metadata, shows the same text for every
// property (the table and the details both show FormatProperty).
func TestSamePersonEveryDialect(t *testing.T) {
	for _, d := range dialects(t) {
		t.Run(d.name, func(t *testing.T) {
			m, err := ParseMetadata(strings.NewReader(string(d.metadata)))
			if err != nil {
				t.Fatal(err)
			}
			et, err := m.EntitySet(PeopleSet)
			if err != nil {
				t.Fatal(err)
			}
			page, err := decodePage(d.people)
			if err != nil || len(page.Rows) != 1 {
				t.Fatalf("page: %v, %+v", err, page)
			}
			if len(et.Properties) != len(samePersonShown) {
				t.Fatalf("%d properties, want %d", len(et.Properties), len(samePersonShown))
			}
			for i, p := range et.Properties {
				want := samePersonShown[i]
				if got := FormatProperty(page.Rows[0][p.Name], p, "en-GB"); p.Name != want[0] || got != want[1] {
					t.Errorf("%s (%s, sent as %#v) shows %q, want %s %q", p.Name, p.Type, page.Rows[0][p.Name], got, want[0], want[1])
				}
			}
		})
	}
}

// FuzzFormatProperty: no value of any type makes formatting fail, and a CSV
// cell starts with a character a spreadsheet runs as a formula only when it
// is a number.
func FuzzFormatProperty(f *testing.F) {
	for _, seed := range []string{"-5.5", "/Date(1704161045123+0060)/", "PT14H00M00S", "-PT1H", "14:00:00.000", "+/8=", "=1+2", "-INF", "1e999", "2024-01-02T03:04:05.123+01:00"} {
		f.Add(seed)
	}
	types := []string{""}
	for typ := range readers {
		types = append(types, typ)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, typ := range types {
			p := Property{Type: typ, Scale: "2"}
			for _, v := range []any{s, json.Number(s)} {
				_ = FormatProperty(v, p, "en-GB")
				if out := csvValue(v, p); out != "" && strings.ContainsRune("=+-@\t\r", rune(out[0])) {
					if _, err := strconv.ParseFloat(out, 64); err != nil {
						t.Fatalf("%s %#v: CSV cell %q would run as a formula", typ, v, out)
					}
				}
			}
		}
	})
}
