package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

func TestTextFitterShortensToTheWidth(t *testing.T) {
	test.NewTempApp(t)
	f := newTextFitter(theme.TextSize())
	measure := func(s string) float32 { return fyne.MeasureText(s, f.size, fyne.TextStyle{}).Width }
	long := "Siobhán O'Brien-Featherstonehaugh, Head of International Payroll Operations"
	for _, tc := range []struct {
		name, in string
		width    float32
		want     string // "" when only the measured bounds are checked
	}{
		{"fits", "Ada Lovelace", 400, "Ada Lovelace"},
		{"empty", "", 10, ""},
		{"no room", "Ada", 1, "…"},
		{"lines joined", "12 High Street\r\nLeeds\tLS1", 600, "12 High Street Leeds LS1"},
		{"long", long, 150, ""},
		{"long wide", long, 420, ""},
		{"no space before the ellipsis", "Ada Lovelace", measure("Ada …") + 1, "Ada…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := f.fit(tc.in, tc.width)
			if tc.want != "" && got != tc.want {
				t.Fatalf("fit(%q, %.0f) = %q, want %q", tc.in, tc.width, got, tc.want)
			}
			if tc.in == "" && got != "" {
				t.Fatalf("empty text became %q", got)
			}
			if w := measure(got); w > tc.width && got != "…" {
				t.Fatalf("%q is %.1f wide, more than %.0f", got, w, tc.width)
			}
			if got != tc.in && tc.want == "" {
				if !strings.HasSuffix(got, "…") || !strings.HasPrefix(tc.in, strings.TrimSuffix(got, "…")) {
					t.Fatalf("%q is not a start of %q and an ellipsis", got, tc.in)
				}
				// Not shorter than it must be: one more character would not fit.
				next := []rune(tc.in)[len([]rune(got))-1]
				if w := measure(strings.TrimSuffix(got, "…") + string(next) + "…"); w <= tc.width-1 {
					t.Fatalf("%q cut early: with %q it is %.1f of %.0f", got, next, w, tc.width)
				}
			}
		})
	}
}

// The fitter sums each character's advance; shaping whole strings must never
// make a fitted text wider than its column, for the people the app shows.
func TestTextFitterNeverOverflowsForRealData(t *testing.T) {
	_, v := signedInDemo(t)
	checked := 0
	for row := 0; row < 200; row++ {
		r, ok := v.pager.Cached(row)
		if !ok {
			t.Fatalf("row %d not loaded", row)
		}
		for _, val := range r {
			s, ok := val.(string)
			if !ok || s == "" {
				continue
			}
			for _, width := range []float32{60, 104, 134, 184, 264} {
				got := v.fitter.fit(s, width)
				if w := fyne.MeasureText(got, v.fitter.size, fyne.TextStyle{}).Width; w > width {
					t.Fatalf("%q fitted to %.0f is %.1f wide", got, width, w)
				}
				checked++
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d texts checked", checked)
	}
}

func TestTextCellFollowsItsWidth(t *testing.T) {
	test.NewTempApp(t)
	c := newTextCell(newTextFitter(theme.TextSize()))
	w := test.NewTempWindow(t, c)
	w.SetPadded(false)
	c.SetText("Bartholomew Featherstonehaugh-Smythe")
	c.Resize(fyne.NewSize(120, c.MinSize().Height))
	if s := c.Shown(); !strings.HasSuffix(s, "…") || len(s) < 5 {
		t.Fatalf("narrow cell shows %q", s)
	}
	c.Resize(fyne.NewSize(500, c.MinSize().Height))
	if s := c.Shown(); s != "Bartholomew Featherstonehaugh-Smythe" {
		t.Fatalf("wide cell shows %q", s)
	}
	c.SetText("Ada")
	if c.Shown() != "Ada" {
		t.Fatalf("new text shows %q", c.Shown())
	}
	if c.MinSize().Height <= fyne.MeasureText("Ag", theme.TextSize(), fyne.TextStyle{}).Height {
		t.Fatalf("min height %.0f leaves no padding", c.MinSize().Height)
	}
}
