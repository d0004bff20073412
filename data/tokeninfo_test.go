package data

import (
	"context"
	"io"
	"net/http"
	"testing"
)

func TestTokenInfo(t *testing.T) {
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"FormattedName":"Cheryl Abrahams","Username":"hrprof","LocaleId":2057,"PersonGuid":"7ab6","RoleHierarchy":["a"],"Extra":true}`)
	})
	ti, err := c.TokenInfo(context.Background())
	if err != nil || ti.DisplayName() != "Cheryl Abrahams" || ti.LocaleID != 2057 || ti.PersonGUID != "7ab6" {
		t.Fatalf("TokenInfo %+v %v", ti, err)
	}
}

func TestDisplayName(t *testing.T) {
	tests := []struct {
		info TokenInfo
		want string
	}{
		{TokenInfo{FormattedName: "Cheryl Abrahams", FirstName: "C", LastName: "A", Username: "u"}, "Cheryl Abrahams"},
		{TokenInfo{FirstName: "Cheryl", LastName: "Abrahams", Username: "u"}, "Cheryl Abrahams"},
		{TokenInfo{Username: "hrprof"}, "hrprof"},
	}
	for _, tt := range tests {
		if got := tt.info.DisplayName(); got != tt.want {
			t.Errorf("DisplayName(%+v) = %q, want %q", tt.info, got, tt.want)
		}
	}
}

func TestLocaleAndCountryAreShownAsNames(t *testing.T) {
	for _, tc := range []struct {
		info          TokenInfo
		country, want string
	}{
		{TokenInfo{CountryID: 1, CountryName: "United Kingdom", LocaleID: 2057, LocaleName: "en-GB"}, "United Kingdom", "English (United Kingdom)"},
		{TokenInfo{CountryID: 4, CountryName: "France", LocaleID: 1036, LocaleName: "fr-FR"}, "France", "French (France)"},
		{TokenInfo{LocaleName: "en_US"}, "", "English (United States)"},
		{TokenInfo{LocaleName: "de"}, "", "German"},
		{TokenInfo{LocaleName: "pt-br"}, "", "Portuguese (Brazil)"},
		{TokenInfo{LocaleID: 2057}, "", ""},
		{TokenInfo{LocaleName: "not a locale"}, "", "not a locale"},
	} {
		if got := tc.info.Country(); got != tc.country {
			t.Errorf("Country of %+v = %q, want %q", tc.info, got, tc.country)
		}
		if got := tc.info.Locale(); got != tc.want {
			t.Errorf("Locale of %+v = %q, want %q", tc.info, got, tc.want)
		}
	}
}
