package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/data"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/tuning"
)

// cellShown tells the process tuning which text a cell shows as Fyne's
// text: Fyne's caches keep about the last few hundred strings shown, a
// minute at most, and shorter while cells fill quickly
// (internal/tuning/textcache.go). Text a cell draws itself has no texture
// of Fyne's, and is told as "" (the window is busy all the same). A
// variable so a test can see the calls.
var cellShown = tuning.Shown

// budgetClock is the text budget's clock (textbudget.go); a test stops it.
var budgetClock = time.Now

// newTable makes the People table: rows come from the pager's cache, and
// a row not loaded yet shows "…" until its page arrives (people_fetch.go).
func (v *peopleView) newTable() {
	v.fitter = newTextFitter(theme.TextSize())
	v.fitter.drawer = v.do.cellFont.drawer()
	v.selected = -1
	t := &peopleTable{view: v}
	v.budget = newTextBudget(v.do.newTextPerFrame, budgetClock, v.do.later, t.Refresh)
	v.budget.kept = tuning.Kept // a string that still has its texture is free
	v.budget.first = min(firstTextShare, v.do.newTextPerFrame)
	t.Length = func() (int, int) {
		// Fyne 2.7.1 keeps a separator for every row it is told of while
		// the table has no height yet (before the first layout, and
		// SetColumnWidth lays it out): 50,000 of them, never freed and
		// walked on every frame. Rows appear with the table's height.
		if v.table.Size().Height <= v.headerHeight {
			return 0, len(v.columns)
		}
		return v.rows(), len(v.columns)
	}
	t.CreateCell = func() fyne.CanvasObject { return newTextCell(v.fitter) }
	t.UpdateCell = v.updateCell
	t.ShowHeaderRow = true
	t.ExtendBaseWidget(t)
	v.table, v.keys = &t.Table, t
	v.tableView = t
	v.table.CreateHeader = func() fyne.CanvasObject {
		b := widget.NewButton("", nil)
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		b.IconPlacement = widget.ButtonIconTrailingText
		return b
	}
	v.table.UpdateHeader = v.updateHeader
	v.headerHeight = v.table.CreateHeader().MinSize().Height
	v.table.OnSelected = func(id widget.TableCellID) {
		v.selectRow(id)
		// Fyne marks the one cell clicked, over the row the cells mark
		// themselves (textCell): the table keeps no selection, the view
		// does (v.selected). A theme override that hid the mark gave the
		// table a font scope of its own, and Fyne parses every face again
		// per scope: 1.5 MB of Noto Sans and 2.6 MB of the system's
		// fallback face per text style (TestFigureMemoryBreakdown).
		v.table.Unselect(id)
	}
	v.sizeColumns()
}

// peopleTable is the People table, with the keys of a list: Up and Down
// move the selection (and the details with it), not just a focus box that
// Space would then select.
type peopleTable struct {
	widget.Table
	view *peopleView
}

// Tapped selects the cell and takes the keyboard focus. The table's own
// Tapped looks its canvas up by the embedded *widget.Table, which no
// canvas holds, and so never takes the focus for a table extended like this.
func (t *peopleTable) Tapped(e *fyne.PointEvent) {
	t.Table.Tapped(e)
	if c := fyne.CurrentApp().Driver().CanvasForObject(t); c != nil && !fyne.CurrentDevice().IsMobile() {
		c.Focus(t)
	}
}

func (t *peopleTable) TypedKey(e *fyne.KeyEvent) {
	row, ok := t.view.rowForKey(e.Name)
	if !ok {
		t.Table.TypedKey(e)
		return
	}
	t.Select(widget.TableCellID{Row: row, Col: max(t.view.selectedCol, 0)})
}

// rowForKey is the row a navigation key moves the selection to.
func (v *peopleView) rowForKey(key fyne.KeyName) (int, bool) {
	rows := v.rows()
	if rows == 0 {
		return 0, false
	}
	page := max(v.screenRows()-1, 1)
	row := v.selected
	switch key {
	case fyne.KeyDown:
		row++
	case fyne.KeyUp:
		row--
	case fyne.KeyPageDown:
		row += page
	case fyne.KeyPageUp:
		row -= page
	case fyne.KeyHome:
		row = 0
	case fyne.KeyEnd:
		row = rows - 1
	default:
		return 0, false
	}
	return min(max(row, 0), rows-1), true
}

// selectRow marks the whole row of a selected cell and shows the person.
func (v *peopleView) selectRow(id widget.TableCellID) {
	v.selectedCol = id.Col
	if id.Row != v.selected {
		v.selected = id.Row
		v.table.Refresh()
	}
	v.showDetailSoon(id.Row)
}

