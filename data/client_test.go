package data

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestServerMessage(t *testing.T) {
	tests := []struct{ body, want string }{
		{`{"error":{"code":"","message":{"lang":"en-US","value":"The access token has expired."}}}`, "The access token has expired."},
		{`{"odata.error":{"code":"","message":{"lang":"en-US","value":"Bad filter"}}}`, "Bad filter"},
		{`{"error":{"code":"x","message":"v4 message"}}`, "v4 message"},
		{`{"error":"invalid_grant","error_description":"revoked"}`, "revoked"},
		{`<?xml version="1.0"?><error xmlns="m"><code/><message xml:lang="en-US">Resource not found for the segment 'Peeple'.</message></error>`, "Resource not found for the segment 'Peeple'."},
		{`<html>500</html>`, ""},
		// Cut to 300 bytes, never inside a character: 'é' takes bytes 299
		// and 300, so the cut comes before it.
		{`{"error":{"code":"","message":"` + strings.Repeat("a", 299) + strings.Repeat("é", 100) + `"}}`, strings.Repeat("a", 299) + "…"},
		{`{"error":{"code":"","message":"` + strings.Repeat("名", 200) + `"}}`, strings.Repeat("名", 100) + "…"},
		{`<error><message>` + strings.Repeat("ж", 400) + `</message></error>`, strings.Repeat("ж", 150) + "…"},
	}
	for _, tt := range tests {
		if got := serverMessage([]byte(tt.body)); got != tt.want {
			t.Errorf("serverMessage(%s) = %q, want %q", tt.body, got, tt.want)
		}
	}
}

// Each request says which OData versions the client reads, in the headers
// of the version it was written for: OData 4's own headers to v4 (which
// ignores MaxDataServiceVersion), MaxDataServiceVersion to v2 and v3, and
// both maxima while the version is not known ($metadata, TokenInfo, a
// Query with no Version). A next page is asked for as its first page was.
func TestVersionHeaders(t *testing.T) {
	headers := []string{"OData-MaxVersion", "OData-Version", "MaxDataServiceVersion", "DataServiceVersion"}
	var mu sync.Mutex
	seen := map[string]http.Header{} // path and query → request headers
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.URL.Path+"?"+r.URL.RawQuery] = r.Header.Clone()
		mu.Unlock()
		switch {
		case strings.HasSuffix(r.URL.Path, "$metadata"):
			w.Header().Set("Content-Type", "application/xml")
			io.WriteString(w, `<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices><Schema Namespace="S" xmlns="http://docs.oasis-open.org/odata/ns/edm"><EntityType Name="P"><Key><PropertyRef Name="Id"/></Key><Property Name="Id" Type="Edm.Int32"/></EntityType><EntityContainer Name="C"><EntitySet Name="People" EntityType="S.P"/></EntityContainer></Schema></edmx:DataServices></edmx:Edmx>`)
		case strings.HasSuffix(r.URL.Path, "TokenInfo"):
			io.WriteString(w, `{"UserName":"a"}`)
		case r.URL.Query().Has("$skiptoken"):
			io.WriteString(w, `{"value":[{"Id":2}]}`)
		default:
			io.WriteString(w, `{"value":[{"Id":1}],"@odata.nextLink":"People?$skiptoken=1"}`)
		}
	})
	unknown := map[string]string{"OData-MaxVersion": "4.0", "MaxDataServiceVersion": "3.0"}
	v4 := map[string]string{"OData-MaxVersion": "4.0", "OData-Version": "4.0"}
	v23 := map[string]string{"MaxDataServiceVersion": "3.0"}
	ctx := context.Background()
	page := func(v Version) func() error {
		return func() error {
			p, err := c.People(ctx, Query{Version: v})
			if err == nil {
				_, err = c.NextPage(ctx, p)
			}
			return err
		}
	}
	tests := []struct {
		name     string
		call     func() error
		path     string // the requests' path; each request to it must carry want
		requests int
		want     map[string]string
	}{
		{"metadata, version not known", func() error { _, err := c.Metadata(ctx); return err }, "$metadata", 1, unknown},
		{"TokenInfo, not OData", func() error { _, err := c.TokenInfo(ctx); return err }, "TokenInfo", 1, unknown},
		{"v4 page and next page", page(V4), "People", 2, v4},
		{"v3 page and next page", page(V3), "People", 2, v23},
		{"v2 page and next page", page(V2), "People", 2, v23},
		{"query without a version", page(0), "People", 2, unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			clear(seen)
			mu.Unlock()
			if err := tt.call(); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			n := 0
			for target, h := range seen {
				if !strings.Contains(target, tt.path) {
					continue
				}
				n++
				for _, name := range headers {
					if got := h.Get(name); got != tt.want[name] {
						t.Errorf("%s: %s is %q, want %q", target, name, got, tt.want[name])
					}
				}
			}
			if n != tt.requests {
				t.Errorf("%d requests to %s, want %d: %v", n, tt.path, tt.requests, seen)
			}
		})
	}
}

func TestClientRequestsAndErrors(t *testing.T) {
	var gotURL string
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		gotURL = r.URL.String()
		switch {
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
