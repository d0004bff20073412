package ui

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/data"
)

// searchProperties are matched by the search box, when the entity has them.
var searchProperties = []string{"FirstName", "LastName", "FormattedName", "KnownAs", "EmailAddress"}

const prefColumns = "people.columns"

// peopleView is the People browser: a virtualised table over a lazily
// paged query, with search, sort, column choice, details and CSV export.
type peopleView struct {
	app     *App
	client  *data.Client
	entity  *data.EntityType
	version data.Version
	locale  string

	browser *data.Pager
	total   int // people in the set, without the search
	columns []data.Property
	sort    data.Order
	filter  string

	search *widget.Entry
	status *widget.Label
	retry  *widget.Button
	table  *widget.Table
	fitter *textFitter // shared by the table's cells
	// headerHeight: a table no taller has no room for rows (see NewTableWithHeaders).
	headerHeight float32
	detail       *widget.Form
	selected     data.Record
	content      fyne.CanvasObject
	stopSearch   func()

	// Rows asked for but not loaded, with when: only those of the last
	// render are fetched, so pages flown past while dragging are not.
	misses    []miss
	stopFetch func()
}

type miss struct {
	row int
	at  time.Time
}

// fetchDelay lets a scroll settle before pages are fetched.
const fetchDelay = 90 * time.Millisecond

// newPeopleView shows the People of a signed-in session. Columns come from
// the entity's metadata, or from the first rows when it had none; the
// person's last choice of columns wins over the defaults.
func newPeopleView(a *App, l *loaded) *peopleView {
	v := &peopleView{app: a, client: l.client, entity: l.entity, version: l.version, locale: l.info.LocaleName,
		browser: l.browser, sort: data.Order{Property: "LastName"}}
	if v.entity == nil {
		v.entity = entityFromRows(l.browser)
	}
	if _, ok := v.entity.Property("LastName"); !ok {
		v.sort = data.Order{}
	}
	v.columns = v.chooseColumns(strings.Split(a.fyneApp.Preferences().String(prefColumns), ","))
	if len(v.columns) == 0 {
		v.columns = v.chooseColumns(data.PreferredColumns)
	}
	if len(v.columns) == 0 {
		v.columns = v.entity.Properties[:min(len(v.entity.Properties), 8)]
	}
	if l.browser != nil {
		v.total = l.browser.Len()
		v.watch(l.browser)
	}

	v.search = widget.NewEntry()
	v.search.SetPlaceHolder("Search names and email (Ctrl+F)")
	v.search.OnChanged = func(string) { v.searchSoon() }
	v.search.OnSubmitted = func(string) { v.applySearch() }
	v.status = widget.NewLabel("")
	v.retry = widget.NewButton("Retry", func() { v.reopen() })
	v.retry.Hide()
	columns := widget.NewButton("Columns…", v.chooseColumnsDialog)
	export := widget.NewButton("Export CSV…", v.exportDialog)

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

	v.detail = widget.NewForm(widget.NewFormItem("", wrapped("Select a person to see all their details.", widget.MediumImportance)))
	detailCard := widget.NewCard("Details", "", container.NewVScroll(v.detail))
	toolbar := container.NewBorder(nil, nil, widget.NewLabelWithStyle("People", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(v.status, v.retry, columns, export), v.search)
	split := container.NewHSplit(v.table, detailCard)
	split.Offset = 0.74
	v.content = container.NewBorder(toolbar, nil, nil, nil, split)
	v.showCount()
	return v
}

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

func (v *peopleView) rows() int {
	if v.browser == nil {
		return 0
	}
	return v.browser.Len()
}

func (v *peopleView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*textCell)
	if v.browser == nil || id.Col >= len(v.columns) {
		l.SetText("")
		return
	}
	r, ok := v.browser.Cached(id.Row)
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
	if v.sort.Property == col.Name {
		order = map[bool]fyne.Resource{false: theme.MenuDropUpIcon(), true: theme.MenuDropDownIcon()}[v.sort.Desc]
	}
	b.SetText(data.ColumnTitle(col.Name))
	b.SetIcon(order)
	b.OnTapped = func() { v.sortBy(col.Name) }
}

// missed notes a row that is not loaded and schedules the fetch of what the
// table shows once scrolling pauses.
func (v *peopleView) missed(row int) {
	v.misses = append(v.misses, miss{row, time.Now()})
	if v.stopFetch != nil {
		v.stopFetch()
	}
	v.stopFetch = v.app.opts.Later(fetchDelay, v.fetchMissed)
}

