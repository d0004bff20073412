package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/data"
)

// peopleTable is a slice-backed table: cells are formatted when they scroll
// into view, so its cost does not grow with the number of rows loaded.
type peopleTable struct {
	table   *widget.Table
	columns []string
	rows    []data.Record
	total   int
}

// columnWidths for the preferred columns; others get defaultColumnWidth.
var columnWidths = map[string]float32{
	"FormattedName": 190, "EmailAddress": 280, "JobTitle": 210, "Department": 150,
	"Location": 110, "CountryName": 130, "StartDate": 110,
}

const defaultColumnWidth = 150

// maxColumns is how many columns are shown before the person picks others.
const maxColumns = 8

func newPeopleTable() *peopleTable {
	pt := &peopleTable{total: -1}
	pt.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(pt.rows), len(pt.columns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			if id.Row < len(pt.rows) && id.Col < len(pt.columns) {
				l.SetText(data.FormatValue(pt.rows[id.Row][pt.columns[id.Col]]))
			} else {
				l.SetText("")
			}
		})
	pt.table.ShowHeaderColumn = false
	pt.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	pt.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		l := o.(*widget.Label)
		if id.Row < 0 && id.Col >= 0 && id.Col < len(pt.columns) {
			l.SetText(data.ColumnTitle(pt.columns[id.Col]))
		} else {
			l.SetText("")
		}
	}
	return pt
}

func (pt *peopleTable) set(rows []data.Record) {
	pt.rows = rows
	pt.columns = data.DefaultColumns(rows, maxColumns)
	for i, c := range pt.columns {
		w, ok := columnWidths[c]
		if !ok {
			w = defaultColumnWidth
		}
		pt.table.SetColumnWidth(i, w)
	}
	pt.table.Refresh()
	pt.table.ScrollToTop()
}

func (pt *peopleTable) append(rows []data.Record) {
	pt.rows = append(pt.rows, rows...)
	pt.table.Refresh()
}

func (pt *peopleTable) len() int { return len(pt.rows) }
