package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/data"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/tuning"
)

func TestPeopleTableLoadsPagesAroundTheScroll(t *testing.T) {
	h, v := signedInDemo(t)
	if v.columns[0].Name != "FormattedName" || v.columns[1].Name != "EmailAddress" {
		t.Fatalf("default columns %v", v.columns)
	}
	first := cellText(t, v, 0, 0)
	if first == "" || first == "…" {
		t.Fatalf("first row not shown: %q", first)
	}
	before := v.pager.Requests()
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
	if v.pager.Requests() != before+1 {
		t.Fatalf("requests %d → %d", before, v.pager.Requests())
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

// The table's cells are where new text comes from while a person scrolls:
// each filled cell tells the tuning what it shows as Fyne's text, which
// sets how long Fyne keeps the textures (internal/tuning); text a cell
// draws itself has no texture of Fyne's, and is told as "", busy.
func TestPeopleTableTellsTheTuningWhatCellsShow(t *testing.T) {
	for _, ownGlyphs := range []bool{false, true} {
		_, v := signedInDemo(t)
		if !ownGlyphs {
			v.fitter.drawer = nil
		}
		var shown []string
		cellShown = func(s string) { shown = append(shown, s) }
		t.Cleanup(func() { cellShown = tuning.Shown })
		var want []string
		for row := 0; row < 3; row++ {
			want = append(want, cellText(t, v, row, 0))
		}
		for _, w := range want {
			if w == "" || slices.Contains(shown, w) == ownGlyphs {
				t.Fatalf("own glyphs %v: cells showed %q; the tuning was told %q", ownGlyphs, want, shown)
			}
		}
		if ownGlyphs && !slices.Contains(shown, "") {
			t.Fatalf("cells drawing their own glyphs told the tuning nothing")
		}
	}
}

// The table's cells leave their size to the table (textCell.MinSize), at
// the top and after a scroll, and still get a row as high as they need.
func TestPeopleTableCellsLeaveTheirSizeToTheTable(t *testing.T) {
	h, v := signedInDemo(t)
	need := newTextCell(v.fitter).MinSize() // a cell the table never placed
	if need.Height <= v.fitter.lineHeight {
		t.Fatalf("a cell outside the table asks for %v", need)
	}
	for _, row := range []int{0, 200} {
		v.table.ScrollTo(widget.TableCellID{Row: row, Col: 0})
		h.drain()
		cells := shownCells(h.app.win.Content())
		if len(cells) < 20 {
			t.Fatalf("%d cells on screen at row %d", len(cells), row)
		}
		for _, c := range cells {
			if got := c.MinSize(); got != (fyne.Size{}) {
				t.Fatalf("at row %d a cell showing %q asks for %v", row, c.Shown(), got)
			}
			if got := c.Size().Height; got < need.Height {
				t.Fatalf("at row %d a cell showing %q is %v high, needs %v", row, c.Shown(), got, need.Height)
			}
		}
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
		info: &data.TokenInfo{}, pager: v.pager}, h.app.peopleActions(h.app.signedIn))
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

func TestPeopleTableSelectsWholeRowsAndFollowsTheKeys(t *testing.T) {
	h, v := signedInDemo(t)
	w := test.NewTempWindow(t, v.content)
	w.Resize(fyne.NewSize(1400, 900))
	// A click on the third row's email (the Name column is 200 wide).
	row := v.fitter.cellHeight(theme.InnerPadding()) + theme.Padding()
	test.TapAt(v.keys, fyne.NewPos(230, v.headerHeight+theme.Padding()+2.5*row))
	if v.selected != 2 || w.Canvas().Focused() != v.keys {
		t.Fatalf("a click selected row %d, focus on %T", v.selected, w.Canvas().Focused())
	}
	for _, tc := range []struct {
		key  fyne.KeyName
		want int // the row selected after the key
	}{
		{fyne.KeyDown, 3},
		{fyne.KeyDown, 4},
		{fyne.KeyUp, 3},
		{fyne.KeyHome, 0},
		{fyne.KeyUp, 0},
		{fyne.KeyPageDown, v.screenRows() - 1},
		{fyne.KeyEnd, 499},
		{fyne.KeyDown, 499},
		{fyne.KeyPageUp, 499 - (v.screenRows() - 1)},
	} {
		w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: tc.key})
		h.drain()
		if v.selected != tc.want {
			t.Fatalf("%s: row %d selected, want %d", tc.key, v.selected, tc.want)
		}
		// Every cell of the row is marked, and no cell of the rows beside it.
		for col := range v.columns {
			for _, row := range []int{tc.want - 1, tc.want, tc.want + 1} {
				c := newTextCell(v.fitter)
				v.updateCell(widget.TableCellID{Row: row, Col: col}, c)
				if c.selected != (row == tc.want) {
					t.Fatalf("%s: cell (%d, %d) selected %v", tc.key, row, col, c.selected)
				}
			}
		}
		r, ok := v.pager.Cached(tc.want)
		if !ok {
			t.Fatalf("%s: row %d not loaded", tc.key, tc.want)
		}
		if got := shownDetails(t, v); len(got) == 0 || got[0][1] != fmt.Sprint(r["PersonGuid"]) {
			t.Fatalf("%s: details show %q, not row %d (%v)", tc.key, got, tc.want, r["PersonGuid"])
		}
	}
}

