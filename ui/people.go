package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/data"
)

// Below peopleNarrowWidth the details go under the list; the search box
// keeps searchMinWidth before the toolbar's actions go into a menu.
const (
	peopleNarrowWidth = 900
	searchMinWidth    = 240
)

// searchProperties are matched by the search box, when the entity has them.
var searchProperties = []string{"FirstName", "LastName", "FormattedName", "KnownAs", "EmailAddress"}

// peopleActions are what the People view needs from the app.
type peopleActions struct {
	// background runs a reopen as the controller's operation.
	background func(work func(ctx context.Context) func())
	later      func(d time.Duration, f func()) (stop func())
	// newTextPerFrame: Options.NewTextPerFrame.
	newTextPerFrame int
	cellFont        *cellFont    // draws the cells' text (cell.go); nil: Fyne does
	fetch           func(func()) // page fetches
	heavy           func(func()) // exports (Options.Heavy)
	state           func(name string, args ...any)
	// onError shows an error that concerns the session (signed out,
	// offline); true when it ended the session.
	onError  func(err error) bool
	onOnline func() // data arrived: not offline (any more)
	prefs    preferences
	win      fyne.Window // for dialogs
	files    fileDialogs
}

// peopleView is the People browser: a virtualised table over a lazily
// paged query (people_table.go, people_fetch.go), with search, sort,
// column choice (people_columns.go), details and CSV export
// (people_export.go).
type peopleView struct {
	do      peopleActions
	client  *data.Client
	entity  *data.EntityType
	version data.Version
	locale  string

	pager   *data.Pager
	total   int // people in the set, without the search
	columns []data.Property
	// sort and shown are the order and the search of the rows on screen:
	// the header's arrow, the count and an export follow them, never a
	// request still loading or one that failed (the arrow used to show an
	// order the rows were not in).
	sort  data.Order
	shown string
	// filter is the search asked for; asked is a sort asked for and not
	// on screen yet (loading, or failed: Retry asks for it again).
	filter string
	asked  *data.Order

	search      *widget.Entry
	searchBox   *searchEntry   // search as it takes the focus
	searchClear *widget.Button // in the search box, while it has text
	// empty stands over the table when a search matches no one.
	empty      *fyne.Container
	emptyText  *widget.Label
	emptyClear *widget.Button
	status     *widget.Label
	// banner shows why people could not be loaded, with Retry.
	banner  *fyne.Container
	errText *widget.Label
	retry   *widget.Button
	actions *actionBar
	body    *adaptive // the list, and the details beside or under it
	table   *widget.Table
	// tableView is the table as it is laid out; keys is the table as it
	// takes the focus.
	tableView fyne.CanvasObject
	keys      *peopleTable
	// selected is the row shown in Details (-1: none), selectedCol the
	// column clicked last, kept as Up and Down move between rows.
	selected, selectedCol int
	// detailPending: the selected row was not loaded yet, so its page's
	// arrival fills the details.
	detailPending bool
	// people: who the GUIDs in Details name, nil for no one (people_detail.go).
	people map[string]data.Record
	// waiting: look-ups under way, with what to do with their answers.
	waiting map[string][]func(data.Record)
	// pendingGUID is a person to select once the search that finds them
	// has loaded.
	pendingGUID string
	fitter      *textFitter // shared by the table's cells
	// budget spreads a page of new text over frames (textbudget.go).
	budget *textBudget
	// stopDetail cancels a Details pane waiting for the selection to
	// settle (showDetailSoon).
	stopDetail func()
	// headerHeight: a table no taller has no room for rows (see newTable).
	headerHeight float32
	// detail is the form the Details pane shows: pane, filled with the
	// person selected, or a note in their place; detailBox holds it. nil
	// until the signed-in view puts its hint in (hintUnlessShown).
	detail     *widget.Form
	pane       *personPane
	detailBox  *fyne.Container
	content    fyne.CanvasObject
	stopSearch func()

	// Rows asked for but not loaded, with when: only those of the last
	// render are fetched, so pages flown past while dragging are not.
	misses    []miss
	stopFetch func()
	// export is the export under way (people_export.go), if any.
	export *exportRun
}

