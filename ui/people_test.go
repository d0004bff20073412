package ui

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/data"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

func TestPeopleSearch(t *testing.T) {
	_, v := signedInDemo(t)
	// Search for an apostrophe name, case-insensitively.
	v.search.SetText("o'brien")
	v.applySearch()
	n := v.rows()
	if n == 0 || n >= 500 || v.status.Text != thousands(n)+" of 500 people match" {
		t.Fatalf("search: %d rows, status %q", n, v.status.Text)
	}
	for i := 0; i < min(n, 20); i++ {
		if name := cellText(t, v, i, 0); !strings.Contains(name, "O'Brien") {
			t.Fatalf("row %d %q does not match o'brien", i, name)
		}
	}
	v.search.SetText("")
	v.applySearch()
	if v.rows() != 500 || v.status.Text != "500 people" {
		t.Fatalf("cleared search: %d, %q", v.rows(), v.status.Text)
	}
}

func TestPeopleSortByHeader(t *testing.T) {
	_, v := signedInDemo(t)
	// Sort by email by tapping its header, then reverse.
	header := widget.NewButton("", nil)
	v.updateHeader(widget.TableCellID{Row: -1, Col: 1}, header)
	test.Tap(header)
	a, b := cellText(t, v, 0, 1), cellText(t, v, 1, 1)
	if a > b || v.sort.Property != "EmailAddress" || v.sort.Desc {
		t.Fatalf("ascending email: %q then %q (%+v)", a, b, v.sort)
	}
	v.updateHeader(widget.TableCellID{Row: -1, Col: 1}, header)
	if header.Text != "Email" || header.Icon != theme.MenuDropUpIcon() {
		t.Fatalf("header %q, icon %v: does not show the order", header.Text, header.Icon)
	}
	test.Tap(header)
	if c := cellText(t, v, 0, 1); c < a || !v.sort.Desc {
		t.Fatalf("descending email starts with %q", c)
	}
	v.updateHeader(widget.TableCellID{Row: -1, Col: 1}, header)
	if header.Icon != theme.MenuDropDownIcon() {
		t.Fatalf("descending header icon %v", header.Icon)
	}
	v.updateHeader(widget.TableCellID{Row: -1, Col: 0}, header)
	if header.Icon != nil {
		t.Fatalf("unsorted column with icon %v", header.Icon)
	}
}

func TestPeopleErrorsAndRetry(t *testing.T) {
	h, v := signedInDemo(t)
	h.srv.SetFaults(sandbox.Faults{Fail500: 1})
	cellText(t, v, 480, 0)
	h.drain()
	if !v.banner.Visible() || !strings.Contains(v.errText.Text, "internal error") {
		t.Fatalf("fetch failure: %q", v.errText.Text)
	}
	test.Tap(v.retry)
	if v.banner.Visible() || v.status.Text != "500 people" {
		t.Fatalf("after retry: banner shown %v, status %q", v.banner.Visible(), v.status.Text)
	}
	cellText(t, v, 480, 0)
	h.drain()
	if got := cellText(t, v, 480, 0); got == "…" {
		t.Fatal("row still missing after retry")
	}
}

func TestPeopleSearchWithNoMatchShowsAnEmptyStateAndClears(t *testing.T) {
	for _, tc := range []struct {
		name  string
		clear func(v *peopleView)
	}{
		{"Clear search in the empty state", func(v *peopleView) { test.Tap(v.emptyClear) }},
		{"the clear button in the search box", func(v *peopleView) { test.Tap(v.searchClear) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, v := signedInDemo(t)
			if v.searchClear.Visible() {
				t.Fatal("the search box offers to clear an empty search")
			}
			v.search.SetText("xyzzy")
			v.applySearch()
			if v.rows() != 0 {
				t.Fatalf("%d rows match xyzzy", v.rows())
			}
			if !v.empty.Visible() || v.emptyText.Text != "No one matches “xyzzy”." || !v.emptyClear.Visible() {
				t.Fatalf("empty state shown %v, %q", v.empty.Visible(), v.emptyText.Text)
			}
			if !v.searchClear.Visible() {
				t.Fatal("no one-click clear in the search box")
			}
			tc.clear(v)
			if v.search.Text != "" || v.rows() != 500 || v.status.Text != "500 people" {
				t.Fatalf("after clearing: search %q, %d rows, %q", v.search.Text, v.rows(), v.status.Text)
			}
			if v.empty.Visible() || v.searchClear.Visible() {
				t.Fatal("the empty state or the clear button stayed after clearing")
			}
		})
	}
}

