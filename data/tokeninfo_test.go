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