// fetchMissed fetches the pages of the rows the last render missed. A drag
// renders every frame and the rows it flew past must not be fetched: only
// misses close in time to the last one count, and of those only the ones
// within a screen of it (frames can follow each other within milliseconds).
func (v *peopleView) fetchMissed() {
	if len(v.misses) == 0 || v.browser == nil {
		return
	}
	last := v.misses[len(v.misses)-1]
	screen := v.screenRows()
	lo, hi := last.row, last.row
	for _, m := range v.misses {
		if last.at.Sub(m.at) > 40*time.Millisecond || m.row < last.row-screen || m.row > last.row+screen {
			continue // from an earlier render, scrolled past since
		}
		lo, hi = min(lo, m.row), max(hi, m.row)
	}
	v.misses = v.misses[:0]
	v.browser.Prefetch(lo, hi)
}

// screenRows is how many rows the table shows at its current height.
func (v *peopleView) screenRows() int {
	row := v.fitter.cellHeight(theme.InnerPadding()) + theme.Padding() // and the separator
	return int(v.table.Size().Height/row) + 1
}

// sortBy sorts by a column, or reverses the order when it is already sorted by it.
func (v *peopleView) sortBy(name string) {
	if v.sort.Property == name {
		v.sort.Desc = !v.sort.Desc
	} else {
		v.sort = data.Order{Property: name}
	}
	v.reopen()
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

// query is the current query: search, sort, with the key as a tie-breaker so
// pages never overlap.
func (v *peopleView) query() data.Query {
	return data.Query{Filter: v.filter, Version: v.version, OrderBy: nameOrder(v.entity, v.sort)}
}

// searchSoon applies the search once typing pauses.
func (v *peopleView) searchSoon() {
	if v.stopSearch != nil {
		v.stopSearch()
	}
	v.stopSearch = v.app.opts.Later(350*time.Millisecond, v.applySearch)
}

func (v *peopleView) applySearch() {
	var props []string
	for _, p := range searchProperties {
		if _, ok := v.entity.Property(p); ok {
			props = append(props, p)
		}
	}
	filter := data.Search(props, v.search.Text, v.version)
	if filter == v.filter && v.browser != nil {
		return
	}
	v.filter = filter
	v.reopen()
}

// reopen starts a new browser for the current query (after a search, a sort
// or a failure), keeping the old rows on screen until the new ones arrive.
func (v *peopleView) reopen() {
	a := v.app
	q := v.query()
	v.status.SetText("Loading…")
	v.retry.Hide()
	a.background(func(ctx context.Context) func() {
		b := v.newBrowser(q)
		err := b.Open(ctx)
		return func() {
			if err != nil {
				b.Close()
				v.failed(err)
				return
			}
			if v.browser != nil {
				v.browser.Close()
			}
			v.browser = b
			if v.filter == "" {
				v.total = b.Len()
			}
			v.table.UnselectAll()
			v.table.Refresh()
			v.table.ScrollToTop()
			v.showCount()
			if a.signedIn != nil {
				a.signedIn.online()
			}
			a.state("people-loaded", "rows", b.Len(), "total", v.total, "filter", v.filter != "")
		}
	})
}

func (v *peopleView) newBrowser(q data.Query) *data.Pager {
	b := v.client.NewPager(data.PeopleSet, q, data.PagerOptions{Go: v.app.opts.Fetch})
	v.watch(b)
	return b
}

// watch refreshes the table when b's pages arrive, and reports failures.
func (v *peopleView) watch(b *data.Pager) {
	b.OnChange(func(err error) {
		fyne.Do(func() {
			if v.browser != b {
				return
			}
			if err != nil {
				v.failed(err)
				return
			}
			v.table.Refresh()
			if sv := v.app.signedIn; sv != nil {
				sv.online()
			}
		})
	})
}

func (v *peopleView) failed(err error) {
	if sv := v.app.signedIn; sv != nil && sv.handleError(err) {
		return
	}
	v.status.SetText("Could not load people: " + errorText(err))
	v.status.Importance = widget.DangerImportance
	v.status.Refresh()
	v.retry.Show()
	v.app.state("people-error", "err", err)
}

func (v *peopleView) showCount() {
	v.status.Importance = widget.MediumImportance
	n := v.rows()
	switch {
	case v.browser == nil:
		v.status.SetText("")
	case v.filter != "":
		v.status.SetText(fmt.Sprintf("%s of %s people match", thousands(n), thousands(v.total)))
	default:
		v.status.SetText(fmt.Sprintf("%s people", thousands(n)))
	}
	v.status.Refresh()
}

// showDetail lists every property of a row, formatted for people.
func (v *peopleView) showDetail(row int) {
	r, ok := v.browser.Cached(row)
	if !ok {
		return
	}
	v.selected = r
	v.detail.Items = nil
	for _, p := range v.entity.Properties {
		value := widget.NewLabel(data.FormatProperty(r[p.Name], p, v.locale))
		value.Wrapping = fyne.TextWrapBreak
		value.Selectable = true
		v.detail.Append(data.ColumnTitle(p.Name), value)
	}
	v.detail.Refresh()
}

// setColumns shows the chosen columns and remembers them.
func (v *peopleView) setColumns(names []string) {
	cols := v.chooseColumns(names)
	if len(cols) == 0 {
		return
	}
	v.columns = cols
	v.app.fyneApp.Preferences().SetString(prefColumns, strings.Join(names, ","))
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
	d := dialog.NewCustomConfirm("Columns", "Show", "Cancel", container.NewGridWrap(fyne.NewSize(320, 420), container.NewVScroll(checks)), func(ok bool) {
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
	}, v.app.win)
	d.Show()
}

// shortcuts: Ctrl+F search, Ctrl+R reload.
func (v *peopleView) addShortcuts(c fyne.Canvas) {
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { c.Focus(v.search) })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { v.reopen() })
}