// newPeopleView shows the People of a signed-in session. Columns come from
// the entity's metadata, or from the first rows when it had none; the
// person's last choice of columns wins over the defaults. The Details pane
// starts empty: the caller shows its hint once the rows are drawn
// (hintUnlessShown).
func newPeopleView(l *loaded, do peopleActions) *peopleView {
	v := &peopleView{do: do, client: l.client, entity: l.entity, version: l.version, locale: l.info.LocaleName,
		pager: l.pager, sort: data.Order{Property: "LastName"}}
	if v.entity == nil {
		v.entity = entityFromRows(l.pager)
	}
	if _, ok := v.entity.Property("LastName"); !ok {
		v.sort = data.Order{}
	}
	v.columns = v.initialColumns()
	if l.pager != nil {
		v.total = l.pager.Len()
		v.watch(l.pager)
	}

	v.searchBox = &searchEntry{view: v}
	v.searchBox.ExtendBaseWidget(v.searchBox)
	v.search = &v.searchBox.Entry
	v.search.SetPlaceHolder("Search names and email (Ctrl+F)")
	v.search.OnChanged = func(text string) {
		showIf(v.searchClear, text != "")
		v.searchSoon()
	}
	v.search.OnSubmitted = func(string) { v.applySearch() }
	v.searchClear = widget.NewButtonWithIcon("", theme.ContentClearIcon(), v.clearSearch)
	v.searchClear.Importance = widget.LowImportance
	v.searchClear.Hide()
	v.search.ActionItem = v.searchClear
	v.emptyText = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{})
	v.emptyText.Wrapping = fyne.TextWrapWord
	v.emptyClear = widget.NewButton("Clear search", v.clearSearch)
	v.empty = container.NewVBox(layout.NewSpacer(), v.emptyText, container.NewCenter(v.emptyClear), layout.NewSpacer())
	v.empty.Hide()
	v.status = widget.NewLabel("")
	// The count and export messages sit under the list, wrapped: beside
	// the search box a long one squeezed it, and cut short it lost the
	// file name or the reason. Load errors go in the banner.
	v.status.Wrapping = fyne.TextWrapWord
	v.retry = widget.NewButton("Retry", func() { v.reopen() })
	v.errText = wrapped("", widget.DangerImportance)
	v.banner = container.NewBorder(nil, nil, nil, container.NewVBox(v.retry), v.errText)
	v.banner.Hide()
	columns := widget.NewButton("Columns…", v.chooseColumnsDialog)
	export := widget.NewButton("Export CSV…", v.exportDialog)

	v.newTable()
	// Empty until the signed-in view puts its hint in (hintUnlessShown).
	v.detailBox = container.New(&steadyWidth{})
	detailCard := newPanel("Details", stillScroll(v.detailBox))
	v.actions = newActionBar(buttonItem(columns), buttonItem(export))
	toolbar := newToolbar(widget.NewLabelWithStyle("People", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		v.searchBox, v.actions, searchMinWidth)
	list := container.NewStack(v.tableView, v.empty)
	v.body = newAdaptive(peopleNarrowWidth, func(narrow bool) fyne.CanvasObject {
		if narrow {
			// Details under the list, each a full line wide: beside
			// it they had room for a letter a line.
			split := container.NewVSplit(list, detailCard)
			split.Offset = 0.6
			return split
		}
		split := container.NewHSplit(list, detailCard)
		split.Offset = 0.74
		return split
	})
	v.content = container.NewBorder(container.NewVBox(toolbar, v.banner), v.status, nil, nil, v.body)
	v.showCount()
	return v
}

// sortKey is what a column sorts by: the Name column by last name (then
// first name), as an address book does, when the entity has last names.
func (v *peopleView) sortKey(column string) string {
	if _, ok := v.entity.Property("LastName"); ok && column == "FormattedName" {
		return "LastName"
	}
	return column
}

// sortBy sorts by a column, or reverses the order when the rows are
// already sorted by it: the next order is worked out from the arrow the
// person sees, not from a sort still loading.
func (v *peopleView) sortBy(column string) {
	next := data.Order{Property: v.sortKey(column)}
	if v.sort.Property == next.Property {
		next.Desc = !v.sort.Desc
	}
	v.asked = &next
	v.reopen()
}

// query is the query of the rows on screen (what an export writes).
func (v *peopleView) query() data.Query { return v.queryFor(v.shown, v.sort) }

// queryFor is a search and a sort, then names for the people the sort
// leaves tied (a stable order a person can follow), and the key last so
// that pages never overlap.
func (v *peopleView) queryFor(filter string, by data.Order) data.Query {
	return data.Query{Filter: filter, Version: v.version, OrderBy: peopleOrder(v.entity, by)}
}

// peopleOrder sorts by the given key, then by last and first name, then
// by the entity's keys.
func peopleOrder(et *data.EntityType, by data.Order) []data.Order {
	out := []data.Order{by}
	seen := map[string]bool{by.Property: true}
	for _, name := range []string{"LastName", "FirstName", "FormattedName"} {
		if _, ok := et.Property(name); ok && !seen[name] {
			// Names under a reversed name sort run backwards too.
			out = append(out, data.Order{Property: name, Desc: by.Desc && by.Property == "LastName"})
			seen[name] = true
		}
	}
	for _, k := range et.Keys {
		if !seen[k] {
			out = append(out, data.Order{Property: k})
		}
	}
	if by.Property == "" {
		out = out[1:]
	}
	return out
}

// clearSearch empties the search box and shows everyone at once.
func (v *peopleView) clearSearch() { v.searchNow("") }

// searchNow puts text in the search box and applies it at once, not after
// a typing pause.
func (v *peopleView) searchNow(text string) {
	v.search.SetText(text)
	cancelLater(&v.stopSearch) // the search SetText scheduled: this one is at once
	v.applySearch()
}