func TestPeopleDefaultSortIsShownInItsHeader(t *testing.T) {
	_, v := signedInDemo(t)
	header := widget.NewButton("", nil)
	v.updateHeader(widget.TableCellID{Row: -1, Col: 0}, header)
	if header.Text != "Name" || header.Icon != theme.MenuDropUpIcon() {
		t.Fatalf("Name header %q with icon %v: the default order by name is not shown", header.Text, header.Icon)
	}
	// Tapping Name reverses the order by last name, as the icon promises.
	test.Tap(header)
	v.updateHeader(widget.TableCellID{Row: -1, Col: 0}, header)
	if header.Icon != theme.MenuDropDownIcon() || v.sort != (data.Order{Property: "LastName", Desc: true}) {
		t.Fatalf("after a tap: icon %v, order %+v", header.Icon, v.sort)
	}
}

func TestPeopleTiesAreOrderedByName(t *testing.T) {
	for _, column := range []string{"Department", "JobTitle", "IsActive"} {
		t.Run(column, func(t *testing.T) {
			_, v := signedInDemo(t)
			v.sortBy(column)
			ties := 0
			for i := 1; i < v.rows(); i++ {
				a, okA := v.pager.Cached(i - 1)
				b, okB := v.pager.Cached(i)
				if !okA || !okB {
					break
				}
				if data.FormatValue(a[column]) != data.FormatValue(b[column]) {
					continue
				}
				ties++
				ka := fmt.Sprint(a["LastName"], "\x00", a["FirstName"])
				kb := fmt.Sprint(b["LastName"], "\x00", b["FirstName"])
				if ka > kb {
					t.Fatalf("rows %d and %d, both %v: %s %s before %s %s", i-1, i, a[column], a["FirstName"], a["LastName"], b["FirstName"], b["LastName"])
				}
			}
			if ties < 10 {
				t.Fatalf("only %d ties checked", ties)
			}
		})
	}
}

func TestPeopleSearchBoxKeys(t *testing.T) {
	for _, tc := range []struct {
		name  string
		key   fyne.KeyName
		check func(t *testing.T, w fyne.Window, v *peopleView)
	}{
		{"Escape clears the search", fyne.KeyEscape, func(t *testing.T, _ fyne.Window, v *peopleView) {
			if v.search.Text != "" || v.rows() != 500 {
				t.Fatalf("after Escape: search %q, %d rows", v.search.Text, v.rows())
			}
		}},
		{"Down goes to the first match", fyne.KeyDown, func(t *testing.T, w fyne.Window, v *peopleView) {
			if w.Canvas().Focused() != v.keys || v.selected != 0 {
				t.Fatalf("after Down: focus on %T, row %d selected", w.Canvas().Focused(), v.selected)
			}
			if name := cellText(t, v, 0, 0); !strings.Contains(name, "O'Brien") {
				t.Fatalf("the first match is %q", name)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, v := signedInDemo(t)
			w := test.NewTempWindow(t, v.content)
			w.Resize(fyne.NewSize(1400, 900))
			w.Canvas().Focus(v.searchBox)
			test.Type(v.searchBox, "o'brien")
			v.applySearch()
			h.drain()
			if v.rows() == 0 || v.rows() == 500 {
				t.Fatalf("%d rows match o'brien", v.rows())
			}
			w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: tc.key})
			tc.check(t, w, v)
		})
	}
}

// TestPeopleStatusShowsLongMessagesInFull: the line under the list wraps a
// long message (where an export went, why it failed) instead of cutting
// off the file name or the reason, and pushes nothing aside.
func TestPeopleStatusShowsLongMessagesInFull(t *testing.T) {
	long := "/home/someone/Documents/Human Resources/Exports/2026/December/people-acme-cezanneondemand-2026-12-01.csv"
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		{"exported", nil, "Exported to " + long},
		{"failed", fmt.Errorf("could not write %s: no space left on device", long), "Export failed: Could not write " + long},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h, v := signedInDemo(t)
			size := fyne.NewSize(800, 600)
			h.app.win.Resize(size)
			v.exported(long, false, tt.err)
			h.app.win.Resize(size)
			if !strings.HasPrefix(v.status.Text, tt.want) || v.status.Truncation != fyne.TextTruncateOff || v.status.Wrapping == fyne.TextWrapOff {
				t.Fatalf("status %q, truncation %v, wrapping %v", v.status.Text, v.status.Truncation, v.status.Wrapping)
			}
			if m := h.app.win.Content().MinSize(); m.Width > size.Width {
				t.Fatalf("the message makes the view %v wide", m.Width)
			}
		})
	}
}

