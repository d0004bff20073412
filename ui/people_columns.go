package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/data"
)

// prefColumns keeps the person's choice of People columns.
const prefColumns = "people.columns"

// initialColumns are the columns chosen last, else the preferred ones the
// entity has, else its first eight.
func (v *peopleView) initialColumns() []data.Property {
	if cols := v.chooseColumns(strings.Split(v.do.prefs.String(prefColumns), ",")); len(cols) > 0 {
		return cols
	}
	if cols := v.chooseColumns(data.PreferredColumns); len(cols) > 0 {
		return cols
	}
	return v.entity.Properties[:min(len(v.entity.Properties), 8)]
}

// chooseColumns are the entity's properties of those names, in that order.
func (v *peopleView) chooseColumns(names []string) []data.Property {
	var out []data.Property
	for _, n := range names {
		if p, ok := v.entity.Property(strings.TrimSpace(n)); ok {
			out = append(out, p)
		}
	}
	return out
}

// entityFromRows invents an entity type from the first page when the
// service's $metadata could not be read: every column a string.
func entityFromRows(b *data.Pager) *data.EntityType {
	et := &data.EntityType{Name: "Person"}
	if b == nil {
		return et
	}
	if r, ok := b.Row(0); ok {
		for _, c := range data.DefaultColumns([]data.Record{r}, 100) {
			et.Properties = append(et.Properties, data.Property{Name: c})
		}
	}
	return et
}

// setColumns shows the chosen columns and remembers them.
func (v *peopleView) setColumns(names []string) {
	cols := v.chooseColumns(names)
	if len(cols) == 0 {
		return
	}
	v.columns = cols
	v.do.prefs.SetString(prefColumns, strings.Join(names, ","))
	v.sizeColumns()
	v.table.Refresh()
}

func (v *peopleView) chooseColumnsDialog() {
	checks := container.NewVBox()
	var boxes []*widget.Check
	for _, p := range v.entity.Properties {
		c := widget.NewCheck(data.ColumnTitle(p.Name), nil)
		for _, col := range v.columns {
			c.Checked = c.Checked || col.Name == p.Name
		}
		boxes = append(boxes, c)
		checks.Add(c)
	}
	d := dialog.NewCustomConfirm("Columns", "Show", "Cancel", container.NewGridWrap(fyne.NewSize(320, 420), stillScroll(checks)), func(ok bool) {
		if !ok {
			return
		}
		var names []string
		for i, c := range boxes {
			if c.Checked {
				names = append(names, v.entity.Properties[i].Name)
			}
		}
		v.setColumns(names)
	}, v.do.win)
	d.Show()
}