// searchSoon applies the search once typing pauses.
func (v *peopleView) searchSoon() {
	cancelLater(&v.stopSearch)
	v.stopSearch = v.do.later(350*time.Millisecond, v.applySearch)
}

func (v *peopleView) applySearch() {
	var props []string
	for _, p := range searchProperties {
		if _, ok := v.entity.Property(p); ok {
			props = append(props, p)
		}
	}
	filter := data.Search(props, v.search.Text, v.version)
	// The same search again asks nothing, unless it failed: then Enter
	// tries it again, as Retry does.
	if filter == v.filter && v.pager != nil && !v.banner.Visible() {
		return
	}
	v.filter = filter
	v.reopen()
}

// reopen starts a new pager for the search and the sort asked for (after a
// search, a sort or a failure), keeping the old rows, and their order's
// arrow, on screen until the new ones arrive.
func (v *peopleView) reopen() {
	filter, order := v.filter, v.sort
	if v.asked != nil {
		order = *v.asked
	}
	q := v.queryFor(filter, order)
	v.status.SetText("Loading…")
	if v.pendingGUID == "" {
		// The person selected stays selected in the new order, when
		// they are in its first rows.
		v.pendingGUID = v.selectedGUID()
	}
	b := v.newPager(q)
	v.do.background(func(ctx context.Context) func() {
		err := b.Open(ctx)
		return func() {
			if err != nil {
				b.Close()
				v.failed(err)
				return
			}
			if v.pager != nil {
				v.pager.Close()
			}
			v.pager = b
			v.sort, v.shown, v.asked = order, filter, nil
			if filter == "" {
				v.total = b.Len()
			}
			v.unselect()
			v.table.Refresh() // the headers too: the arrow moves with the rows
			v.selectPending()
			v.table.ScrollToTop()
			v.showCount()
			v.do.onOnline()
			v.do.state("people-loaded", "rows", b.Len(), "total", v.total, "filter", filter != "")
		}
	})
}

func (v *peopleView) newPager(q data.Query) *data.Pager {
	b := v.client.NewPager(data.PeopleSet, q, data.PagerOptions{Go: v.do.fetch})
	v.watch(b)
	return b
}

// watch refreshes the table when b's pages arrive, and reports failures.
func (v *peopleView) watch(b *data.Pager) {
	b.OnChange(func(err error) {
		fyne.Do(func() {
			if v.pager != b {
				return
			}
			if err != nil {
				v.failed(err)
				return
			}
			v.table.Refresh()
			if v.detailPending && v.selected >= 0 {
				v.showDetailSoon(v.selected) // after the rows that came with it
			}
			v.do.onOnline()
		})
	})
}

func (v *peopleView) failed(err error) {
	if v.do.onError(err) {
		return
	}
	v.status.SetText("")
	setNote(v.errText, "Could not load people: "+errorText(err))
	v.showBanner(true)
	v.do.state("people-error", "err", err)
}

func (v *peopleView) showCount() {
	v.showBanner(false)
	n := v.rows()
	switch {
	case v.pager == nil:
		v.status.SetText("")
	case v.shown != "":
		v.status.SetText(fmt.Sprintf("%s of %s people match", thousands(n), thousands(v.total)))
	default:
		v.status.SetText(fmt.Sprintf("%s people", thousands(n)))
	}
	v.status.Refresh()
	if v.pager != nil && n == 0 && v.shown != "" {
		v.emptyText.SetText(fmt.Sprintf("No one matches “%s”.", strings.TrimSpace(v.search.Text)))
		v.empty.Show()
	} else {
		v.empty.Hide()
	}
}

// showBanner shows or hides the error banner and makes room for it. A
// container's Show does not lay its parents out again, so the banner was
// drawn over the list; and a wrapped label knows its height only once it
// has its width, hence the second pass.
func (v *peopleView) showBanner(show bool) {
	if show == v.banner.Visible() {
		return
	}
	showIf(v.banner, show)
	c := v.content.(*fyne.Container)
	for range 2 {
		c.Layout.Layout(c.Objects, c.Size())
	}
}

// searchEntry is the search box: Escape clears it, Down goes to the list.
type searchEntry struct {
	widget.Entry
	view *peopleView
}

func (e *searchEntry) TypedKey(k *fyne.KeyEvent) {
	switch {
	case k.Name == fyne.KeyEscape && e.Text != "":
		e.view.clearSearch()
	case k.Name == fyne.KeyDown && e.view.rows() > 0:
		e.view.focusList()
	default:
		e.Entry.TypedKey(k)
	}
}

// focusList moves the keyboard to the list, with a person selected.
func (v *peopleView) focusList() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(v.keys); c != nil {
		c.Focus(v.keys)
	}
	if v.selected < 0 {
		v.table.Select(widget.TableCellID{Row: 0, Col: 0})
	}
}

// addShortcuts: Ctrl+F search, Ctrl+R reload.
func (v *peopleView) addShortcuts(c fyne.Canvas) {
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { c.Focus(v.searchBox) })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { v.reopen() })
}

// thousands writes 45000 as 45,000.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
