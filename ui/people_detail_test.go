package ui

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/data"
)

func TestPeopleDetails(t *testing.T) {
	_, v := signedInDemo(t)
	// Selecting a row shows every property, formatted for people.
	v.showDetail(0)
	if len(v.detail.Items) != 17 {
		t.Fatalf("%d detail rows, want every property (17)", len(v.detail.Items))
	}
	text := map[string]string{}
	for _, it := range v.detail.Items {
		text[it.Text] = shownText(it.Widget)
	}
	if active := text["Is active"]; active != "Yes" && active != "No" {
		t.Fatalf("boolean shown as %q", active)
	}
	if sd := text["Start date"]; strings.Contains(sd, "Date(") || len(sd) < 8 {
		t.Fatalf("start date %q", sd)
	}
}

// shownDetails reads the Details pane as it is drawn: each label and the
// text of the value beside it, from the form's rendered grid rather than
// its Items, which Fyne can leave out of step with what is on screen.
func shownDetails(t *testing.T, v *peopleView) [][2]string {
	t.Helper()
	form := v.detail
	var grid *fyne.Container
	for _, o := range test.WidgetRenderer(form).Objects() {
		if c, ok := o.(*fyne.Container); ok && len(c.Objects) > 0 {
			grid, _ = c.Objects[0].(*fyne.Container) // the items, above the buttons
			break
		}
	}
	if grid == nil || len(grid.Objects)%2 != 0 {
		t.Fatalf("details form has no grid of label and value pairs")
	}
	var out [][2]string
	for i := 0; i < len(grid.Objects); i += 2 {
		label := grid.Objects[i].(*fyne.Container).Objects[0].(*canvas.Text).Text
		out = append(out, [2]string{label, shownText(grid.Objects[i+1])})
	}
	return out
}

// shownText is the text a value widget of the Details pane shows.
func shownText(o fyne.CanvasObject) string {
	switch w := o.(type) {
	case *widget.Label:
		return w.Text
	case *widget.Hyperlink:
		return w.Text
	case *widget.Button:
		return w.Text
	case *fyne.Container:
		var parts []string
		for _, c := range w.Objects {
			if c.Visible() {
				if s := shownText(c); s != "" {
					parts = append(parts, s)
				}
			}
		}
		return strings.Join(parts, " ")
	}
	return ""
}

func TestPeopleDetailsFollowTheSelection(t *testing.T) {
	h, v := signedInDemo(t)
	test.NewTempWindow(t, v.content).Resize(fyne.NewSize(1400, 900))
	for _, tc := range []struct {
		name string
		rows []widget.TableCellID
	}{
		{"one row", []widget.TableCellID{{Row: 0, Col: 0}}},
		{"row A then row B", []widget.TableCellID{{Row: 0, Col: 0}, {Row: 1, Col: 2}}},
		{"B then far down then back up", []widget.TableCellID{{Row: 1, Col: 0}, {Row: 7, Col: 1}, {Row: 3, Col: 0}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, id := range tc.rows {
				v.table.Select(id)
				h.drain()
			}
			last := tc.rows[len(tc.rows)-1].Row
			r, ok := v.pager.Cached(last)
			if !ok {
				t.Fatalf("row %d not loaded", last)
			}
			got := shownDetails(t, v)
			if len(got) != len(v.entity.Properties) {
				t.Fatalf("%d detail rows shown, want %d: %q", len(got), len(v.entity.Properties), got)
			}
			for i, p := range v.entity.Properties {
				want := expectedDetail(t, v, r, p)
				if got[i] != want {
					t.Errorf("detail row %d shows %q, want %q", i, got[i], want)
				}
			}
		})
	}
}

// expectedDetail is the label and value the Details pane should show for a
// property of r: a manager by name, everything else formatted.
func expectedDetail(t *testing.T, v *peopleView, r data.Record, p data.Property) [2]string {
	t.Helper()
	if p.Name != "ManagerGuid" {
		return [2]string{data.ColumnTitle(p.Name), data.FormatProperty(r[p.Name], p, v.locale)}
	}
	if r[p.Name] == nil {
		return [2]string{"Manager", ""}
	}
	m, err := v.client.PersonByGUID(context.Background(), "PersonGuid", r[p.Name].(string), v.version)
	if err != nil || m == nil {
		t.Fatalf("manager %v: %v", r[p.Name], err)
	}
	return [2]string{"Manager", m["FormattedName"].(string)}
}

