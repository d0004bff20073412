package data

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
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
	}
	for _, tt := range tests {
		if got := serverMessage([]byte(tt.body)); got != tt.want {
			t.Errorf("serverMessage(%s) = %q, want %q", tt.body, got, tt.want)
		}
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