// TestPeopleErrorBannerPushesTheListDown: when people cannot be loaded
// the banner takes room of its own above the list, at once: it was drawn
// over the column headers until the window was resized.
func TestPeopleErrorBannerPushesTheListDown(t *testing.T) {
	for _, tt := range []struct {
		name string
		size fyne.Size
		msg  string
	}{
		{"short, wide window", fyne.NewSize(1366, 768), "internal error"},
		{"long, 800×600", fyne.NewSize(800, 600), strings.Repeat("The tenant had an internal error reading People. ", 4)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h, v := signedInDemo(t)
			h.app.win.Resize(tt.size)
			v.failed(errors.New(tt.msg))
			d := fyne.CurrentApp().Driver()
			bannerEnd := d.AbsolutePositionForObject(v.errText).Y + v.errText.Size().Height
			textEnd := d.AbsolutePositionForObject(v.errText).Y + v.errText.MinSize().Height
			listTop := d.AbsolutePositionForObject(v.tableView).Y
			if bannerEnd > listTop || textEnd > listTop {
				t.Fatalf("the error (to %v, its text to %v) runs over the list (from %v)", bannerEnd, textEnd, listTop)
			}
		})
	}
}

// TestPeopleFailedSortLeavesTheArrowWithTheRows: when the server fails the
// sorted request the rows stay in the order they were in, so the header's
// arrow stays with them (it used to show the order asked for over rows in
// the old one), the banner says what the server said, an export writes the
// order shown, and Retry asks for the sort again.
func TestPeopleFailedSortLeavesTheArrowWithTheRows(t *testing.T) {
	for _, tc := range []struct {
		name string
		tap  string // the header tapped
		// fail makes the server fail the sorted request.
		fail    func(t *testing.T, h *uiHarness, v *peopleView)
		errText string
		// after Retry: the order shown (the sort asked for, unless the
		// server still refuses it).
		retried data.Order
	}{
		{"HTTP 500 on a new column", "Email", failNextCall, "internal error",
			data.Order{Property: "EmailAddress"}},
		{"HTTP 500 on reversing the order", "Name", failNextCall, "internal error",
			data.Order{Property: "LastName", Desc: true}},
		{"a strict server refusing the order", "Email", refuseOrderBy("EmailAddress"), "Parsing URL failed at position 80",
			data.Order{Property: "LastName"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, v := signedInDemo(t)
			before := data.Order{Property: "LastName"}
			checkArrow(t, v, before)
			tc.fail(t, h, v)
			test.Tap(headerButton(t, v, tc.tap))
			h.drain()
			if !v.banner.Visible() || !strings.Contains(v.errText.Text, tc.errText) {
				t.Fatalf("failed sort: banner shown %v, %q", v.banner.Visible(), v.errText.Text)
			}
			checkArrow(t, v, before)
			if q := v.query(); q.OrderBy[0] != before {
				t.Fatalf("an export would sort by %+v, the rows by %+v", q.OrderBy[0], before)
			}
			test.Tap(v.retry)
			h.drain()
			checkArrow(t, v, tc.retried)
		})
	}
}

// failNextCall makes the sandbox answer the next API call, the sorted
// request, with HTTP 500.
func failNextCall(t *testing.T, h *uiHarness, _ *peopleView) {
	t.Helper()
	if err := h.srv.SetFaults(sandbox.Faults{Fail500: 1}); err != nil {
		t.Fatal(err)
	}
}

// refuseOrderBy answers every request ordered by prop with HTTP 400 and an
// OData v4 error, as a strict server refuses an order it cannot parse.
func refuseOrderBy(prop string) func(*testing.T, *uiHarness, *peopleView) {
	return func(_ *testing.T, _ *uiHarness, v *peopleView) {
		c := *v.client
		hc := *c.HTTP
		hc.Transport = refusingTransport{next: hc.Transport, prop: prop}
		c.HTTP = &hc
		v.client = &c
	}
}