// managerLink is the link to the manager in the Details pane.
func managerLink(t *testing.T, v *peopleView) *widget.Hyperlink {
	t.Helper()
	for _, it := range v.detail.Items {
		if it.Text != "Manager" {
			continue
		}
		if c, ok := it.Widget.(*fyne.Container); ok && len(c.Objects) == 1 {
			if l, ok := c.Objects[0].(*widget.Hyperlink); ok {
				return l
			}
		}
		t.Fatalf("the manager is not a link: %#v", it.Widget)
	}
	t.Fatalf("no Manager in the details")
	return nil
}

func TestPeopleManagerIsNamedAndOneClickAway(t *testing.T) {
	for _, tc := range []struct {
		name string
		// search narrows the list before the employee is selected.
		search func(employee data.Record) string
	}{
		{"manager in the list", func(data.Record) string { return "" }},
		{"manager outside the search", func(e data.Record) string { return e["EmailAddress"].(string) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, v := signedInDemo(t)
			test.NewTempWindow(t, v.content).Resize(fyne.NewSize(1400, 900))
			employee, manager := managedPerson(t, v)
			if s := tc.search(employee); s != "" {
				v.search.SetText(s)
				v.applySearch()
			}
			row := loadedRow(v, employee["PersonGuid"])
			if row < 0 {
				t.Fatalf("%v not in the list", employee["FormattedName"])
			}
			v.table.Select(widget.TableCellID{Row: row, Col: 1})
			h.drain()
			link := managerLink(t, v)
			if link.Text != manager["FormattedName"] {
				t.Fatalf("manager shown as %q, want %q", link.Text, manager["FormattedName"])
			}
			// Over the text: a hyperlink ignores taps on its padding.
			test.TapAt(link, fyne.NewPos(theme.InnerPadding()+4, link.Size().Height/2))
			h.drain()
			if v.selected < 0 || loadedRow(v, manager["PersonGuid"]) != v.selected {
				t.Fatalf("after going to the manager, row %d is selected, the manager is row %d", v.selected, loadedRow(v, manager["PersonGuid"]))
			}
			if got := shownDetails(t, v); got[0][1] != manager["PersonGuid"] {
				t.Fatalf("details show %q, not the manager", got[0])
			}
			if tc.search(employee) != "" && v.search.Text != manager["EmailAddress"] {
				t.Fatalf("search %q does not find the manager", v.search.Text)
			}
			if tc.search(employee) == "" && v.search.Text != "" {
				t.Fatalf("the search became %q for a manager in the list", v.search.Text)
			}
		})
	}
}

// managedPerson is someone in the first loaded rows whose manager is also
// there, and that manager.
func managedPerson(t *testing.T, v *peopleView) (employee, manager data.Record) {
	t.Helper()
	for i := 0; i < v.rows(); i++ {
		e, ok := v.pager.Cached(i)
		if !ok || e["ManagerGuid"] == nil {
			continue
		}
		if m := loadedRow(v, e["ManagerGuid"]); m >= 0 {
			r, _ := v.pager.Cached(m)
			return e, r
		}
	}
	t.Fatal("no one with a manager among the loaded rows")
	return nil, nil
}

// loadedRow is the row of the person with this GUID, -1 if not loaded.
func loadedRow(v *peopleView, guid any) int {
	for i := 0; i < v.rows(); i++ {
		if r, ok := v.pager.Cached(i); ok && r["PersonGuid"] == guid {
			return i
		}
	}
	return -1
}

