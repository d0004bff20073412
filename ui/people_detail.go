package ui

import (
	"context"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/data"
)

// lookupTimeout bounds the look-up of the person a GUID names.
const lookupTimeout = 30 * time.Second

// showDetail lists every property of a row, formatted for people; a GUID
// that names another person (a manager) shows as their name, a link to them.
func (v *peopleView) showDetail(row int) {
	r, ok := v.pager.Cached(row)
	v.detailPending = !ok
	if !ok {
		v.showNote("Loading this person…")
		v.pager.Prefetch(row, row)
		return
	}
	if v.pane == nil {
		v.pane = v.newPersonPane()
	}
	for i, p := range v.entity.Properties {
		v.fillDetail(i, r, p)
	}
	v.setDetail(v.pane.form)
	v.do.state("person-shown", "row", row, "guid", r[v.personKey()])
}

// clearDetail shows the hint that stands in for a person.
func (v *peopleView) clearDetail() { v.showNote("Select a person to see all their details.") }

// hintUnlessShown shows the hint if the pane shows nothing yet: the
// signed-in view puts it in after its first frames (deferredPart).
func (v *peopleView) hintUnlessShown() {
	if v.detail == nil {
		v.clearDetail()
	}
}

// showNote puts a line of text in the Details pane, in place of a person.
func (v *peopleView) showNote(text string) {
	v.setDetail(widget.NewForm(widget.NewFormItem("", wrapped(text, widget.MediumImportance))))
}

// setDetail puts a form in the Details pane, if it is not there already.
func (v *peopleView) setDetail(f *widget.Form) {
	// Labels above values: the pane is narrow, and beside their labels
	// the values had room for a few letters a line.
	f.Orientation = widget.Vertical
	if v.detail == f {
		return
	}
	v.detail = f
	v.detailBox.Objects = []fyne.CanvasObject{f}
	v.detailBox.Refresh()
}

// personPane is the Details form: made once, for the entity's properties,
// then filled with each person selected. A new form for each person made
// some 35 widgets, measured and drew every title again and laid the pane
// out from nothing: with software OpenGL, a 30-90 ms frame at each Down
// key. Filled in place, a person costs only the values that change. (A
// form cannot be refilled through its Items: reset and appended, Fyne kept
// drawing the first row's old value.)
type personPane struct {
	form *widget.Form
	// Per property: the holder the form shows; the label it holds, or the
	// link that takes its place once the person a GUID names is found; and
	// that GUID, so that an answer about the person shown before is not
	// put in.
	holders []*fyne.Container
	labels  []*widget.Label
	links   []*widget.Hyperlink
	guids   []string
}

// newPersonPane makes the pane's form, a row per property, values empty.
func (v *peopleView) newPersonPane() *personPane {
	n := len(v.entity.Properties)
	pp := &personPane{holders: make([]*fyne.Container, n), labels: make([]*widget.Label, n),
		links: make([]*widget.Hyperlink, n), guids: make([]string, n)}
	items := make([]*widget.FormItem, n)
	for i, p := range v.entity.Properties {
		pp.labels[i] = detailLabel("")
		pp.holders[i] = container.NewStack(pp.labels[i])
		items[i] = widget.NewFormItem(v.detailTitle(p), pp.holders[i])
	}
	pp.form = widget.NewForm(items...)
	return pp
}

// fillDetail shows property p of r in row i of the pane: a manager by
// name, as a link to them; until they are found, or when no one has that
// GUID, the GUID as the table shows it. A manager already known goes
// straight to the link: the GUID, measured and wrapped for one frame's
// layout only, was work thrown away at every Down key.
func (v *peopleView) fillDetail(i int, r data.Record, p data.Property) {
	pp := v.pane
	guid, _ := r[p.Name].(string)
	if !v.namesPerson(p) {
		guid = ""
	}
	pp.guids[i] = guid
	if guid != "" {
		linked := false
		v.lookUpPerson(guid, func(rec data.Record) {
			if rec != nil && pp.guids[i] == guid {
				pp.showLink(i, rec, v.goToPerson)
				linked = true
			}
		})
		if linked {
			return
		}
	}
	if shown := data.FormatProperty(r[p.Name], p, v.locale); pp.labels[i].Text != shown {
		pp.labels[i].SetText(shown)
	}
	pp.show(i, pp.labels[i])
}

// showLink makes row i a link to rec, which goTo selects.
func (pp *personPane) showLink(i int, rec data.Record, goTo func(data.Record)) {
	link := pp.links[i]
	if link == nil {
		link = widget.NewHyperlink("", nil)
		link.Wrapping = fyne.TextWrapWord
		pp.links[i] = link
	}
	link.OnTapped = func() { goTo(rec) }
	if name := personName(rec); link.Text != name {
		link.SetText(name)
	}
	pp.show(i, link)
}

