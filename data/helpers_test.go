package data

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox/sandboxtest"
)

// bearerTransport adds a fixed access token, as the auth session would.
type bearerTransport struct{ token string }

func (b bearerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return http.DefaultTransport.RoundTrip(r)
}

// sandboxClient is a data Client signed in to a fresh sandbox as its
// service account (which sees everyone).
func sandboxClient(t testing.TB, cfg sandbox.Config) (*Client, *sandbox.Server) {
	t.Helper()
	tenant := sandboxtest.Start(t, cfg)
	c, _ := tenant.OAuthClient(sandbox.ClientService)
	token := sandboxtest.ServiceToken(t, tenant.BaseURL(), c.Secret)
	return &Client{
		HTTP:         &http.Client{Transport: bearerTransport{token}},
		TokenInfoURL: tenant.BaseURL() + "/OAuth/TokenInfo",
		ServiceURL:   tenant.BaseURL() + "/DataService.svc",
	}, tenant.Server
}

func newTestClient(t *testing.T, h http.HandlerFunc) *Client {
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return &Client{HTTP: ts.Client(), TokenInfoURL: ts.URL + "/CezanneOnDemand/OAuth/TokenInfo", ServiceURL: ts.URL + "/CezanneOnDemand/DataService.svc"}
}

// baseline is what the figures and benchmarks compare the client with: bare
// net/http + encoding/json, one GET with the bearer header, decoded into
// the documented v2 shape.
type baseline struct {
	hc         *http.Client
	token      string
	serviceURL string
}

// newBaseline is the bare counterpart of a sandboxClient.
func newBaseline(c *Client) *baseline {
	return &baseline{hc: &http.Client{Timeout: 30 * time.Second}, token: c.HTTP.Transport.(bearerTransport).token, serviceURL: c.ServiceURL}
}

// baselinePage is how a bare encoding/json client reads a v2 verbose page.
type baselinePage struct {
	D struct {
		Results []map[string]any `json:"results"`
		Count   string           `json:"__count"`
		Next    string           `json:"__next"`
	} `json:"d"`
}

// firstPageURL is the first page of People with the total, as People asks for it.
func (bl *baseline) firstPageURL() string {
	return bl.serviceURL + "/People?" + encodeQuery(Query{Count: true}.Values())
}

// page fetches one page and returns its rows and next link.
func (bl *baseline) page(target string) (int, string, error) {
	req, _ := http.NewRequest(http.MethodGet, target, nil)
	req.Header.Set("Authorization", "Bearer "+bl.token)
	resp, err := bl.hc.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	var body baselinePage
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return 0, "", err
	}
	return len(body.D.Results), body.D.Next, nil
}

// crawl follows the next links through all want people.
func (bl *baseline) crawl(want int) func() error {
	return func() error {
		rows, next := 0, bl.serviceURL+"/People?$format=json"
		for next != "" {
			n, nx, err := bl.page(next)
			if err != nil {
				return err
			}
			rows, next = rows+n, nx
		}
		if rows != want {
			return fmt.Errorf("baseline crawl: %d rows, want %d", rows, want)
		}
		return nil
	}
}

// crawl is Client.Crawl through all want people, with concurrency pages in
// flight.
func crawl(c *Client, concurrency, want int) func() error {
	return func() error {
		rows := 0
		err := c.Crawl(context.Background(), PeopleSet, Query{}, concurrency, func(r []Record, _ int) error { rows += len(r); return nil })
		if err == nil && rows != want {
			err = fmt.Errorf("crawl(%d): %d rows, want %d", concurrency, rows, want)
		}
		return err
	}
}

// firstPages is the first page of People with its total (want), by the
// client and by the baseline. Each checks that it got as many rows as the
// other did last.
func firstPages(c *Client, bl *baseline, want int) (ours, bare func() error) {
	oursRows, bareRows := -1, -1
	same := func() error {
		if oursRows >= 0 && bareRows >= 0 && oursRows != bareRows {
			return fmt.Errorf("first page: %d rows, baseline %d", oursRows, bareRows)
		}
		return nil
	}
	ours = func() error {
		p, err := c.People(context.Background(), Query{Count: true})
		if err != nil {
			return err
		}
		if p.Count != want {
			return fmt.Errorf("first page: total %d, want %d", p.Count, want)
		}
		oursRows = len(p.Rows)
		return same()
	}
	bare = func() error {
		n, _, err := bl.page(bl.firstPageURL())
		if err != nil {
			return err
		}
		bareRows = n
		return same()
	}
	return ours, bare
}

// timeRounds runs each of fns once per round and times it. With rotate,
// each round starts with the next function in turn, so that none always
// profits from another's warm connection or caches; without, they run in
// the order given. The first warmup rounds are not kept.
func timeRounds(rounds, warmup int, rotate bool, fns ...func() error) ([][]time.Duration, error) {
	times := make([][]time.Duration, len(fns))
	for r := 0; r < rounds; r++ {
		for k := range fns {
			i := k
			if rotate {
				i = (r + k) % len(fns)
			}
			start := time.Now()
			if err := fns[i](); err != nil {
				return nil, err
			}
			if r >= warmup {
				times[i] = append(times[i], time.Since(start))
			}
		}
	}
	return times, nil
}

// reportRatio reports a benchmark's ns/op as ours alone, and ratio as ours
// over the baseline's, both timed by timeRounds in the same run.
func reportRatio(b *testing.B, ours, bare []time.Duration) {
	var o, r time.Duration
	for i := range ours {
		o, r = o+ours[i], r+bare[i]
	}
	b.ReportMetric(float64(o)/float64(len(ours)), "ns/op")
	b.ReportMetric(float64(o)/float64(r), "ratio")
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}
