package data

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
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

func figure(t *testing.T, name string, value float64, format string) {
	fmt.Printf("figure %s "+format+"\n", name, value)
}

// TestFigureRatios measures first_page_ratio, crawl_ratio and
// crawl_concurrent_ratio: medians of ours against the baseline's, timed in
// alternation.
func TestFigureRatios(t *testing.T) {
	requireFigures(t)
	ft := startFigureTenant(t)
	bl := &baseline{hc: &http.Client{Timeout: 30 * time.Second}, token: ft.token, serviceURL: ft.client.ServiceURL}

	// First page, with the total: 40 rounds after two to warm up.
	ours, bare := firstPages(ft.client, bl, figurePeople)
	first, err := timeRounds(42, 2, true, ours, bare)
	if err != nil {
		t.Fatal(err)
	}
	firstRatio := float64(median(first[0])) / float64(median(first[1]))
	figure(t, "first_page_ratio", firstRatio, "%.2f")

	// A full crawl, five rounds in a fixed order (as the README's figures
	// were measured): bare by next links, ours one page at a time, ours
	// with four pages in flight.
	crawls, err := timeRounds(5, 0, false, bl.crawl(figurePeople), crawl(ft.client, 1, figurePeople), crawl(ft.client, 4, figurePeople))
	if err != nil {
		t.Fatal(err)
	}
	bareSeq, seq, conc := median(crawls[0]), median(crawls[1]), median(crawls[2])
	figure(t, "crawl_ratio", float64(seq)/float64(bareSeq), "%.2f")
	figure(t, "crawl_concurrent_ratio", float64(conc)/float64(bareSeq), "%.2f")
	t.Logf("medians: first page %v vs %v; crawl %v, concurrent %v, baseline %v", median(first[0]), median(first[1]), seq, conc, bareSeq)
	if firstRatio > 1.2 || float64(seq)/float64(bareSeq) > 1.1 || conc >= bareSeq {
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