func TestPeopleDetailsWrapBetweenWordsInANarrowWindow(t *testing.T) {
	for _, size := range []fyne.Size{{Width: 1024, Height: 768}, {Width: 800, Height: 600}} {
		t.Run(fmt.Sprintf("%.0fx%.0f", size.Width, size.Height), func(t *testing.T) {
			h, v := signedInDemo(t)
			w := test.NewTempWindow(t, v.content)
			w.Resize(size)
			checked := 0
			for row := range 10 {
				v.table.Select(widget.TableCellID{Row: row, Col: 0})
				h.drain()
				for _, it := range v.detail.Items {
					l, ok := valueLabel(it.Widget)
					if !ok || !strings.Contains(l.Text, " ") || !wordsFit(l) {
						continue
					}
					if lines := shownLines(l); strings.Join(lines, " ") != l.Text {
						t.Fatalf("%s %q is drawn as %q in a %.0f wide value", it.Text, l.Text, lines, l.Size().Width)
					}
					checked++
				}
			}
			if checked < 30 {
				t.Fatalf("only %d values of several words checked", checked)
			}
		})
	}
}

// valueLabel is the label a row of the Details pane shows, if it shows one
// (not a link): the pane holds each value in a container of its own.
func valueLabel(o fyne.CanvasObject) (*widget.Label, bool) {
	if c, ok := o.(*fyne.Container); ok && len(c.Objects) == 1 {
		o = c.Objects[0]
	}
	l, ok := o.(*widget.Label)
	return l, ok
}

// wordsFit says whether each word of a label fits its width on its own.
func wordsFit(l *widget.Label) bool {
	room := l.Size().Width - 2*theme.InnerPadding()
	for _, word := range strings.Fields(l.Text) {
		if fyne.MeasureText(word, theme.TextSize(), l.TextStyle).Width > room {
			return false
		}
	}
	return true
}

