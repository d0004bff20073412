package odatatest

import (
	"encoding/json"
	"testing"
)

func TestCanonical(t *testing.T) {
	tests := []struct {
		edmType string
		in      any
		want    string
		null    bool
		bad     bool
	}{
		{"Edm.String", "O'Brien", "O'Brien", false, false},
		{"Edm.String", nil, "", true, false},
		{"Edm.Guid", "8D3C1C4E-1111-4222-8333-444455556666", "8d3c1c4e-1111-4222-8333-444455556666", false, false},
		{"Edm.Boolean", true, "true", false, false},
		{"Edm.Boolean", "true", "", false, true},
		// v2 sends decimals and 64-bit integers as strings, v4 as numbers.
		{"Edm.Decimal", "-5.50", "-5.5", false, false},
		{"Edm.Decimal", json.Number("-5.5"), "-5.5", false, false},
		{"Edm.Decimal", json.Number("1.00"), "1", false, false},
		{"Edm.Decimal", "-0.00", "0", false, false},
		{"Edm.Int64", "-9007199254740991", "-9007199254740991", false, false},
		{"Edm.Int64", json.Number("-12"), "-12", false, false},
		{"Edm.Double", json.Number("-2.375"), "-2.375", false, false},
		{"Edm.Double", "1E-9", "1e-09", false, false},
		{"Edm.Double", float64(0.1), "0.1", false, false},
		{"Edm.Double", "x", "", false, true},
		{"Edm.Date", "/Date(1577923200000)/", "2020-01-02", false, false},
		{"Edm.Date", "2020-01-02", "2020-01-02", false, false},
		{"Edm.Date", "2020-01-02T00:00:00", "2020-01-02", false, false},
		{"Edm.Date", "/Date(1577923200001)/", "", false, true},
		{"Edm.TimeOfDay", "PT14H00M00S", "14:00:00", false, false},
		{"Edm.TimeOfDay", "PT14H", "14:00:00", false, false},
		{"Edm.TimeOfDay", "PT9H5M30S", "09:05:30", false, false},
		{"Edm.TimeOfDay", "14:00:00", "14:00:00", false, false},
		{"Edm.TimeOfDay", "14:00:00.000", "14:00:00", false, false},
		{"Edm.TimeOfDay", "PT", "", false, true},
		{"Edm.DateTimeOffset", "/Date(1704164645123+0060)/", "2024-01-02T03:04:05.123Z", false, false},
		{"Edm.DateTimeOffset", "/Date(1704164645123)/", "2024-01-02T03:04:05.123Z", false, false},
		{"Edm.DateTimeOffset", "2024-01-02T04:04:05.123+01:00", "2024-01-02T03:04:05.123Z", false, false},
		{"Edm.DateTimeOffset", "2024-01-02T03:04:05Z", "2024-01-02T03:04:05.000Z", false, false},
		{"Edm.DateTimeOffset", 5, "", false, true},
	}
	for _, tt := range tests {
		got, null, err := Canonical(tt.edmType, tt.in)
		if (err != nil) != tt.bad || got != tt.want || null != tt.null {
			t.Errorf("Canonical(%s, %#v) = %q, null %v, err %v; want %q, null %v, error %v", tt.edmType, tt.in, got, null, err, tt.want, tt.null, tt.bad)
		}
	}
}
