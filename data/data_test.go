package data

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestDecodePageDialects(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		wantRows  int
		wantCount int
		wantNext  string
		wantErr   string
	}{
		{"v2 verbose with count and next", `{"d":{"results":[{"__metadata":{"uri":"u"},"FirstName":"Seán","StartDate":"\/Date(1104969600000)\/"}],"__count":"500","__next":"http://h/People?$skiptoken=200"}}`, 1, 500, "http://h/People?$skiptoken=200", ""},
		{"v1 verbose array", `{"d":[{"FirstName":"A"},{"FirstName":"B"}]}`, 2, -1, "", ""},
		{"v3 light", `{"odata.metadata":"m","odata.count":"12","value":[{"FirstName":"A"}],"odata.nextLink":"People?$skiptoken=1"}`, 1, 12, "People?$skiptoken=1", ""},
		{"v4", `{"@odata.context":"c","@odata.count":7,"value":[{"FirstName":"A"}],"@odata.nextLink":"n"}`, 1, 7, "n", ""},
		{"empty page", `{"d":{"results":[]}}`, 0, -1, "", ""},
		{"not odata", `{"hello":1}`, 0, 0, "", "not an OData collection"},
		{"bad count", `{"d":{"results":[],"__count":"many"}}`, 0, 0, "", "not a number"},
		{"truncated", `{"d":{"results":[{"a":`, 0, 0, "", "EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := DecodePage(strings.NewReader(tt.body))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Rows) != tt.wantRows || p.Count != tt.wantCount || p.Next != tt.wantNext {
				t.Fatalf("rows=%d count=%d next=%q", len(p.Rows), p.Count, p.Next)
			}
			for _, r := range p.Rows {
				if _, ok := r["__metadata"]; ok {
					t.Fatal("__metadata kept as a column")
				}
			}
		})
	}
}

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

func TestServerMessage(t *testing.T) {
	tests := []struct{ body, want string }{
		{`{"error":{"code":"","message":{"lang":"en-US","value":"The access token has expired."}}}`, "The access token has expired."},
		{`{"odata.error":{"code":"","message":{"lang":"en-US","value":"Bad filter"}}}`, "Bad filter"},
		{`{"error":{"code":"x","message":"v4 message"}}`, "v4 message"},
		{`{"error":"invalid_grant","error_description":"revoked"}`, "revoked"},
		{`<?xml version="1.0"?><error xmlns="m"><code/><message xml:lang="en-US">Resource not found for the segment 'Peeple'.</message></error>`, "Resource not found for the segment 'Peeple'."},
		{`<html>500</html>`, ""},
	}
	for _, tt := range tests {
		if got := serverMessage([]byte(tt.body)); got != tt.want {
			t.Errorf("serverMessage(%s) = %q, want %q", tt.body, got, tt.want)
		}
	}
}

func newTestClient(t *testing.T, h http.HandlerFunc) *Client {
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return &Client{HTTP: ts.Client(), TokenInfoURL: ts.URL + "/CezanneOnDemand/OAuth/TokenInfo", ServiceURL: ts.URL + "/CezanneOnDemand/DataService.svc"}
}

func TestClientRequestsAndErrors(t *testing.T) {
	var gotURL string
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		gotURL = r.URL.String()
		switch {
		case strings.HasSuffix(r.URL.Path, "/TokenInfo"):
			io.WriteString(w, `{"FormattedName":"Cheryl Abrahams","Username":"hrprof","LocaleId":2057,"RoleHierarchy":["a"],"Extra":true}`)
		case r.URL.Query().Get("$skip") == "401":
			w.WriteHeader(401)
			io.WriteString(w, `{"error":{"code":"","message":{"lang":"en-US","value":"The access token has expired."}}}`)
		case r.URL.Query().Get("$skip") == "500":
			w.WriteHeader(500)
			io.WriteString(w, `<html>boom</html>`)
		default:
			io.WriteString(w, `{"d":{"results":[{"FirstName":"A"}],"__count":"1","__next":"https://evil.example/People?$skiptoken=1"}}`)
		}
	})
	ti, err := c.TokenInfo(context.Background())
	if err != nil || ti.DisplayName() != "Cheryl Abrahams" || ti.LocaleID != 2057 {
		t.Fatalf("TokenInfo %+v %v", ti, err)
	}
	p, err := c.People(context.Background(), Query{Top: 50, Skip: 100, OrderBy: []Order{{Property: "LastName"}}, Count: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"$format=json", "$top=50", "$skip=100", "$inlinecount=allpages", "$orderby=LastName"} {
		if !strings.Contains(gotURL, want) {
			t.Errorf("request %s lacks %s", gotURL, want)
		}
	}
	if strings.Contains(gotURL, "access_token") {
		t.Error("access token sent as a query parameter")
	}
	if _, err := c.NextPage(context.Background(), p); err == nil || !strings.Contains(err.Error(), "another site") {
		t.Errorf("next link to another host followed: %v", err)
	}
	_, err = c.People(context.Background(), Query{Skip: 401})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 401 || !strings.Contains(err.Error(), "sign in again. The server said: The access token has expired.") {
		t.Errorf("401: %v", err)
	}
	_, err = c.People(context.Background(), Query{Skip: 500})
	if !errors.As(err, &ae) || ae.Status != 500 || !strings.Contains(err.Error(), "internal error") {
		t.Errorf("500: %v", err)
	}
}

func TestClientLimits(t *testing.T) {
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("$top") == "1" {
			time.Sleep(300 * time.Millisecond)
		}
		io.WriteString(w, `{"d":{"results":[`+strings.Repeat(`{"FirstName":"AAAAAAAAAA"},`, 1000)+`{}]}}`)
	})
	c.MaxBody = 4 << 10
	if _, err := c.People(context.Background(), Query{}); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("size limit: %v", err)
	}
	c.MaxBody = 0
	c.Timeout = 50 * time.Millisecond
	if _, err := c.People(context.Background(), Query{Top: 1}); err == nil || !strings.Contains(err.Error(), "in time") {
		t.Errorf("timeout: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.People(ctx, Query{}); !errors.Is(err, ErrCancelled) {
		t.Errorf("cancel: %v", err)
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