// show makes o what row i of the pane holds.
func (pp *personPane) show(i int, o fyne.CanvasObject) {
	h := pp.holders[i]
	if len(h.Objects) == 1 && h.Objects[0] == o {
		return
	}
	h.Objects = []fyne.CanvasObject{o}
	h.Refresh()
}

func detailLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.Selectable = true
	return l
}

// personKey is the property that identifies a person, when it is one GUID.
func (v *peopleView) personKey() string {
	if len(v.entity.Keys) != 1 {
		return ""
	}
	if p, ok := v.entity.Property(v.entity.Keys[0]); ok && p.Type == "Edm.Guid" {
		return p.Name
	}
	return ""
}

// namesPerson says whether a property may hold another person's GUID: a
// GUID that is not the person's own key (ManagerGuid).
func (v *peopleView) namesPerson(p data.Property) bool {
	return p.Type == "Edm.Guid" && v.personKey() != "" && !slices.Contains(v.entity.Keys, p.Name)
}

// detailTitle labels a property: "ManagerGuid", which shows a name, is
// "Manager".
func (v *peopleView) detailTitle(p data.Property) string {
	if v.namesPerson(p) && strings.HasSuffix(p.Name, "Guid") && p.Name != "Guid" {
		return data.ColumnTitle(strings.TrimSuffix(p.Name, "Guid"))
	}
	return data.ColumnTitle(p.Name)
}

// lookUpPerson calls found with the person a GUID names (nil for no one),
// at once when known, else when the tenant answered. Each GUID is asked
// for once at a time, however fast Down moves through the people who
// share a manager.
func (v *peopleView) lookUpPerson(guid string, found func(data.Record)) {
	key := strings.ToLower(guid)
	if rec, ok := v.people[key]; ok {
		found(rec)
		return
	}
	if v.waiting == nil {
		v.waiting = map[string][]func(data.Record){}
	}
	if waiters, ok := v.waiting[key]; ok {
		v.waiting[key] = append(waiters, found)
		return
	}
	v.waiting[key] = []func(data.Record){found}
	client, version, property := v.client, v.version, v.personKey()
	v.do.fetch(func() {
		ctx, cancel := context.WithTimeout(context.Background(), lookupTimeout)
		defer cancel()
		rec, err := client.PersonByGUID(ctx, property, guid, version)
		fyne.Do(func() {
			waiters := v.waiting[key]
			delete(v.waiting, key)
			if err != nil {
				// The GUID stays: a name is a convenience, and the table
				// reports the errors that matter.
				return
			}
			if v.people == nil {
				v.people = map[string]data.Record{}
			}
			v.people[key] = rec
			for _, f := range waiters {
				f(rec)
			}
		})
	})
}

// personName is how a person is named in a link.
func personName(r data.Record) string {
	for _, name := range []string{"FormattedName", "KnownAs", "EmailAddress"} {
		if s, ok := r[name].(string); ok && strings.TrimSpace(s) != "" {
			return s
		}
	}
	first, _ := r["FirstName"].(string)
	last, _ := r["LastName"].(string)
	if n := strings.TrimSpace(first + " " + last); n != "" {
		return n
	}
	s, _ := r["PersonGuid"].(string)
	return s
}

// goToPerson selects a person: in the list when they are in it, else after
// a search that finds them (their email, or their name).
func (v *peopleView) goToPerson(rec data.Record) {
	key := v.personKey()
	guid, _ := rec[key].(string)
	if row := v.loadedRow(guid); row >= 0 {
		v.table.Select(widget.TableCellID{Row: row, Col: max(v.selectedCol, 0)})
		return
	}
	find, _ := rec["EmailAddress"].(string)
	if _, ok := v.entity.Property("EmailAddress"); !ok || find == "" {
		find = personName(rec)
	}
	v.pendingGUID = guid
	v.searchNow(find)
}

// selectPending selects the person a search was made to find.
func (v *peopleView) selectPending() {
	guid := v.pendingGUID
	v.pendingGUID = ""
	if row := v.loadedRow(guid); guid != "" && row >= 0 {
		v.table.Select(widget.TableCellID{Row: row, Col: max(v.selectedCol, 0)})
	}
}

// selectedGUID is the selected person's GUID, "" when none is.
func (v *peopleView) selectedGUID() string {
	if v.selected < 0 || v.pager == nil {
		return ""
	}
	r, ok := v.pager.Cached(v.selected)
	if !ok {
		return ""
	}
	s, _ := r[v.personKey()].(string)
	return s
}

// loadedRow is the row of the person with this GUID among the rows loaded,
// -1 when they are not.
func (v *peopleView) loadedRow(guid string) int {
	key := v.personKey()
	if guid == "" || key == "" {
		return -1
	}
	for i := range v.rows() {
		if r, ok := v.pager.Cached(i); ok {
			if s, _ := r[key].(string); strings.EqualFold(s, guid) {
				return i
			}
		}
	}
	return -1
}
