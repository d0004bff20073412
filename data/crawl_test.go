package data

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

func TestCrawlIsCompleteAndOrdered(t *testing.T) {
	for _, v := range []int{2, 4} {
		c, _ := sandboxClient(t, sandbox.Config{People: 2345, ODataVersion: v})
		for _, conc := range []int{1, 4} {
			var codes []string
			err := c.Crawl(context.Background(), PeopleSet, Query{OrderBy: []Order{{Property: "PersonCode"}}, Version: Version(v)}, conc, func(rows []Record, total int) error {
				if total != 2345 {
					t.Fatalf("total %d", total)
				}
				for _, r := range rows {
					codes = append(codes, r["PersonCode"].(string))
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(codes) != 2345 {
				t.Fatalf("v%d concurrency %d: %d rows", v, conc, len(codes))
			}
			for i := 1; i < len(codes); i++ {
				if codes[i-1] >= codes[i] {
					t.Fatalf("v%d concurrency %d: out of order at %d: %s then %s", v, conc, i, codes[i-1], codes[i])
				}
			}
		}
	}
}

func TestCrawlStopsOnErrorAndCancel(t *testing.T) {
	c, srv := sandboxClient(t, sandbox.Config{People: 3000})
	stop := errors.New("enough")
	pages := 0
	err := c.Crawl(context.Background(), PeopleSet, Query{}, 4, func([]Record, int) error {
		pages++
		if pages == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || pages != 3 {
		t.Fatalf("callback error: %v after %d pages", err, pages)
	}
	srv.SetFaults(sandbox.Faults{Fail500: 100})
	defer srv.SetFaults(sandbox.Faults{})
	if err := c.Crawl(context.Background(), PeopleSet, Query{}, 4, func([]Record, int) error { return nil }); err == nil {
		t.Fatal("server errors not reported")
	}
	srv.SetFaults(sandbox.Faults{})
	ctx, cancel := context.WithCancel(context.Background())
	err = c.Crawl(ctx, PeopleSet, Query{}, 4, func([]Record, int) error { cancel(); return nil })
	if err == nil {
		t.Fatal("cancelled crawl reported success")
	}
}

// BenchmarkCrawl is every row of 10,000 people, one page at a time and four
// in flight, timed in alternation with the baseline following next links,
// after a round to warm up: ns/op is ours, ratio ours over the baseline's
// (crawl_ratio and crawl_concurrent_ratio, but with the sandbox in this
// process, sharing its cores; make bench's figures run it apart).
func BenchmarkCrawl(b *testing.B) {
	const people = 10000
	c, _ := sandboxClient(b, sandbox.Config{People: people})
	bl := newBaseline(c)
	for _, concurrency := range []int{1, 4} {
		b.Run(fmt.Sprintf("concurrency=%d", concurrency), func(b *testing.B) {
			times, err := timeRounds(b.N+1, 1, true, crawl(c, concurrency, people), bl.crawl(people))
			if err != nil {
				b.Fatal(err)
			}
			reportRatio(b, times[0], times[1])
		})
	}
}

// TestCrawlAsksForBoundedPages: a crawl for more rows than a page may hold
// asks for pages the client accepts.
func TestCrawlAsksForBoundedPages(t *testing.T) {
	tests := []struct {
		name    string
		top     int
		wantTop string
	}{
		{"no limit", 0, ""},
		{"a few rows", 10, "10"},
		{"more than a page may hold", 20000, "5000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var tops []string
			c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				tops = append(tops, r.URL.Query().Get("$top"))
				mu.Unlock()
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"d":{"results":[{"Id":1}],"__count":"1"}}`)
			})
			if err := c.Crawl(context.Background(), PeopleSet, Query{Top: tt.top}, 4, func([]Record, int) error { return nil }); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(tops) != 1 || tops[0] != tt.wantTop {
				t.Fatalf("asked for $top %q, want %q", tops, tt.wantTop)
			}
		})
	}
}

// TestCrawlLeavesTheCountOutOfNextLinks: servers carry the first request's
// count option into their next links, and would count the whole set again
// for every page; a crawl, which has the total from its first page, drops
// it, and keeps every other byte of the link. NextPage follows links as
// written.
func TestCrawlLeavesTheCountOutOfNextLinks(t *testing.T) {
	for _, tt := range []struct {
		name, next, want string
	}{
		{"OData 2", "People?%24format=json&%24inlinecount=allpages&%24skiptoken='a%2Cb'", "$format=json&$skiptoken='a,b'"},
		{"OData 4", "People?$count=true&$skiptoken=2", "$skiptoken=2"},
		{"count first, unescaped", "People?$inlinecount=allpages&$skiptoken=2&$filter=Name%20eq%20'x'", "$skiptoken=2&$filter=Name eq 'x'"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var asked []string
			c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				asked = append(asked, r.URL.RawQuery)
				first := len(asked) == 1
				mu.Unlock()
				w.Header().Set("Content-Type", "application/json")
				if first {
					fmt.Fprintf(w, `{"d":{"results":[{"Id":1}],"__count":"2","__next":%q}}`, tt.next)
					return
				}
				io.WriteString(w, `{"d":{"results":[{"Id":2}]}}`)
			})
			rows := 0
			if err := c.Crawl(context.Background(), PeopleSet, Query{}, 1, func(r []Record, total int) error {
				if total != 2 {
					t.Errorf("total %d, want the first page's 2", total)
				}
				rows += len(r)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			crawled := append([]string(nil), asked...)
			mu.Unlock()
			if rows != 2 || len(crawled) != 2 {
				t.Fatalf("%d rows in %d requests", rows, len(crawled))
			}
			if got, _ := url.QueryUnescape(crawled[1]); got != tt.want {
				t.Fatalf("followed the next link as %q, want %q", got, tt.want)
			}
			if _, err := c.NextPage(context.Background(), &Page{Next: tt.next}); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if got, want := asked[2], tt.next[strings.Index(tt.next, "?")+1:]; got != want {
				t.Fatalf("NextPage asked %q, want the link as written %q", got, want)
			}
		})
	}
}