// shownLines are the lines a label draws.
func shownLines(l *widget.Label) []string {
	var lines []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch o := o.(type) {
		case *canvas.Text:
			if o.Visible() && o.Text != "" {
				lines = append(lines, strings.TrimSpace(o.Text))
			}
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
	walk(l)
	return lines
}

func TestPeopleManagerIsLookedUpOnce(t *testing.T) {
	h, v := signedInDemo(t)
	h.drain()
	byManager := map[any][]int{}
	for i := 0; i < v.rows(); i++ {
		if r, ok := v.pager.Cached(i); ok && r["ManagerGuid"] != nil {
			byManager[r["ManagerGuid"]] = append(byManager[r["ManagerGuid"]], i)
		}
	}
	var rows []int
	for _, rs := range byManager {
		if len(rs) >= 3 {
			rows = rs[:3]
			break
		}
	}
	if rows == nil {
		t.Fatal("no three people with one manager")
	}
	for _, tc := range []struct {
		name    string
		row     int
		drain   bool
		fetches int // look-ups queued after the selection
	}{
		{"first of a team", rows[0], false, 1},
		{"second while the first look-up runs", rows[1], true, 1},
		{"third once the name is known", rows[2], false, 0},
	} {
		v.table.Select(widget.TableCellID{Row: tc.row, Col: 0})
		if len(h.fetches) != tc.fetches {
			t.Fatalf("%s: %d look-ups queued, want %d", tc.name, len(h.fetches), tc.fetches)
		}
		if tc.drain {
			h.drain()
			if link := managerLink(t, v); link.Text == "" {
				t.Fatalf("%s: no manager name", tc.name)
			}
		}
	}
	if link := managerLink(t, v); link.Text == "" {
		t.Fatal("no manager name from what was known")
	}
}

// TestSamePersonEveryDialectInTableAndDetails: the same person, served as
// OData v2, v3 and v4 JSON with each version's own $metadata (the fixtures
// of the data package), reads the same in every table cell and every line
// of the Details pane: "14:00" whether the service said PT14H00M00S or
// 14:00:00.000, -5.50 whether it sent "-5.5" or -5.5, a GUID in lower case
// whichever case it came in (also the manager's, when they are not found).
func TestSamePersonEveryDialectInTableAndDetails(t *testing.T) {
	h, _ := signedInDemo(t)
	var first []string
	for _, version := range []string{"v2", "v3", "v4"} {
		t.Run(version, func(t *testing.T) {
			metadata, err := os.ReadFile(filepath.Join("..", "data", "testdata", "dialects", version+"-metadata.xml"))
			if err != nil {
				t.Fatal(err)
			}
			people, err := os.ReadFile(filepath.Join("..", "data", "testdata", "dialects", version+"-people.json"))
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.URL.Path, "/$metadata") {
					_, _ = w.Write(metadata)
					return
				}
				if r.URL.Query().Has("$filter") {
					// The manager's look-up finds no one: Details shows
					// their GUID, as the table does.
					http.NotFound(w, r)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write(people)
			}))
			t.Cleanup(srv.Close)
			c := &data.Client{HTTP: srv.Client(), ServiceURL: srv.URL + "/DataService.svc"}
			m, err := c.Metadata(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			et, _ := m.EntitySet(data.PeopleSet)
			pager := c.NewPager(data.PeopleSet, data.Query{Version: m.Version}, data.PagerOptions{})
			if err := pager.Open(context.Background()); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(pager.Close)
			v := newPeopleView(&loaded{client: c, entity: et, version: m.Version, info: &data.TokenInfo{LocaleName: "en-GB"}, pager: pager},
				h.app.peopleActions(h.app.signedIn))
			v.columns = et.Properties
			v.showDetail(0)
			details := shownDetails(t, v)
			var got []string
			for col, p := range et.Properties {
				cell := cellText(t, v, 0, col)
				if details[col][1] != cell {
					t.Errorf("%s: the table shows %q, the details %q", p.Name, cell, details[col][1])
				}
				got = append(got, p.Name+": "+cell)
			}
			if first == nil {
				first = got
				// The v2 text itself, so that three equally wrong texts fail too.
				for _, want := range []string{"Salary: -5.50", "EmployeeNumber: -9007199254740993", "LastLogin: 2 Jan 2024 03:04:05 UTC+01:00",
					"ShiftStart: 14:00", "BreakLength: 00:30", "Score: 15000000000", "PersonGuid: 5f0c6b1a-2d3e-4f50-8a9b-0c1d2e3f4a5b",
					"ManagerGuid: 0a0b0c0d-0000-4000-8000-000000000001"} {
					if !slices.Contains(got, want) {
						t.Errorf("v2 shows no %q: %q", want, got)
					}
				}
				return
			}
			if !slices.Equal(got, first) {
				t.Errorf("%s shows\n%q\nv2 shows\n%q", version, got, first)
			}
		})
	}
}

// TestPeopleDetailsIgnoreALateAnswerAboutThePersonBefore: the pane is filled
// in place, so the answer about A's manager, arriving after the answer
// about B's (another manager), must not put A's manager in B's details.
func TestPeopleDetailsIgnoreALateAnswerAboutThePersonBefore(t *testing.T) {
	h, v := signedInDemo(t)
	test.NewTempWindow(t, v.content).Resize(fyne.NewSize(1400, 900))
	a, _ := managedPerson(t, v)
	rowB := -1
	for i := 0; i < v.rows() && rowB < 0; i++ {
		if r, ok := v.pager.Cached(i); ok && r["ManagerGuid"] != nil && r["ManagerGuid"] != a["ManagerGuid"] {
			rowB = i
		}
	}
	if rowB < 0 {
		t.Fatal("no one with another manager among the loaded rows")
	}
	v.showDetail(loadedRow(v, a["PersonGuid"])) // the look-ups wait in the harness
	v.showDetail(rowB)
	if len(h.fetches) != 2 {
		t.Fatalf("%d look-ups waiting, want A's manager's and B's", len(h.fetches))
	}
	slices.Reverse(h.fetches) // B's answer first, A's late
	h.drain()
	b, _ := v.pager.Cached(rowB)
	got := shownDetails(t, v)
	for i, p := range v.entity.Properties {
		if want := expectedDetail(t, v, b, p); got[i] != want {
			t.Errorf("detail row %d shows %q, want %q (B's)", i, got[i], want)
		}
	}
}
