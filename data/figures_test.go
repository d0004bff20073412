package data

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox/sandboxtest"
)

// The figures make bench prints. Each runs against a sandbox of 50,000
// people on loopback, started as its own process (CEZANNE_BIN) so that the
// client's time and memory are measured apart from the server's, and each
// is compared with a bare net/http + encoding/json baseline doing the same
// requests in the same run.

const figurePeople = 50000

func requireFigures(t *testing.T) {
	if os.Getenv("CEZANNE_FIGURES") != "1" {
		t.Skip("set CEZANNE_FIGURES=1 (make bench) to measure the figures")
	}
}

// figureTenant starts the sandbox binary and signs in as its service
// account through auth, as the app would.
type figureTenant struct {
	base    string
	session *auth.Session
	token   string
	client  *Client
}

func startFigureTenant(t *testing.T) *figureTenant {
	t.Helper()
	bin := os.Getenv("CEZANNE_BIN")
	if bin == "" {
		t.Fatal("CEZANNE_BIN must name the built app (make bench sets it)")
	}
	desc := sandboxtest.StartBinary(t, bin, nil, "--quiet", "--people", strconv.Itoa(figurePeople))
	secret := sandboxtest.Secret(desc, sandbox.ClientService)
	p := &auth.Profile{Name: "figures", BaseURL: desc.BaseURL, ClientID: sandbox.ClientService, GrantType: auth.GrantServiceAccount, Scopes: []string{"APIRead"}}
	if err := p.Normalize(); err != nil {
		t.Fatal(err)
	}
	s, err := auth.SignIn(context.Background(), auth.Options{Profile: p, ClientSecret: secret, Store: keyring.NewMemoryStore()})
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := s.Token()
	return &figureTenant{base: desc.BaseURL, session: s, token: tok.AccessToken,
		client: &Client{HTTP: s.HTTPClient(), TokenInfoURL: p.TokenInfoEndpoint(), ServiceURL: p.DataService()}}
}

// baselinePage is the bare version: one GET with the bearer header, decoded
// by encoding/json into the documented v2 shape.
func (ft *figureTenant) baselinePage(hc *http.Client, target string) (int, string, error) {
	req, _ := http.NewRequest(http.MethodGet, target, nil)
	req.Header.Set("Authorization", "Bearer "+ft.token)
	resp, err := hc.Do(req)
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

// baselinePage is how a bare encoding/json client reads a v2 verbose page.
type baselinePage struct {
	D struct {
		Results []map[string]any `json:"results"`
		Count   string           `json:"__count"`
		Next    string           `json:"__next"`
	} `json:"d"`
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func figure(t *testing.T, name string, value float64, format string) {
	fmt.Printf("figure %s "+format+"\n", name, value)
}

// TestFigureRatios measures first_page_ratio, crawl_ratio and
// crawl_concurrent_ratio.
func TestFigureRatios(t *testing.T) {
	requireFigures(t)
	ft := startFigureTenant(t)
	ctx := context.Background()
	base := &http.Client{Timeout: 30 * time.Second}
	firstURL := ft.client.ServiceURL + "/People?" + encodeQuery(Query{Count: true}.Values())

	// First page, with the total: 25 alternating rounds after a warm-up.
	var ours, bare []time.Duration
	for i := 0; i < 42; i++ {
		var p *Page
		var n int
		var err, err2 error
		var d1, d2 time.Duration
		oursFirst := func() {
			start := time.Now()
			p, err = ft.client.People(ctx, Query{Count: true})
			d1 = time.Since(start)
		}
		bareFirst := func() {
			start := time.Now()
			n, _, err2 = ft.baselinePage(base, firstURL)
			d2 = time.Since(start)
		}
		// Alternate who goes first, so neither profits from the other's
		// warm connection or caches.
		if i%2 == 0 {
			oursFirst()
			bareFirst()
		} else {
			bareFirst()
			oursFirst()
		}
		if err != nil || err2 != nil || len(p.Rows) != n || p.Count != figurePeople {
			t.Fatalf("first page: %v %v (%d vs %d rows)", err, err2, len(p.Rows), n)
		}
		if i >= 2 {
			ours, bare = append(ours, d1), append(bare, d2)
		}
	}
	firstRatio := float64(median(ours)) / float64(median(bare))
	figure(t, "first_page_ratio", firstRatio, "%.2f")

	// A full crawl: sequential by next links, ours and bare; then ours with
	// four pages in flight.
	crawl := func(concurrency int) time.Duration {
		start := time.Now()
		rows := 0
		err := ft.client.Crawl(ctx, PeopleSet, Query{}, concurrency, func(r []Record, _ int) error { rows += len(r); return nil })
		if err != nil || rows != figurePeople {
			t.Fatalf("crawl(%d): %v, %d rows", concurrency, err, rows)
		}
		return time.Since(start)
	}
	bareCrawl := func() time.Duration {
		start := time.Now()
		rows, next := 0, ft.client.ServiceURL+"/People?$format=json"
		for next != "" {
			n, nx, err := ft.baselinePage(base, next)
			if err != nil {
				t.Fatal(err)
			}
			rows, next = rows+n, nx
		}
		if rows != figurePeople {
			t.Fatalf("baseline crawl: %d rows", rows)
		}
		return time.Since(start)
	}
	var seq, conc, bareSeq []time.Duration
	for i := 0; i < 5; i++ {
		bareSeq = append(bareSeq, bareCrawl())
		seq = append(seq, crawl(1))
		conc = append(conc, crawl(4))
	}
	figure(t, "crawl_ratio", float64(median(seq))/float64(median(bareSeq)), "%.2f")
	figure(t, "crawl_concurrent_ratio", float64(median(conc))/float64(median(bareSeq)), "%.2f")
	t.Logf("medians: first page %v vs %v; crawl %v, concurrent %v, baseline %v", median(ours), median(bare), median(seq), median(conc), median(bareSeq))
	if firstRatio > 1.2 || float64(median(seq))/float64(median(bareSeq)) > 1.1 || median(conc) >= median(bareSeq) {
		t.Errorf("a figure is over its budget (first page ≤ 1.2, crawl ≤ 1.1, concurrent < 1)")
	}
}

// peakRSSMB is this process's peak resident set (VmHWM), in MB.
func peakRSSMB(t testing.TB) float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc: peak RSS is measured on Linux")
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			kb, _ := strconv.Atoi(strings.Fields(l)[1])
			return float64(kb) / 1024
		}
	}
	t.Fatal("no VmHWM")
	return 0
}

// TestFigureExportRSS exports all 50,000 people to CSV; run alone, so the
// process's peak memory is the export's.
func TestFigureExportRSS(t *testing.T) {
	requireFigures(t)
	ft := startFigureTenant(t)
	m, err := ft.client.Metadata(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	et, _ := m.EntitySet(PeopleSet)
	path := filepath.Join(t.TempDir(), "people.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	rows := 0
	if err := ft.client.ExportCSV(context.Background(), PeopleSet, Query{}, et.Properties, f, func(done, _ int) { rows = done }); err != nil {
		t.Fatal(err)
	}
	f.Close()
	st, _ := os.Stat(path)
	t.Logf("exported %d rows, %d MB, in %v", rows, st.Size()>>20, time.Since(start))
	if rows != figurePeople {
		t.Fatalf("%d rows exported", rows)
	}
	rss := peakRSSMB(t)
	figure(t, "export_rss_mb", rss, "%.0f")
	if rss >= 150 {
		t.Errorf("peak RSS %.0f MB, budget 150", rss)
	}
}
