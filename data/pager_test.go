package data

import (
	"context"
	"sync"
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

func TestPagerFetchesOnlyWhatIsNeeded(t *testing.T) {
	c, _ := sandboxClient(t, sandbox.Config{People: 20000})
	var mu sync.Mutex
	var errs []error
	b := c.NewPager(PeopleSet, Query{OrderBy: []Order{{Property: "PersonCode"}}}, PagerOptions{
		MaxPages: 5, Go: func(f func()) { f() },
		OnChange: func(err error) {
			mu.Lock()
			errs = append(errs, err)
			mu.Unlock()
		},
	})
	defer b.Close()
	if err := b.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	if b.Len() != 20000 || b.Requests() != 1 {
		t.Fatalf("len %d, requests %d", b.Len(), b.Requests())
	}
	if r, ok := b.Row(5); !ok || r["PersonCode"] != "P000006" {
		t.Fatalf("row 5: %v %v", r, ok)
	}
	// Jump to row 15,000: one page request (run inline here) brings it.
	if r, ok := b.Row(15000); !ok || r["PersonCode"] != "P015001" {
		t.Fatalf("row 15000: %v %v", r, ok)
	}
	if b.Requests() != 2 {
		t.Fatalf("%d requests, want 2", b.Requests())
	}
	// Walking through more pages than the cache holds keeps it bounded.
	for i := 0; i < 20000; i += 200 {
		b.Row(i)
	}
	b.mu.Lock()
	cached := len(b.pages)
	b.mu.Unlock()
	if cached > 5 {
		t.Fatalf("%d pages cached, bound is 5", cached)
	}
	if b.Requests() != 2+99 {
		t.Fatalf("%d requests for a full walk", b.Requests())
	}
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestPagerPageSizeIsBounded(t *testing.T) {
	tests := []struct{ asked, want int }{{0, 200}, {50, 50}, {MaxPageRows, MaxPageRows}, {100000, MaxPageRows}}
	for _, tt := range tests {
		pg := (&Client{}).NewPager(PeopleSet, Query{}, PagerOptions{PageSize: tt.asked})
		if pg.pageSize != tt.want {
			t.Errorf("PageSize %d: pages of %d rows, want %d", tt.asked, pg.pageSize, tt.want)
		}
		pg.Close()
	}
}

// TestPagerKeepsFewPagesByDefault: a pager with no bound given keeps
// defaultMaxPages (4: the screen and its neighbours; ten pages of People
// are 4 MB of heap), the most recently used, however far a walk went.
func TestPagerKeepsFewPagesByDefault(t *testing.T) {
	c, _ := sandboxClient(t, sandbox.Config{People: 3000})
	b := c.NewPager(PeopleSet, Query{OrderBy: []Order{{Property: "PersonCode"}}}, PagerOptions{Go: func(f func()) { f() }})
	defer b.Close()
	if err := b.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3000; i += 200 {
		b.Row(i)
	}
	for _, tc := range []struct {
		page   int
		cached bool
	}{{0, false}, {10, false}, {11, true}, {14, true}} {
		if _, ok := b.Cached(tc.page * 200); ok != tc.cached {
			t.Errorf("page %d cached: %v, want %v", tc.page, ok, tc.cached)
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.pages) != 4 {
		t.Fatalf("%d pages cached, want 4", len(b.pages))
	}
}
