package ui

import (
	"fmt"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestActionBarOverflows: a toolbar gives its actions up to the More menu
// from the right as the window narrows, and the search box beside it keeps
// its room.
func TestActionBarOverflows(t *testing.T) {
	tests := []struct {
		width     float32
		shown     []string
		menu      []string
		searchMin float32
	}{
		{900, []string{"Reload", "Sign in again", "Sign out", "About"}, nil, 400},
		{620, []string{"Reload", "Sign in again", "Sign out"}, []string{"About"}, searchMinWidth},
		{360, nil, []string{"Reload", "Sign in again", "Sign out", "About"}, searchMinWidth},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.width), func(t *testing.T) {
			test.NewTempApp(t)
			tapped := ""
			var items []barItem
			for _, l := range []string{"Reload", "Sign in again", "Sign out", "About"} {
				items = append(items, buttonItem(widget.NewButton(l, func() { tapped = l })))
			}
			off := widget.NewSelect(nil, nil)
			bar := newActionBar(append([]barItem{{obj: off, off: true}}, items...)...)
			search := widget.NewEntry()
			row := newToolbar(widget.NewLabel("People"), search, bar, searchMinWidth)
			w := test.NewTempWindow(t, row)
			w.Resize(fyne.NewSize(tt.width, row.MinSize().Height))
			var shown, menu []string
			for _, it := range items {
				if b := it.obj.(*widget.Button); b.Visible() {
					shown = append(shown, b.Text)
					if b.Position().X+b.Size().Width > bar.Size().Width {
						t.Errorf("%q runs past the bar", b.Text)
					}
				}
			}
			for _, m := range bar.overflowMenu() {
				menu = append(menu, m.Label)
			}
			if !slices.Equal(shown, tt.shown) || !slices.Equal(menu, tt.menu) || off.Visible() {
				t.Fatalf("shown %q, menu %q (switcher shown %v); want %q, %q", shown, menu, off.Visible(), tt.shown, tt.menu)
			}
			if bar.more.Visible() != (len(tt.menu) > 0) {
				t.Errorf("More shown %v with %d in its menu", bar.more.Visible(), len(tt.menu))
			}
			if search.Size().Width < tt.searchMin {
				t.Errorf("search box %v wide, want at least %v", search.Size().Width, tt.searchMin)
			}
			if len(tt.menu) > 0 {
				bar.overflowMenu()[0].Action()
				if tapped != tt.menu[0] {
					t.Errorf("the menu's %q did %q", tt.menu[0], tapped)
				}
			}
		})
	}
}

// TestAdaptiveSwitchesAtItsWidth: below its threshold the narrow
// arrangement shows, and the wide one comes back when there is room.
func TestAdaptiveSwitchesAtItsWidth(t *testing.T) {
	test.NewTempApp(t)
	a := newAdaptive(500, func(narrow bool) fyne.CanvasObject { return widget.NewLabel(fmt.Sprint(narrow)) })
	w := test.NewTempWindow(t, a)
	for _, tt := range []struct {
		width float32
		want  string
	}{{700, "false"}, {400, "true"}, {600, "false"}} {
		w.Resize(fyne.NewSize(tt.width, 300))
		if got := a.content.(*widget.Label).Text; got != tt.want {
			t.Errorf("at %v narrow is %s, want %s", tt.width, got, tt.want)
		}
	}
}
