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
		v.setDetail(widget.NewForm(widget.NewFormItem("", wrapped("Loading this person…", widget.MediumImportance))))
		v.pager.Prefetch(row, row)
		return
	}
	items := make([]*widget.FormItem, 0, len(v.entity.Properties))
	for _, p := range v.entity.Properties {
		items = append(items, widget.NewFormItem(v.detailTitle(p), v.detailValue(r, p)))
	}
	v.setDetail(widget.NewForm(items...))
	v.do.state("person-shown", "row", row, "guid", r[v.personKey()])
}

// clearDetail shows the hint that stands in for a person.
func (v *peopleView) clearDetail() {
	v.setDetail(widget.NewForm(widget.NewFormItem("", wrapped("Select a person to see all their details.", widget.MediumImportance))))
}

// setDetail puts a new form in the Details pane. A widget.Form cannot be
// refilled: after Items is reset and rows appended, Fyne keeps drawing the
// first row's old value, so the first field read the hint for everyone.
func (v *peopleView) setDetail(f *widget.Form) {
	// Labels above values: the pane is narrow, and beside their labels
	// the values had room for a few letters a line.
	f.Orientation = widget.Vertical
	v.detail = f
	v.detailBox.Objects = []fyne.CanvasObject{f}
	v.detailBox.Refresh()
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

func (v *peopleView) detailValue(r data.Record, p data.Property) fyne.CanvasObject {
	shown := data.FormatProperty(r[p.Name], p, v.locale)
	if guid, ok := r[p.Name].(string); ok && guid != "" && v.namesPerson(p) {
		return v.personLink(guid, shown)
	}
	return detailLabel(shown)
}

// personLink shows the person a GUID names as a link to them. Until they
// are found, or when no one has that GUID, the GUID shows as the table
// shows it (shown).
func (v *peopleView) personLink(guid, shown string) fyne.CanvasObject {
	holder := container.NewStack(detailLabel(shown))
	show := func(rec data.Record) {
		if rec == nil {
			return
		}
		link := widget.NewHyperlink(personName(rec), nil)
		link.Wrapping = fyne.TextWrapWord
		link.OnTapped = func() { v.goToPerson(rec) }
		holder.Objects = []fyne.CanvasObject{link}
		holder.Refresh()
	}
	v.lookUpPerson(guid, show)
	return holder
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
