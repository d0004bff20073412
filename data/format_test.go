package data

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestFormatValue(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{"/Date(1104969600000)/", "6 Jan 2005"},
		{"/Date(1104969600000+0100)/", "6 Jan 2005 01:00"},
		{"/Date(-86400000)/", "31 Dec 1969"},
		{"2024-03-01T00:00:00Z", "1 Mar 2024"},
		{"2024-03-01T09:30:00", "1 Mar 2024 09:30"},
		{"2024-03-01", "1 Mar 2024"},
		{"O'Brien", "O'Brien"},
		{true, "Yes"},
		{false, "No"},
		{nil, ""},
		{json.Number("0.80"), "0.80"},
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

func TestDefaultColumns(t *testing.T) {
	rows := []Record{{"PersonGuid": "g", "FormattedName": "A", "EmailAddress": "e", "StartDate": "d", "Zed": 1}}
	got := DefaultColumns(rows, 10)
	want := []string{"FormattedName", "EmailAddress", "StartDate"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("DefaultColumns = %v", got)
	}
	if got := DefaultColumns([]Record{{"b": 1, "a": 2, "n": map[string]any{}}}, 10); strings.Join(got, ",") != "a,b" {
		t.Fatalf("fallback columns = %v", got)
	}
	if ColumnTitle("StartDate") != "Start date" || ColumnTitle("EmailAddress") != "Email" {
		t.Fatal("titles")
	}
}

func TestColumnTitles(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"StartDate", "Start date"},
		{"EmailAddress", "Email"},
		{"PersonGuid", "Person GUID"},
		{"ManagerGuid", "Manager GUID"},
		{"Guid", "GUID"},
		{"FullTimeEquivalent", "Full time equivalent"},
		{"Title", "Title"},
	} {
		if got := ColumnTitle(tc.name); got != tc.want {
			t.Errorf("ColumnTitle(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
