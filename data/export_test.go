package data

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

func TestExportCSV(t *testing.T) {
	c, srv := sandboxClient(t, sandbox.Config{People: 1234})
	m, _ := c.Metadata(context.Background())
	et, _ := m.EntitySet(PeopleSet)
	var cols []Property
	for _, n := range []string{"FormattedName", "LastName", "StartDate", "IsActive", "FullTimeEquivalent"} {
		p, _ := et.Property(n)
		cols = append(cols, p)
	}
	var buf bytes.Buffer
	var last [2]int
	err := c.ExportCSV(context.Background(), PeopleSet, Query{OrderBy: []Order{{Property: "PersonCode"}}}, cols, &buf, func(d, t int) { last = [2]int{d, t} })
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\uFEFFName,Last name,Start date,Is active,Full time equivalent\n") {
		t.Fatalf("header: %q", out[:min(len(out), 120)])
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 1235 || last != [2]int{1234, 1234} {
		t.Fatalf("%d lines, progress %v", len(lines), last)
	}
	if !strings.Contains(out, "O'Brien") || !strings.Contains(lines[1], ",Yes,") && !strings.Contains(lines[1], ",No,") {
		t.Fatalf("values: %s", lines[1])
	}
	// Only the chosen columns were asked for.
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/People") && !strings.Contains(r.Query, "%24select=FormattedName%2CLastName") {
			t.Fatalf("export request without $select: %s", r.Query)
		}
	}
	if got := csvValue("=HYPERLINK(\"x\")", Property{Type: "Edm.String"}); got != "'=HYPERLINK(\"x\")" {
		t.Fatalf("formula not neutralised: %s", got)
	}
}

// samePersonCSV is the CSV export of the person of testdata/dialects,
// whichever dialect sent them: ISO 8601 at full precision with offsets,
// numbers as numbers (-5.50, not '-5.50), the guard on text only.
const samePersonCSV = "\uFEFF" +
	"Person GUID,Name,Code,Notes,Nickname,Salary,Adjustment,Employee number,Score,Ratio,Limit,Age,Is active,Start date,Last login,Created,Shift start,Break length,Notice,Badge,Manager GUID\n" +
	`5f0c6b1a-2d3e-4f50-8a9b-0c1d2e3f4a5b,Siobhán O'Brien,'-5.5,"'=HYPERLINK(""http://x"")",,-5.50,-5.5,-9007199254740993,15000000000,0.1,'-INF,42,Yes,2024-01-02,2024-01-02T03:04:05.123+01:00,2024-01-02T03:04:05.120Z,14:00:00,00:30:00,P1DT2H,'+/8=,0a0b0c0d-0000-4000-8000-000000000001` + "\n"

// TestExportSamePersonEveryDialect: a service speaking v2, v3 or v4 (its
// own $metadata and JSON) exports the same person as the same CSV line.
func TestExportSamePersonEveryDialect(t *testing.T) {
	for _, d := range dialects(t) {
		t.Run(d.name, func(t *testing.T) {
			c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.URL.Path, "/$metadata") {
					w.Header().Set("Content-Type", "application/xml")
					_, _ = w.Write(d.metadata)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write(d.people)
			})
			m, err := c.Metadata(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			et, _ := m.EntitySet(PeopleSet)
			var buf bytes.Buffer
			if err := c.ExportCSV(context.Background(), PeopleSet, Query{Version: m.Version}, et.Properties, &buf, nil); err != nil {
				t.Fatal(err)
			}
			if got := buf.String(); got != samePersonCSV {
				t.Errorf("CSV\n%s\nwant\n%s", got, samePersonCSV)
			}
		})
	}
}

// TestExportCSVWithKeepsToItsConcurrency: an export beside a window asks
// for fewer pages at once (ui uses 2; ExportCSV 4); the pages in flight
// never pass the number asked for, and every row still arrives once.
func TestExportCSVWithKeepsToItsConcurrency(t *testing.T) {
	for _, tc := range []struct{ concurrency, want int }{{1, 1}, {2, 2}, {4, 4}} {
		t.Run(fmt.Sprint(tc.concurrency), func(t *testing.T) {
			c, _ := sandboxClient(t, sandbox.Config{People: 2000})
			counter := &inFlight{next: c.HTTP.Transport}
			c.HTTP = &http.Client{Transport: counter}
			var buf bytes.Buffer
			err := c.ExportCSVWith(context.Background(), PeopleSet, Query{}, []Property{{Name: "PersonCode", Type: "Edm.String"}}, &buf,
				ExportOptions{Concurrency: tc.concurrency})
			if err != nil {
				t.Fatal(err)
			}
			if lines := strings.Count(buf.String(), "\n"); lines != 2001 {
				t.Fatalf("%d lines", lines)
			}
			if counter.most != tc.want {
				t.Fatalf("%d pages in flight at most, want %d", counter.most, tc.want)
			}
		})
	}
}

// inFlight counts requests under way; each takes 20 ms, so that pages
// asked for together overlap whatever the machine's speed.
type inFlight struct {
	next      http.RoundTripper
	mu        sync.Mutex
	now, most int
}

func (f *inFlight) RoundTrip(r *http.Request) (*http.Response, error) {
	f.mu.Lock()
	f.now++
	f.most = max(f.most, f.now)
	f.mu.Unlock()
	defer func() { f.mu.Lock(); f.now--; f.mu.Unlock() }()
	time.Sleep(20 * time.Millisecond)
	return f.next.RoundTrip(r)
}

// ExportOptions.Go fetches every page after the first (the app runs them
// at a lower priority than its window), and the rows still come in order.
func TestExportCSVWithFetchesPagesThroughGo(t *testing.T) {
	c, srv := sandboxClient(t, sandbox.Config{People: 1234})
	var calls atomic.Int32
	var buf bytes.Buffer
	err := c.ExportCSVWith(context.Background(), PeopleSet, Query{OrderBy: []Order{{Property: "PersonCode"}}},
		[]Property{{Name: "PersonCode", Type: "Edm.String"}}, &buf, ExportOptions{
			Concurrency: 2,
			Go:          func(f func()) { calls.Add(1); go f() },
		})
	if err != nil {
		t.Fatal(err)
	}
	pages := 0
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/People") {
			pages++
		}
	}
	if pages < 3 || int(calls.Load()) != pages-1 {
		t.Fatalf("%d pages, %d fetched through Go: want all but the first", pages, calls.Load())
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")[1:]
	if len(lines) != 1234 || !slices.IsSorted(lines) {
		t.Fatalf("%d rows, sorted %v", len(lines), slices.IsSorted(lines))
	}
}
