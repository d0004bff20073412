package data

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
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