func removeShortcuts(c fyne.Canvas) {
	c.RemoveShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault})
	c.RemoveShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault})
	c.RemoveShortcut(traceShortcut)
}

func (v *peopleView) exportDialog() {
	v.app.chooseSavePath("people.csv", ".csv", v.exportTo, func() {
		v.status.SetText("Export works to files on this computer only.")
	})
}

// chooseSavePath asks where to save a file, offering name, and gives save
// a path on this computer: exports write a temporary file beside it and
// rename it, which a storage URI elsewhere cannot do (notLocal says so).
func (a *App) chooseSavePath(name, ext string, save func(path string), notLocal func()) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		uri := wc.URI()
		_ = wc.Close()
		if uri.Scheme() != "file" {
			notLocal()
			return
		}
		save(uri.Path())
	}, a.win)
	d.SetFileName(name)
	d.SetFilter(storage.NewExtensionFileFilter([]string{ext}))
	d.Show()
}

// exportTo writes the current query to path as CSV, with a progress dialog
// and Cancel. It writes to a temporary file and renames it at the end, so a
// cancelled or failed export leaves no half-written file behind.
func (v *peopleView) exportTo(path string) {
	a := v.app
	bar := widget.NewProgressBar()
	label := widget.NewLabel("Starting…")
	ctx, cancel := context.WithCancel(context.Background())
	prog := dialog.NewCustom("Exporting people", "Cancel", container.NewVBox(label, bar), a.win)
	prog.SetOnClosed(cancel)
	prog.Show()
	q := v.query()
	cols := append([]data.Property(nil), v.columns...)
	a.state("export-started", "path", path)
	a.opts.Go(func() {
		tmp := path + ".part"
		f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
		if err == nil {
			err = v.client.ExportCSV(ctx, data.PeopleSet, q, cols, f, func(done, total int) {
				fyne.Do(func() {
					bar.SetValue(float64(done) / float64(max(total, 1)))
					label.SetText(fmt.Sprintf("%s of %s people", thousands(done), thousands(total)))
				})
			})
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err == nil {
				err = os.Rename(tmp, path)
			} else {
				_ = os.Remove(tmp)
			}
		}
		fyne.Do(func() {
			cancelled := ctx.Err() != nil
			cancel()
			prog.Hide()
			switch {
			case cancelled:
				v.status.SetText("Export cancelled.")
				a.state("export-cancelled")
			case err != nil:
				v.status.SetText("Export failed: " + errorText(err))
				a.state("export-error", "err", err)
			default:
				v.status.SetText("Exported to " + path)
				a.state("export-done", "path", path)
			}
		})
	})
}

// thousands writes 45000 as 45,000.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
