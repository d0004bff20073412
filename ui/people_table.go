package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/data"
)

// newTable makes the People table: rows come from the pager's cache, and
// a row not loaded yet shows "…" until its page arrives (people_fetch.go).
func (v *peopleView) newTable() {
	v.fitter = newTextFitter(theme.TextSize())
	v.table = widget.NewTableWithHeaders(
		func() (int, int) {
			// Fyne 2.7.1 keeps a separator for every row it is told of while
			// the table has no height yet (before the first layout, and
			// SetColumnWidth lays it out): 50,000 of them, never freed and
			// walked on every frame. Rows appear with the table's height.
			if v.table.Size().Height <= v.headerHeight {
				return 0, len(v.columns)
			}
			return v.rows(), len(v.columns)
		},
		func() fyne.CanvasObject { return newTextCell(v.fitter) },
		v.updateCell)
	v.table.ShowHeaderColumn = false
	v.table.CreateHeader = func() fyne.CanvasObject {
		b := widget.NewButton("", nil)
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		b.IconPlacement = widget.ButtonIconTrailingText
		return b
	}
	v.table.UpdateHeader = v.updateHeader
	v.headerHeight = v.table.CreateHeader().MinSize().Height
	v.table.OnSelected = func(id widget.TableCellID) { v.showDetail(id.Row) }
	v.sizeColumns()
}

func (v *peopleView) rows() int {
	if v.pager == nil {
		return 0
	}
	return v.pager.Len()
}

func (v *peopleView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*textCell)
	if v.pager == nil || id.Col >= len(v.columns) {
		l.SetText("")
		return
	}
	r, ok := v.pager.Cached(id.Row)
	if !ok {
		l.SetText("…")
		v.missed(id.Row)
		return
	}
	l.SetText(data.FormatProperty(r[v.columns[id.Col].Name], v.columns[id.Col], v.locale))
}

func (v *peopleView) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	b := o.(*widget.Button)
	if id.Col < 0 || id.Col >= len(v.columns) {
		b.SetText("")
		b.SetIcon(nil)
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
	b.SetText(data.ColumnTitle(col.Name))
	b.SetIcon(order)
	b.OnTapped = func() { v.sortBy(col.Name) }
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