func TestPeopleSelectionStaysWithThePerson(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(v *peopleView, person data.Record)
		kept   bool
	}{
		{"sorted by email", func(v *peopleView, _ data.Record) { v.sortBy("EmailAddress") }, true},
		{"a search that finds them", func(v *peopleView, p data.Record) {
			v.search.SetText(p["LastName"].(string))
			v.applySearch()
		}, true},
		{"a search that leaves them out", func(v *peopleView, _ data.Record) {
			v.search.SetText("xyzzy")
			v.applySearch()
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, v := signedInDemo(t)
			v.table.Select(widget.TableCellID{Row: 4, Col: 0})
			h.drain()
			person, _ := v.pager.Cached(4)
			tc.change(v, person)
			h.drain()
			if !tc.kept {
				if v.selected != -1 || v.detail.Items[0].Text != "" {
					t.Fatalf("row %d selected, details %q, for someone no longer listed", v.selected, v.detail.Items[0].Text)
				}
				return
			}
			r, ok := v.pager.Cached(max(v.selected, 0))
			if v.selected < 0 || !ok || r["PersonGuid"] != person["PersonGuid"] {
				t.Fatalf("row %d selected, not %v", v.selected, person["FormattedName"])
			}
			if got := shownDetails(t, v); got[0][1] != person["PersonGuid"] {
				t.Fatalf("details show %q", got[0])
			}
		})
	}
}

// TestPeopleTableMarksTheRowOnceInTheWindowsTheme: a clicked cell's row is
// marked by its own cells, with no second mark of Fyne's on the cell
// clicked; and the table draws in the window's theme. It used to hide
// Fyne's mark with a theme override, which gave the table a font scope of
// its own: Fyne parses every font face again per scope (4 MB per text
// style: Noto Sans and the system's fallback face).
func TestPeopleTableMarksTheRowOnceInTheWindowsTheme(t *testing.T) {
	for _, cell := range []widget.TableCellID{{Row: 2, Col: 0}, {Row: 5, Col: 1}} {
		t.Run(fmt.Sprint(cell), func(t *testing.T) {
			h, v := signedInDemo(t)
			v.table.Select(cell)
			h.drain()
			v.table.Refresh()
			app := fyne.CurrentApp().Settings().Theme()
			for _, o := range test.LaidOutObjects(v.tableView) {
				if th := theme.CurrentForWidget(o); th != app {
					t.Fatalf("%T draws with the theme %T, not the window's", o, th)
				}
				// Fyne's marks are plain rectangles of the table; the
				// row's own are inside its cells (textCell).
				selection := app.Color(theme.ColorNameSelection, fyne.CurrentApp().Settings().ThemeVariant())
				if r, ok := o.(*canvas.Rectangle); ok && r.Visible() && r.FillColor == selection {
					t.Fatalf("Fyne marks the clicked cell (%v)", r.Size())
				}
			}
			for row := range 8 {
				for col := range v.columns {
					c := newTextCell(v.fitter)
					v.updateCell(widget.TableCellID{Row: row, Col: col}, c)
					if c.selected != (row == cell.Row) {
						t.Fatalf("cell %d,%d marked %v with row %d selected", row, col, c.selected, cell.Row)
					}
				}
			}
		})
	}
}

