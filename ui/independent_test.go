package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/odatatest"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

// TestPeopleViewOnIndependentServer signs in to the sandbox tenant with a
// profile whose data service is an OData server this project did not write
// (SAP CAP for v4, its community adapter for v2: internal/odatatest), and
// checks the People view as a person uses it: the count, rows in name
// order near the top and far down, a search of two words and a reversed
// sort, each against the generated people.
func TestPeopleViewOnIndependentServer(t *testing.T) {
	if !slices.Equal(searchProperties, odatatest.SearchProperties) {
		t.Fatalf("the search box matches %v, the harness's expectations %v", searchProperties, odatatest.SearchProperties)
	}
	srv := odatatest.Start(t, odatatest.DefaultPeople)
	for _, version := range []int{4, 2} {
		t.Run(fmt.Sprintf("v%d", version), func(t *testing.T) {
			h := newUIHarness(t, hrRobot(), nil)
			p, secret := h.profile("Independent", sandbox.ClientDesktopOnDemand, func(p *auth.Profile) {
				p.DataServiceURL = srv.Root(version)
			})
			// The CAP server is on another port than the tenant: the person
			// has agreed to it, as the form would ask.
			p.DataServiceConfirmed = true
			a := h.newApp(p)
			signInWith(t, a, secret)
			a.win.Resize(fyne.NewSize(1400, 900))
			v := a.signedIn.people
			checkIndependentView(t, h, v, srv.People)
		})
	}
}

func checkIndependentView(t *testing.T, h *uiHarness, v *peopleView, people []odatatest.Person) {
	t.Helper()
	if got, want := v.status.Text, thousands(len(people))+" people"; got != want || v.banner.Visible() {
		t.Fatalf("status %q (error %q), want %q", got, v.errText.Text, want)
	}
	if v.columns[0].Name != "FormattedName" {
		t.Fatalf("first column %s, want FormattedName", v.columns[0].Name)
	}
	byName := sortedPeople(people, false)
	checkIndependentRows(t, h, v, byName, "name order")

	// Two words, each in a name or the email: the search box's filter.
	v.search.SetText("mary ann")
	v.applySearch()
	matches := 0
	for _, p := range people {
		if p.Matches("mary ann") {
			matches++
		}
	}
	want := fmt.Sprintf("%s of %s people match", thousands(matches), thousands(len(people)))
	if v.status.Text != want || v.banner.Visible() {
		t.Fatalf("search: status %q (error %q), want %q", v.status.Text, v.errText.Text, want)
	}
	v.search.SetText("")
	v.applySearch()

	// A tap on Name reverses the order by name: a descending $orderby.
	header := widget.NewButton("", nil)
	v.updateHeader(widget.TableCellID{Row: -1, Col: 0}, header)
	test.Tap(header)
	if v.banner.Visible() {
		t.Fatalf("reversed sort failed: %q", v.errText.Text)
	}
	v.updateHeader(widget.TableCellID{Row: -1, Col: 0}, header)
	if header.Icon != theme.MenuDropDownIcon() {
		t.Fatalf("Name header icon %v after reversing", header.Icon)
	}
	checkIndependentRows(t, h, v, sortedPeople(people, true), "reversed name order")
}

// checkIndependentRows compares the Name cells of rows at the top, in the
// middle and at the end (fetched as the table would, page by page) with
// the people in the order the view should show.
func checkIndependentRows(t *testing.T, h *uiHarness, v *peopleView, want []odatatest.Person, order string) {
	t.Helper()
	rows := []int{0, 1, 2, len(want) / 2, len(want) - 1}
	for _, row := range rows {
		cellText(t, v, row, 0)
	}
	h.drain()
	for _, row := range rows {
		name, _ := want[row].Value("FormattedName")
		if got := cellText(t, v, row, 0); got != name {
			t.Errorf("%s: row %d shows %q, want %q", order, row, got, name)
		}
	}
}

// sortedPeople is the view's order by name (last name, first name, full
// name, then the key ascending), by code point as SQLite compares text.
func sortedPeople(people []odatatest.Person, desc bool) []odatatest.Person {
	out := slices.Clone(people)
	slices.SortStableFunc(out, func(a, b odatatest.Person) int {
		for _, prop := range []string{"LastName", "FirstName", "FormattedName"} {
			x, _ := a.Value(prop)
			y, _ := b.Value(prop)
			if c := strings.Compare(x, y); c != 0 {
				if desc {
					return -c
				}
				return c
			}
		}
		x, _ := a.Value("PersonGuid")
		y, _ := b.Value("PersonGuid")
		return strings.Compare(x, y)
	})
	return out
}
