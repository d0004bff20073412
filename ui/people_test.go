package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/data"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

// signedInDemo signs in to the demo tenant and returns the People view.
func signedInDemo(t *testing.T) (*uiHarness, *peopleView) {
	t.Helper()
	h := newUIHarness(t, hrRobot(), nil)
	h.app.Start()
	test.Tap(h.app.form.signIn)
	if h.app.signedIn == nil {
		t.Fatalf("not signed in: %q", h.app.form.message.Text)
	}
	h.app.win.Resize(fyne.NewSize(1400, 900))
	return h, h.app.signedIn.people
}

func cellText(t *testing.T, v *peopleView, row, col int) string {
	t.Helper()
	c := newTextCell(v.fitter)
	v.updateCell(widget.TableCellID{Row: row, Col: col}, c)
	return c.full
}

func TestPeopleTableLoadsPagesAroundTheScroll(t *testing.T) {
	h, v := signedInDemo(t)
	if v.columns[0].Name != "FormattedName" || v.columns[1].Name != "EmailAddress" {
		t.Fatalf("default columns %v", v.columns)
	}
	first := cellText(t, v, 0, 0)
	if first == "" || first == "…" {
		t.Fatalf("first row not shown: %q", first)
	}
	before := v.browser.Requests()
	// Far down: a placeholder first, then the row once its page arrived.
	if got := cellText(t, v, 450, 0); got != "…" {
		t.Fatalf("unloaded row shows %q", got)
	}
	if n := h.drain(); n != 1 {
		t.Fatalf("%d page fetches for one row, want 1", n)
	}
	if got := cellText(t, v, 450, 0); got == "…" || got == "" {
		t.Fatalf("row 450 after its page arrived: %q", got)
	}
	if v.browser.Requests() != before+1 {
		t.Fatalf("requests %d → %d", before, v.browser.Requests())
	}
	// Dates in the person's locale (the demo user is en-GB).
	for i, c := range v.columns {
		if c.Name == "StartDate" {
			if got := cellText(t, v, 0, i); !strings.Contains(got, " 20") || strings.Contains(got, "/Date") {
				t.Fatalf("start date shown as %q", got)
			}
		}
	}
}

func TestPeopleSearchSortAndDetails(t *testing.T) {
	h, v := signedInDemo(t)
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
	// Selecting a row shows every property, formatted for people.
	v.showDetail(0)
	if len(v.detail.Items) != 17 {
		t.Fatalf("%d detail rows, want every property (17)", len(v.detail.Items))
	}
	text := map[string]string{}
	for _, it := range v.detail.Items {
		text[it.Text] = it.Widget.(*widget.Label).Text
	}
	if active := text["Is active"]; active != "Yes" && active != "No" {
		t.Fatalf("boolean shown as %q", active)
	}
	if sd := text["Start date"]; strings.Contains(sd, "Date(") || len(sd) < 8 {
		t.Fatalf("start date %q", sd)
	}
	_ = h
}

func TestPeopleColumnsAndExport(t *testing.T) {
	h, v := signedInDemo(t)
	v.setColumns([]string{"LastName", "FirstName", "Department", "Nonsense"})
	if len(v.columns) != 3 || cellText(t, v, 0, 0) == "" {
		t.Fatalf("columns %v", v.columns)
	}
	// The choice survives a relaunch.
	if got := h.app.fyneApp.Preferences().String(prefColumns); !strings.HasPrefix(got, "LastName,FirstName,Department") {
		t.Fatalf("columns not remembered: %q", got)
	}
	path := filepath.Join(t.TempDir(), "people.csv")
	v.exportTo(path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("export: %v (status %q)", err, v.status.Text)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if !strings.HasPrefix(lines[0], "\uFEFFLast name,First name,Department") || len(lines) != 501 {
		t.Fatalf("%d lines, header %q", len(lines), lines[0])
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*.part")); len(left) > 0 {
		t.Fatalf("temporary file left behind: %v", left)
	}
	if !strings.HasPrefix(v.status.Text, "Exported to ") {
		t.Fatalf("status %q", v.status.Text)
	}
}

func TestPeopleErrorsAndRetry(t *testing.T) {
	h, v := signedInDemo(t)
	h.srv.SetFaults(sandbox.Faults{Fail500: 1})
	cellText(t, v, 480, 0)
	h.drain()
	if !v.retry.Visible() || !strings.Contains(v.status.Text, "internal error") {
		t.Fatalf("fetch failure: %q", v.status.Text)
	}
	test.Tap(v.retry)
	if v.retry.Visible() || v.status.Text != "500 people" {
		t.Fatalf("after retry: %q", v.status.Text)
	}
	cellText(t, v, 480, 0)
	h.drain()
	if got := cellText(t, v, 480, 0); got == "…" {
		t.Fatal("row still missing after retry")
	}
}

// Fyne 2.7.1's table lays itself out at zero height when a column width is
// set before it has a size, and then keeps a separator per row for good:
// 50,000 hidden separators, walked on every frame. The view must not show
// rows before it has a height.
func TestPeopleViewDoesNotKeepASeparatorPerRow(t *testing.T) {
	h, v := signedInDemo(t)
	if v.total != 500 {
		t.Fatalf("demo total %d", v.total)
	}
	fresh := newPeopleView(&loaded{client: v.client, entity: v.entity, version: v.version,
		info: &data.TokenInfo{}, browser: v.browser}, h.app.peopleActions(h.app.signedIn))
	w := test.NewTempWindow(t, fresh.content)
	w.Resize(fyne.NewSize(1200, 700))
	separators := 0
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) { // hidden ones too, unlike test.LaidOutObjects
		switch o := o.(type) {
		case *widget.Separator:
			separators++
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(o).Objects() {
				walk(c)
			}
		case *fyne.Container:
			for _, c := range o.Objects {
				walk(c)
			}
		}
	}
	walk(fresh.content)
	// The rows on screen and the columns, not the 500 rows of the set.
	if separators == 0 || separators > 60 {
		t.Fatalf("%d separators in a table showing about 20 rows", separators)
	}
	if got := cellText(t, fresh, 0, 0); got == "" || got == "…" {
		t.Fatalf("first row not shown: %q", got)
	}
}

// A scrollbar drag renders a frame every few milliseconds; only the rows of
// the last frame are fetched, not every page between the frames.
func TestPeopleFetchesOnlyWhatTheLastFrameShowed(t *testing.T) {
	h, v := signedInDemo(t)
	h.drain()
	if _, ok := v.browser.Cached(250); ok {
		t.Fatal("page 1 loaded before the drag")
	}
	before := v.browser.Requests()
	now := time.Now()
	for row := 250; row < 270; row++ {
		v.misses = append(v.misses, miss{row, now})
	}
	for row := 440; row < 460; row++ {
		v.misses = append(v.misses, miss{row, now.Add(16 * time.Millisecond)})
	}
	v.fetchMissed()
	if n := h.drain(); n != 1 || v.browser.Requests() != before+1 {
		t.Fatalf("%d fetches, %d requests for one frame's rows", n, v.browser.Requests()-before)
	}
	if _, ok := v.browser.Cached(450); !ok {
		t.Fatal("the last frame's rows were not fetched")
	}
	if _, ok := v.browser.Cached(250); ok {
		t.Fatal("rows flown past were fetched")
	}
}