// A page of people is drawn a frame's share of new strings at a time
// (textbudget.go): the first frame shows at most the share, the cells past
// it are empty (never another row's text), and the refills Later brings
// fill every cell. Before the budget every cell showed its text in the
// first frame, a 60-100 ms frame with software OpenGL.
func TestPeopleTableSpreadsANewPageOverFrames(t *testing.T) {
	const share = 10
	p := newBudgetedPeople(t, share, false)
	for p.runQueued() { // the first page shown in full
	}
	p.newStrings()
	// The page to spread: the rows after a jump to the end. Its rows are
	// not loaded: "…" until the fetch, after a short delay, brings them.
	p.v.table.ScrollToBottom()
	p.v.table.Refresh()
	if _, empty := p.shown(); empty != 0 {
		t.Fatalf("%d cells empty before their rows arrived, want \"…\"", empty)
	}
	p.newStrings() // the "…"
	p.runQueued()  // the fetch's delay, then the fetch
	if n, empty := p.newStrings(), p.empty(); n == 0 || n > share || empty == 0 {
		t.Fatalf("the rows' first frame showed %d new strings and left %d cells empty: want at most %d, then the rest held back", n, empty, share)
	}
	frames := 1
	for ; p.runQueued() && frames < 50; frames++ {
		if n := p.newStrings(); n > share {
			t.Fatalf("frame %d showed %d new strings, more than the share of %d", frames+1, n, share)
		}
	}
	if filled, empty := p.shown(); empty != 0 {
		t.Fatalf("after %d frames %d cells still empty (%d filled)", frames, empty, filled)
	}
	for _, c := range shownCells(p.v.tableView) {
		if c.Shown() == "…" {
			t.Fatalf("a cell still waits for its row after the fetch")
		}
	}
}

// Text a cell draws itself costs a tenth of Fyne's: a page of it is not
// metered, and comes in one frame with nothing held back.
func TestPeopleTableShowsAPageOfItsOwnGlyphsAtOnce(t *testing.T) {
	p := newBudgetedPeople(t, 10, true)
	if n, empty := p.newStrings(), p.empty(); n <= 10 || empty != 0 {
		t.Fatalf("the first frame showed %d new strings and left %d cells empty: want them all", n, empty)
	}
	for p.runQueued() {
	}
	p.newStrings()
	p.v.table.ScrollToBottom()
	p.v.table.Refresh()
	p.runQueued() // the fetch's delay, then the fetch
	if n, empty := p.newStrings(), p.empty(); n <= 10 || empty != 0 || p.v.budget.filling() {
		t.Fatalf("the rows' first frame showed %d new strings, left %d cells empty (refill due: %v): want them all",
			n, empty, p.v.budget.filling())
	}
	for _, c := range shownCells(p.v.tableView) {
		if !c.glyphs.Visible() {
			t.Fatalf("%q is Fyne's text, not the cell's own glyphs", c.Shown())
		}
	}
}

// The table's first frame is the signed-in view's first, which brings some
// 20 other new strings (toolbar, tabs, headers): the table takes a smaller
// first share (firstTextShare) and the full share from the next frame on.
func TestPeopleTableFirstFrameTakesASmallerShare(t *testing.T) {
	const share = 24
	p := newBudgetedPeople(t, share, false)
	if n := p.newStrings(); n == 0 || n > firstTextShare {
		t.Fatalf("the table's first frame showed %d new strings, want 1 to %d", n, firstTextShare)
	}
	p.runQueued()
	if n := p.newStrings(); n != share {
		t.Fatalf("the next frame showed %d new strings, want the full share of %d", n, share)
	}
}

// budgetedPeople is the People table of the demo tenant at 1400×900 with
// a text budget of share strings a frame, its Later calls queued (each
// run of the queue is a frame) and its clock stopped: frames here are the
// test's turns, not time (the race detector's slower passes would
// otherwise start new shares), and all shown so far counts as shown lately.
type budgetedPeople struct {
	h      *uiHarness
	v      *peopleView
	queued []*laterCall // a stopped call is not run
	seen   map[string]bool
}