// detailDelay is how long the Details pane waits for the selection to
// settle. A new pane (17 values drawn for the first time, each wrapped)
// and the table's new rows landed together as one 50-100 ms frame in the
// soak whenever the selection moved by a page; and a held Down key, which
// moves the selection every 30 ms, built a pane a row.
const detailDelay = 50 * time.Millisecond

// showDetailSoon shows the row in Details once the selection has stayed
// on it for detailDelay and the table has drawn all its new rows (their
// refills, textbudget.go), so the pane comes in a frame of its own.
func (v *peopleView) showDetailSoon(row int) {
	cancelLater(&v.stopDetail)
	v.stopDetail = v.do.later(detailDelay, func() {
		v.stopDetail = nil
		switch {
		case v.selected != row:
		case v.budget.filling():
			v.showDetailSoon(row)
		default:
			v.showDetail(row)
		}
	})
}

// close stops what the view still has scheduled: a Details pane, a
// refill, a search typed, a fetch after a scroll, an export.
func (v *peopleView) close() {
	cancelLater(&v.stopDetail)
	v.budget.close()
	cancelLater(&v.stopSearch)
	cancelLater(&v.stopFetch)
	if v.export != nil {
		v.export.stop()
		v.export = nil
	}
}

// unselect forgets the selection, as when the rows change under it.
func (v *peopleView) unselect() {
	cancelLater(&v.stopDetail)
	v.selected = -1
	v.table.UnselectAll()
	v.clearDetail()
}

func (v *peopleView) rows() int {
	if v.pager == nil {
		return 0
	}
	return v.pager.Len()
}

func (v *peopleView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*textCell)
	l.placed = true // the table sizes it now (textCell.MinSize)
	l.SetSelected(id.Row == v.selected && v.pager != nil)
	s, own := v.cellText(id, l.full)
	if own {
		cellShown("")
	} else {
		cellShown(s)
	}
	l.SetText(s)
}

// cellText is what the cell at id, now showing shown, shows next: empty
// when the budget holds it back for a later frame; own when the cell draws
// it itself, which the budget lets through (a tenth of Fyne's cost).
func (v *peopleView) cellText(id widget.TableCellID, shown string) (s string, own bool) {
	if v.pager == nil || id.Col >= len(v.columns) {
		return "", false
	}
	r, ok := v.pager.Cached(id.Row)
	if !ok {
		v.missed(id.Row)
		return "…", v.fitter.drawsItself("…")
	}
	s = data.FormatProperty(r[v.columns[id.Col].Name], v.columns[id.Col], v.locale)
	if v.fitter.drawsItself(s) {
		return s, true
	}
	if !v.budget.allow(s, shown) {
		return "", false // filled by a refill within about 80 ms (textbudget.go)
	}
	return s, false
}

func (v *peopleView) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	b := o.(*widget.Button)
	if id.Col < 0 || id.Col >= len(v.columns) {
		setButton(b, "", nil)
		b.OnTapped = nil
		return
	}
	col := v.columns[id.Col]
	// The order as an icon: the app's fonts have no arrows, and a system
	// font found per glyph would be parsed into memory just for them.
	var order fyne.Resource
	if v.sort.Property == v.sortKey(col.Name) {
		order = map[bool]fyne.Resource{false: theme.MenuDropUpIcon(), true: theme.MenuDropDownIcon()}[v.sort.Desc]
	}
	setButton(b, data.ColumnTitle(col.Name), order)
	b.OnTapped = func() { v.sortBy(col.Name) }
}

// setButton gives a header button its text and icon, refreshing it only
// when either changed: SetText and SetIcon each refresh the button (its
// label and icon laid out again), and Fyne updates the headers at every
// refresh of the table and every layout of it, inside frames too. Fyne
// then refreshes the headers' container itself (refreshHeaders), so this
// saves the buttons' work, not the extra frame a refresh inside a frame
// asks for.
func setButton(b *widget.Button, text string, icon fyne.Resource) {
	if b.Text != text {
		b.SetText(text)
	}
	if b.Icon != icon {
		b.SetIcon(icon)
	}
}

func (v *peopleView) sizeColumns() {
	for i, c := range v.columns {
		w := float32(150)
		switch {
		case c.Name == "EmailAddress":
			w = 280
		case c.Name == "FormattedName" || c.Name == "JobTitle":
			w = 200
		case strings.HasPrefix(c.Type, "Edm.Date"), c.Type == "Edm.Boolean", strings.HasPrefix(c.Type, "Edm.Decimal"):
			w = 120
		case c.Type == "Edm.Guid":
			w = 300
		}
		v.table.SetColumnWidth(i, w)
	}
}
