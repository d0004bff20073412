package ui

import (
	"fmt"
	"image"
	"image/color"
	"log/slog"
	"math"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/glyphline"
)

func TestTextFitterShortensToTheWidth(t *testing.T) {
	test.NewTempApp(t)
	for _, drawer := range []*glyphline.Drawer{nil, testCellFont(t)} {
		f := newTextFitter(theme.TextSize())
		f.drawer = drawer // its advances, when there is one
		t.Run(fmt.Sprintf("drawer %v", drawer != nil), func(t *testing.T) { testFitterShortens(t, f) })
	}
}

func testFitterShortens(t *testing.T, f *textFitter) {
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
			got, width := f.fit(tc.in, tc.width)
			if measured := measure(got); width < measured {
				t.Fatalf("fit(%q) says %q is %.1f wide; measured whole, %.1f", tc.in, got, width, measured)
			}
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

// TestTextFitterAdvancesAreFynes: the drawer's advance of a character is
// the width Fyne measures for it, to the last bit, at the theme's size and
// at sizes Fyne's settings make; what the drawer does not draw is Fyne's.
func TestTextFitterAdvancesAreFynes(t *testing.T) {
	test.NewTempApp(t)
	d := testCellFont(t)
	text := "Siobhán O'Brien-Featherstonehaugh … Ωμέγα Жуковский 0123456789 @#%&*()[]{}.,;:!?/\\|+-=_~ ǅﬁ ŀ ĳ"
	for _, size := range []float32{theme.TextSize(), 11, 13.5, 17.25} {
		f := newTextFitter(size)
		f.drawer = d
		for _, r := range text {
			want := fyne.MeasureText(string(r), size, fyne.TextStyle{}).Width
			got, ok := d.Advance(r, size)
			if !ok {
				t.Fatalf("the drawer does not measure %q", r)
			}
			if got != want || f.advance(r) != want {
				t.Fatalf("%q at %g points: the drawer's advance %v, the fitter's %v, Fyne's %v", r, size, got, f.advance(r), want)
			}
		}
	}
	for _, r := range []rune{'م', '中', '\t', 'א'} {
		if _, ok := d.Advance(r, 14); ok {
			t.Errorf("the drawer measured %q, which Fyne draws itself", r)
		}
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
				got, _ := v.fitter.fit(s, width)
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
	for _, tt := range []struct {
		name   string
		drawer *glyphline.Drawer
	}{{"fyne's text", nil}, {"own glyphs", testCellFont(t)}} {
		t.Run(tt.name, func(t *testing.T) {
			f := newTextFitter(theme.TextSize())
			f.drawer = tt.drawer
			c := newTextCell(f)
			w := test.NewTempWindow(t, c)
			w.SetPadded(false)
			c.SetText("Bartholomew Featherstonehaugh-Smythe")
			c.Resize(fyne.NewSize(120, c.MinSize().Height))
			if s := c.Shown(); !strings.HasSuffix(s, "…") || len(s) < 5 {
				t.Fatalf("narrow cell shows %q", s)
			}
			if tt.drawer != nil && c.glyphs.Size().Width > 120 {
				t.Fatalf("the glyphs of a 120 wide cell are %.0f wide", c.glyphs.Size().Width)
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
			c.Resize(fyne.NewSize(1, c.MinSize().Height)) // narrower than its padding
			if c.glyphs.Size().Width < 0 {
				t.Fatalf("glyphs %.0f wide", c.glyphs.Size().Width)
			}
		})
	}
}

func testCellFont(t *testing.T) *glyphline.Drawer {
	t.Helper()
	d, err := glyphline.New(theme.TextFont().Content())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// A cell draws its text in glyphs of its own when the drawer can, and what
// a person sees is what Fyne would have drawn; other text is Fyne's.
func TestTextCellDrawsItsOwnGlyphs(t *testing.T) {
	test.NewTempApp(t)
	shot := func(drawer *glyphline.Drawer, s string, scale float32) (*textCell, image.Image) {
		f := newTextFitter(theme.TextSize())
		f.drawer = drawer
		c := newTextCell(f)
		w := test.NewTempWindow(t, c)
		w.Canvas().(test.WindowlessCanvas).SetScale(scale)
		w.SetPadded(false)
		w.Resize(fyne.NewSize(320, c.MinSize().Height))
		c.SetText(s)
		return c, w.Canvas().Capture()
	}
	drawer := testCellFont(t)
	for _, scale := range []float32{1, 2} {
		for _, s := range []string{"Bartholomew Featherstonehaugh", "camille.bernard438@example.fr", "Zoë Ångström"} {
			c, glyphs := shot(drawer, s, scale)
			if !c.glyphs.Visible() || c.text.Text != "" || c.Shown() != s {
				t.Fatalf("%q: glyphs shown %v, text %q, Shown %q", s, c.glyphs.Visible(), c.text.Text, c.Shown())
			}
			_, text := shot(nil, s, scale)
			inkGlyphs, inkText, apart := inkApart(glyphs, text)
			if inkText == 0 || math.Abs(inkGlyphs-inkText) > inkText/50 || apart > inkText/8 {
				t.Errorf("%q at scale %v in glyphs: ink %.0f, in Fyne's text %.0f, %.0f apart", s, scale, inkGlyphs, inkText, apart)
			}
		}
	}
	for _, s := range []string{"مرحبا بالعالم", "山田 太郎"} {
		c, _ := shot(drawer, s, 1)
		if c.glyphs.Visible() || c.text.Text != s || c.Shown() != s {
			t.Fatalf("%q: glyphs shown %v, text %q: Fyne should draw it", s, c.glyphs.Visible(), c.text.Text)
		}
	}
	c, _ := shot(drawer, "Ada", 1)
	c.SetText("مرحبا")
	c.SetText("Ada Lovelace")
	if !c.glyphs.Visible() || c.text.Text != "" {
		t.Fatalf("back to Latin: glyphs shown %v, text %q", c.glyphs.Visible(), c.text.Text)
	}
}

// The glyphs are drawn for the pixels the painter gives a point: on a
// Retina Mac the framebuffer is twice the window while the canvas's scale
// is 1 (Fyne's texScale), which only the pixel coordinates tell.
func TestPixelScale(t *testing.T) {
	test.NewTempApp(t)
	scaled := func(s float32) fyne.Canvas {
		c := test.NewCanvas()
		c.SetScale(s)
		return c
	}
	for _, tt := range []struct {
		name string
		cv   fyne.Canvas
		want float32
	}{
		{"no canvas yet", nil, 1},
		{"scale 1", scaled(1), 1},
		{"scale 1.25", scaled(1.25), 1.25},
		{"retina: scale 1, framebuffer twice the window", retinaCanvas{scaled(1)}, 2},
	} {
		if got := pixelScale(tt.cv); math.Abs(float64(got-tt.want)) > 0.001 {
			t.Errorf("%s: pixelScale %v, want %v", tt.name, got, tt.want)
		}
	}
}

// retinaCanvas maps a point to two pixels, as Fyne's GL canvas does on a
// Retina display.
type retinaCanvas struct{ fyne.Canvas }

func (c retinaCanvas) PixelCoordinateForPosition(p fyne.Position) (int, int) {
	return int(p.X * 2), int(p.Y * 2)
}

// A font that cannot be read, or has no "…" to shorten with, leaves the
// cells to Fyne; a good one is there once parsed, and is never waited for.
func TestCellFontLoads(t *testing.T) {
	var queued []func()
	later := func(f func()) { queued = append(queued, f) }
	log := slog.New(slog.DiscardHandler)
	f := loadCellFont(theme.TextFont().Content(), later, log)
	if f.drawer() != nil {
		t.Fatal("a drawer before the font was parsed")
	}
	queued[0]()
	if f.drawer() == nil {
		t.Fatal("no drawer once the font was parsed")
	}
	bad := loadCellFont([]byte("not a font"), func(g func()) { g() }, log)
	if bad.drawer() != nil {
		t.Fatal("a drawer from a file that is no font")
	}
	if (*cellFont)(nil).drawer() != nil {
		t.Fatal("a drawer without a font")
	}
}

// inkApart sums how far each image's pixels are from the background (the
// top-left pixel), and how far apart the two are.
func inkApart(a, b image.Image) (inkA, inkB, apart float64) {
	bg := a.At(0, 0)
	dist := func(c, d color.Color) float64 {
		r1, g1, b1, _ := c.RGBA()
		r2, g2, b2, _ := d.RGBA()
		return (math.Abs(float64(r1)-float64(r2)) + math.Abs(float64(g1)-float64(g2)) + math.Abs(float64(b1)-float64(b2))) / 0x101
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			inkA += dist(a.At(x, y), bg)
			inkB += dist(b.At(x, y), bg)
			apart += dist(a.At(x, y), b.At(x, y))
		}
	}
	return inkA, inkB, apart
}