// Its cells' text is Fyne's, which the budget meters (ownGlyphs: the cells
// draw it themselves where they can, as in the app).
func newBudgetedPeople(t *testing.T, share int, ownGlyphs bool) *budgetedPeople {
	stopped := time.Now()
	budgetClock = func() time.Time { return stopped }
	t.Cleanup(func() { budgetClock = time.Now })
	p := &budgetedPeople{h: newUIHarness(t, hrRobot(), nil), seen: map[string]bool{}}
	p.h.app = p.h.newApp(nil, func(o *Options) {
		o.NewTextPerFrame = share
		o.Later = func(d time.Duration, f func()) func() {
			call := &laterCall{d: d, f: f}
			p.queued = append(p.queued, call)
			return func() { call.stopped = true }
		}
	})
	if !ownGlyphs {
		p.h.app.cellFont = nil
	}
	p.h.app.Start()
	test.Tap(p.h.app.form().signIn)
	if p.h.app.signedIn == nil {
		t.Fatalf("not signed in: %q", p.h.app.form().message.Text)
	}
	p.v = p.h.app.signedIn.people
	p.h.app.win.Resize(fyne.NewSize(1400, 900))
	p.h.drain()
	return p
}

// runQueued runs what Later was given (a refill, a fetch's delay) and then
// the fetches that queued; it says whether there was any.
// A call without delay (the text budget's afterFrame) comes between two
// frames, and what it queues belongs to the same turn.
func (p *budgetedPeople) runQueued() bool {
	ran := 0
	for more := true; more; {
		q := p.queued
		p.queued = nil
		ran += runCalls(q, func(time.Duration) {}) // the clock stands still here
		more = slices.ContainsFunc(q, func(c *laterCall) bool { return c.d == 0 && !c.stopped })
	}
	return p.h.drain()+ran > 0
}

// shown counts the cells on screen with text, and those held back ("").
func (p *budgetedPeople) shown() (filled, empty int) {
	for _, c := range shownCells(p.v.tableView) {
		if c.Shown() == "" {
			empty++
		} else {
			filled++
		}
	}
	return filled, empty
}

func (p *budgetedPeople) empty() int {
	_, empty := p.shown()
	return empty
}

// onPersonShown calls f with the row each time Details show a person.
func (p *budgetedPeople) onPersonShown(f func(row int)) {
	state := p.v.do.state
	p.v.do.state = func(name string, args ...any) {
		if name == "person-shown" {
			f(args[1].(int))
		}
		state(name, args...)
	}
}

// newStrings counts the strings on screen not seen before.
func (p *budgetedPeople) newStrings() int {
	n := 0
	for _, c := range shownCells(p.v.tableView) {
		if s := c.Shown(); s != "" && !p.seen[s] {
			p.seen[s] = true
			n++
		}
	}
	return n
}

// shownCells are the table's cells on screen, as the window draws them.
func shownCells(o fyne.CanvasObject) (cells []*textCell) {
	if !o.Visible() {
		return nil
	}
	switch o := o.(type) {
	case *textCell:
		return []*textCell{o}
	case fyne.Widget:
		for _, child := range test.WidgetRenderer(o).Objects() {
			cells = append(cells, shownCells(child)...)
		}
	case *fyne.Container:
		for _, child := range o.Objects {
			cells = append(cells, shownCells(child)...)
		}
	}
	return cells
}

// Details follow the selection once it settles (detailDelay): the rows
// passed on the way build no pane, the pane comes in a later turn than
// the table's change, and a selection cleared first shows none.
func TestPeopleDetailsWaitForTheSelectionToSettle(t *testing.T) {
	p := newBudgetedPeople(t, -1, false)
	for p.runQueued() {
	}
	v := p.v
	var shown []int
	p.onPersonShown(func(row int) { shown = append(shown, row) })
	v.table.Select(widget.TableCellID{Row: 0, Col: 0})
	for range 3 {
		v.keys.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	}
	if len(shown) != 0 {
		t.Fatalf("details shown at once, for rows %v", shown)
	}
	p.runQueued()
	if fmt.Sprint(shown) != "[3]" {
		t.Fatalf("details shown for rows %v after the selection settled on row 3, want [3]", shown)
	}
	// Moved, then cleared (a new search) before the pane came: no pane.
	v.keys.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	v.unselect()
	p.runQueued()
	if fmt.Sprint(shown) != "[3]" {
		t.Fatalf("details shown for rows %v after the selection was cleared", shown)
	}
	if got := textOf(v.detail.Items[0].Widget); !strings.Contains(got, "Select a person") {
		t.Fatalf("the cleared pane shows %q", got)
	}
}