type refusingTransport struct {
	next http.RoundTripper
	prop string
}

func (r refusingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !strings.HasPrefix(req.URL.Query().Get("$orderby"), r.prop) {
		next := r.next
		if next == nil {
			next = http.DefaultTransport
		}
		return next.RoundTrip(req)
	}
	body := `{"error":{"code":"400","message":"Parsing URL failed at position 80"}}`
	return &http.Response{StatusCode: http.StatusBadRequest, Status: "400 Bad Request", Request: req,
		Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}},
		Body:   io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body))}, nil
}

// headerButton is the header of the table's column titled title, as laid
// out on screen.
func headerButton(t *testing.T, v *peopleView, title string) *widget.Button {
	t.Helper()
	v.table.Refresh()
	for _, o := range test.LaidOutObjects(v.tableView) {
		if b, ok := o.(*widget.Button); ok && b.Text == title {
			return b
		}
	}
	t.Fatalf("no %q header in the table", title)
	return nil
}

// checkArrow checks that the table's headers on screen show want (an
// arrow on its column only, pointing its way) and that the rows are in
// that order.
func checkArrow(t *testing.T, v *peopleView, want data.Order) {
	t.Helper()
	headerButton(t, v, "Email") // refreshed, and laid out
	titles := map[string]string{}
	for _, col := range v.columns {
		titles[data.ColumnTitle(col.Name)] = col.Name
	}
	seen := 0
	for _, o := range test.LaidOutObjects(v.tableView) {
		b, ok := o.(*widget.Button)
		col, header := titles[textOf(o)]
		if !ok || !header {
			continue
		}
		var wantIcon fyne.Resource
		if v.sortKey(col) == want.Property {
			wantIcon = map[bool]fyne.Resource{false: theme.MenuDropUpIcon(), true: theme.MenuDropDownIcon()}[want.Desc]
		}
		if b.Icon != wantIcon {
			t.Fatalf("rows sorted by %+v: header %s shows %s, want %s", want, col, arrowName(b.Icon), arrowName(wantIcon))
		}
		seen++
	}
	if seen < 2 {
		t.Fatalf("%d headers on screen", seen)
	}
	checked := 0
	for i := 1; i < v.rows(); i++ {
		a, okA := v.pager.Cached(i - 1)
		b, okB := v.pager.Cached(i)
		if !okA || !okB {
			break
		}
		c := strings.Compare(fmt.Sprint(a[want.Property]), fmt.Sprint(b[want.Property]))
		if want.Desc {
			c = -c
		}
		if c > 0 {
			t.Fatalf("the arrow shows %+v, but row %d (%v) comes before row %d (%v)", want, i-1, a[want.Property], i, b[want.Property])
		}
		checked++
	}
	if checked < 100 {
		t.Fatalf("only %d rows checked", checked)
	}
}

func arrowName(icon fyne.Resource) string {
	switch icon {
	case nil:
		return "no arrow"
	case theme.MenuDropUpIcon():
		return "the up arrow"
	case theme.MenuDropDownIcon():
		return "the down arrow"
	}
	return icon.Name()
}

// TestPeopleFailedSearchLeavesTheExportWithTheRows: a search the server
// fails leaves the rows as they were, and an export writes those rows, not
// the search that failed; Retry, or Enter in the search box, asks for the
// search again.
func TestPeopleFailedSearchLeavesTheExportWithTheRows(t *testing.T) {
	for _, tc := range []struct {
		name  string
		again func(v *peopleView)
	}{
		{"Retry", func(v *peopleView) { test.Tap(v.retry) }},
		{"Enter", func(v *peopleView) { v.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, v := signedInDemo(t)
			failNextCall(t, h, v)
			v.search.SetText("o'brien") // searched at once: the harness's typing pause is none
			if !v.banner.Visible() || v.rows() != 500 {
				t.Fatalf("failed search: banner shown %v, %d rows", v.banner.Visible(), v.rows())
			}
			if q := v.query(); q.Filter != "" {
				t.Fatalf("an export of the 500 rows shown would filter on %q", q.Filter)
			}
			tc.again(v)
			if n := v.rows(); n == 0 || n >= 500 || v.query().Filter == "" || v.status.Text != thousands(n)+" of 500 people match" {
				t.Fatalf("after %s: %d rows, filter %q, status %q", tc.name, n, v.query().Filter, v.status.Text)
			}
		})
	}
}
