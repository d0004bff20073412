package ui

import (
	"context"
	"os"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/figures"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox/sandboxtest"
)

// Figures for make bench: the People table over 50,000 people served by the
// sandbox binary in its own process, so this process holds only the app.

// figureSandbox starts the sandbox binary with 50,000 people, once for all
// of a figure's runs.
func figureSandbox(t *testing.T) sandbox.Description {
	t.Helper()
	if os.Getenv("CEZANNE_FIGURES") != "1" {
		t.Skip("set CEZANNE_FIGURES=1 (make bench) to measure the figures")
	}
	bin := os.Getenv("CEZANNE_BIN")
	if bin == "" {
		t.Fatal("CEZANNE_BIN must name the built app (make bench sets it)")
	}
	return sandboxtest.StartBinary(t, bin, nil, "--quiet", "--people", "50000")
}

// peopleFigureApp is a new app signed in to desc's 50,000 people, whose
// page fetches wait in the returned queue until drained.
func peopleFigureApp(t *testing.T, desc sandbox.Description) (*App, *[]func()) {
	t.Helper()
	p := &auth.Profile{Name: "figures", BaseURL: desc.BaseURL, ClientID: sandbox.ClientService, GrantType: auth.GrantServiceAccount, Scopes: []string{"APIRead"}}
	if err := p.Normalize(); err != nil {
		t.Fatal(err)
	}
	store := keyring.NewMemoryStore()
	_ = auth.Secrets(store, p).Set(p.Name, keyring.EntryClientSecret, sandboxtest.Secret(desc, sandbox.ClientService))
	var fetches []func()
	a := New(test.NewTempApp(t), Options{
		Profile: p, Store: store, Go: func(f func()) { f() }, Heavy: func(f func()) { f() },
		Fetch:           func(f func()) { fetches = append(fetches, f) },
		Every:           func(context.Context, time.Duration, func()) {},
		Later:           func(_ time.Duration, f func()) func() { f(); return func() {} },
		NewTextPerFrame: -1, // Later runs at once (textbudget.go)
	})
	a.win.Resize(fyne.NewSize(1320, 820))
	a.Start()
	if a.signedIn == nil || a.signedIn.people.rows() != 50000 {
		t.Fatalf("not browsing 50,000 people: %q", a.form().message.Text)
	}
	return a, &fetches
}

func drainAll(fetches *[]func()) {
	for len(*fetches) > 0 {
		f := (*fetches)[0]
		*fetches = (*fetches)[1:]
		f()
	}
}

// TestFigureScroll: scrolling the table to row 45,000 fetches only the pages
// around that row. Each run is a new app (the pages of one run would be in
// the next's cache); the figure is the median.
func TestFigureScroll(t *testing.T) {
	desc := figureSandbox(t)
	rep := figures.NewReporter(os.Stdout, figures.Spec{Name: "scroll_pages_fetched", Budget: figures.AtMost(3)})
	defer rep.Check(t)
	runs := figures.Runs(3)
	var fetched []float64
	for i := 0; i < runs; i++ {
		a, fetches := peopleFigureApp(t, desc)
		v := a.signedIn.people
		before := v.pager.Requests()
		v.table.ScrollTo(widget.TableCellID{Row: 45000, Col: 0})
		drainAll(fetches)
		n := v.pager.Requests() - before
		if got := cellText(t, v, 45000, 0); got == "…" || got == "" {
			t.Fatalf("row 45,000 not shown after scrolling: %q", got)
		}
		if n < 1 {
			t.Fatalf("row 45,000 shown without a page request: the figure would measure nothing")
		}
		fetched = append(fetched, float64(n))
	}
	rep.Add("scroll_pages_fetched", figures.Median(fetched), runs)
}