// Closing the view (signing out, another profile) cancels everything it
// had scheduled: the Details pane, a search typed, a fetch after a scroll
// (the budget's refill: TestTextBudgetClose). None of them may touch the
// closed view.
func TestPeopleViewCloseCancelsWhatItScheduled(t *testing.T) {
	p := newBudgetedPeople(t, 10, false)
	for p.runQueued() {
	}
	v := p.v
	shown := 0
	p.onPersonShown(func(int) { shown++ })
	v.table.Select(widget.TableCellID{Row: 0, Col: 0}) // a Details pane waits
	v.table.ScrollToBottom()                           // a fetch waits
	v.table.Refresh()
	v.search.SetText("son") // a search waits
	if v.stopDetail == nil || v.stopSearch == nil || v.stopFetch == nil {
		t.Fatalf("scheduled: pane %v, search %v, fetch %v; want all three", v.stopDetail != nil, v.stopSearch != nil, v.stopFetch != nil)
	}
	requests := v.pager.Requests()
	v.close()
	if p.runQueued() {
		t.Fatalf("something scheduled still ran after close")
	}
	if shown != 0 || v.pager.Requests() != requests || v.shown != "" {
		t.Fatalf("after close: %d panes shown, %d requests made, search %q applied", shown, v.pager.Requests()-requests, v.shown)
	}
}

// With a page of new rows still filling in (the text budget's refills),
// the Details pane waits for them: it comes in a frame of its own, once.
func TestPeopleDetailsWaitForTheRowsToBeDrawn(t *testing.T) {
	p := newBudgetedPeople(t, 10, false)
	for p.runQueued() {
	}
	v := p.v
	shown := 0
	p.onPersonShown(func(int) {
		shown++
		if v.budget.filling() {
			t.Errorf("Details shown while the table's rows were still filling in")
		}
	})
	v.table.Select(widget.TableCellID{Row: 0, Col: 0})
	v.keys.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnd}) // a page of rows not loaded yet
	sawFilling := false
	for turns := 0; p.runQueued() && turns < 100; turns++ {
		sawFilling = sawFilling || v.budget.filling()
	}
	if !sawFilling {
		t.Fatalf("the jump to the end held no text back: the test shows nothing")
	}
	if shown != 1 {
		t.Fatalf("Details shown %d times, want once, after the rows", shown)
	}
}

// TestPeopleHeaderRefreshedOnlyWhenItChanges: Fyne updates the header
// buttons at every refresh and layout of the table; an update that changes
// nothing must not refresh the button (setButton). A refresh shows as the renderer
// putting the button's text back into its label.
func TestPeopleHeaderRefreshedOnlyWhenItChanges(t *testing.T) {
	_, v := signedInDemo(t)
	header := widget.NewButton("", nil)
	label := buttonLabel(t, header)
	v.updateHeader(widget.TableCellID{Row: -1, Col: 0}, header)
	for _, tc := range []struct {
		name      string
		change    func()
		col       int
		refreshed bool
	}{
		{"nothing changed", func() {}, 0, false},
		{"the order reversed", func() { v.sort.Desc = !v.sort.Desc }, 0, true},
		{"the same order again", func() {}, 0, false},
		{"sorted by another column", func() { v.sort = data.Order{Property: v.sortKey(v.columns[1].Name)} }, 0, true},
		{"that column's header", func() {}, 1, true},
		{"that column's header again", func() {}, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.change()
			label.Segments[0].(*widget.TextSegment).Text = "stale"
			v.updateHeader(widget.TableCellID{Row: -1, Col: tc.col}, header)
			if got := label.Segments[0].(*widget.TextSegment).Text != "stale"; got != tc.refreshed {
				t.Errorf("refreshed = %v, want %v (header %q)", got, tc.refreshed, header.Text)
			}
		})
	}
}

// buttonLabel is the rich text a button's renderer shows its text in.
func buttonLabel(t *testing.T, b *widget.Button) *widget.RichText {
	t.Helper()
	for _, o := range test.WidgetRenderer(b).Objects() {
		if l, ok := o.(*widget.RichText); ok {
			return l
		}
	}
	t.Fatal("the button's renderer has no rich text")
	return nil
}
