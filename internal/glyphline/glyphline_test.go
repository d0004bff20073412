package glyphline

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"math"
	"testing"

	"fyne.io/fyne/v2/theme"
	"github.com/go-text/render"
	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
)

// The People cells' text size in the default theme.
var cellSize = theme.DefaultTheme().Size(theme.SizeNameText)

func newDrawer(tb testing.TB) *Drawer {
	tb.Helper()
	d, err := New(theme.DefaultTextFont().Content())
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// fyneFace is Fyne's own regular font, parsed as its painter parses it.
func fyneFace(tb testing.TB) *font.Face {
	tb.Helper()
	face, err := font.ParseTTF(bytes.NewReader(theme.DefaultTextFont().Content()))
	if err != nil {
		tb.Fatal(err)
	}
	return face
}

// shapeAsFyne is Fyne 2.7.1's walkString (internal/painter/font.go) for text
// in one font: a space shaped first (Fyne takes tab widths and the line's
// height from it), then each run the segmenter splits the text into, at the
// size in points.
func shapeAsFyne(shaper shaping.Shaper, face *font.Face, s string, size float32) (runs []shaping.Output, space shaping.Output) {
	in := shaping.Input{Text: []rune{' '}, RunEnd: 1, Direction: di.DirectionLTR, Face: face, Size: fixed.Int26_6(size * 64)}
	space = shaper.Shape(in)
	in.Text = []rune(s)
	in.RunEnd = len(in.Text)
	for _, run := range (&shaping.Segmenter{}).Split(in, oneFace{face}) {
		runs = append(runs, shaper.Shape(run))
	}
	return runs, space
}

// drawAsFyne draws shaped runs as Fyne 2.7.1's DrawString does: each run
// whole from a whole pixel, the baseline at the first run's ascent rounded
// up.
func drawAsFyne(runs []shaping.Output, dst draw.Image, c color.Color, size, scale float32) {
	r := render.Renderer{FontSize: size, PixScale: scale, Color: c}
	x, y := float32(0), math.MinInt
	for _, run := range runs {
		if y == math.MinInt {
			y = int(math.Ceil(float64(fixedToFloat(run.LineBounds.Ascent) * scale)))
		}
		r.DrawShapedRunAt(run, dst, int(x), y)
		x += fixedToFloat(run.Advance) * scale
	}
}

// ink sums an image's alpha, and how far apart two images' alpha are.
func ink(a, b *image.RGBA) (inkA, inkB, apart float64) {
	for i := 3; i < len(a.Pix); i += 4 {
		x, y := float64(a.Pix[i]), float64(b.Pix[i])
		inkA, inkB, apart = inkA+x, inkB+y, apart+math.Abs(x-y)
	}
	return inkA, inkB, apart
}

func TestDrawMatchesFynesDrawing(t *testing.T) {
	d := newDrawer(t)
	white := color.NRGBA{R: 255, G: 255, B: 255, A: 255}
	for _, tt := range []struct {
		name  string
		s     string
		scale float32
	}{
		{"email", "camille.bernard438@example.fr", 1},
		{"name with marks", "Zoë Ångström-Ďurová", 1},
		{"composed from marks", "Rene\u0301e Lefe\u0300vre", 1},
		// No precomposed forms: HarfBuzz places the marks (GPOS offsets).
		{"marks placed", "q\u0301 Q\u0301 x\u0304 X\u0304", 1},
		{"greek", "Ελένη Παπαδοπούλου", 1},
		{"cyrillic", "Дмитрий Иванов", 1},
		{"digits and punctuation", "01/02/2026 · £1,234.50 (FTE)", 1},
		{"hidpi", "Head of People Operations", 2},
		{"fractional scale", "Bartholomew Featherstonehaugh", 1.25},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !d.Draws(tt.s) {
				t.Fatalf("Draws(%q) = false", tt.s)
			}
			w, h := int(400*tt.scale), int(math.Ceil(float64(19*tt.scale)))
			got := d.Draw(tt.s, white, cellSize, tt.scale, w, h)
			want := image.NewRGBA(got.Rect)
			runs, _ := shapeAsFyne(&shaping.HarfbuzzShaper{}, fyneFace(t), tt.s, cellSize)
			drawAsFyne(runs, want, white, cellSize, tt.scale)
			wantInk, gotInk, apart := ink(want, got)
			if wantInk == 0 {
				t.Fatal("Fyne's drawing has no ink")
			}
			// Pens kept to a quarter pixel move edges, not the ink.
			if math.Abs(gotInk-wantInk) > wantInk/100 || apart > wantInk/8 {
				t.Errorf("ink %.0f, Fyne's %.0f, %.0f apart", gotInk, wantInk, apart)
			}
		})
	}
}

func TestDrawColourAndClip(t *testing.T) {
	d := newDrawer(t)
	blue := color.NRGBA{R: 0x20, G: 0x40, B: 0xc0, A: 0xff}
	img := d.Draw("Ill", blue, cellSize, 1, 40, 20)
	full := 0
	for i := 0; i < len(img.Pix); i += 4 {
		if img.Pix[i+3] == 0xff {
			full++
			if got := (color.RGBA{img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3]}); got != (color.RGBA{0x20, 0x40, 0xc0, 0xff}) {
				t.Fatalf("a fully inked pixel is %v, want the colour", got)
			}
		}
	}
	if full == 0 {
		t.Fatal("no pixel fully inked: the vertical strokes of I and l should be")
	}

	long := "Wolfeschlegelsteinhausenbergerdorff"
	narrow := d.Draw(long, blue, cellSize, 1, 30, 20)
	if narrow.Rect != image.Rect(0, 0, 30, 20) {
		t.Fatalf("image %v, want 30×20", narrow.Rect)
	}
	wide := d.Draw(long, blue, cellSize, 1, 400, 20)
	start := image.NewRGBA(narrow.Rect)
	draw.Draw(start, start.Rect, wide, image.Point{}, draw.Src)
	a, b, _ := ink(narrow, start)
	if a == 0 || math.Abs(a-b) > 1 {
		t.Errorf("cut off at 30 px: ink %.0f, the same start drawn wide %.0f", a, b)
	}
	for _, p := range d.Draw("", blue, cellSize, 1, 30, 20).Pix {
		if p != 0 {
			t.Fatal("nothing to draw, yet ink")
		}
	}
	if img := d.Draw("x", blue, cellSize, 1, -5, 20); !img.Rect.Empty() {
		t.Fatalf("no room: an image of %v", img.Rect)
	}
}

func TestDraws(t *testing.T) {
	d := newDrawer(t)
	for _, tt := range []struct {
		s    string
		want bool
	}{
		{"", true},
		{"Ada Lovelace", true},
		{"Ådne Øvrebø-Šimić", true},
		{"…", true},
		{"مرحبا", false},     // right to left, and not in the font
		{"שלום", false},      // right to left
		{"山田 太郎", false},     // not in the font: Fyne falls back to a system font
		{"a\tb", false},      // Fyne lays out tabs
		{"\u200fabc", false}, // a bidirectional mark
		{"Ada 😀", false},     // an emoji
		{"Ивана Петрова", true},
		{"Ada\u200e", true},     // a left-to-right mark
		{"1\u060c2", false},     // an Arabic comma between digits
		{"Ada\u202eabc", false}, // a right-to-left override
	} {
		if got := d.Draws(tt.s); got != tt.want {
			t.Errorf("Draws(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

// The masks are drawn once: the same string again draws none, and gives
// the same pixels; another size starts afresh.
func TestMasksKept(t *testing.T) {
	d := newDrawer(t)
	c := color.NRGBA{A: 0xff}
	first := d.Draw("Margaret Hamilton", c, cellSize, 1, 200, 20)
	n := len(d.masks)
	if n == 0 {
		t.Fatal("no masks kept")
	}
	again := d.Draw("Margaret Hamilton", c, cellSize, 1, 200, 20)
	if len(d.masks) != n || !bytes.Equal(first.Pix, again.Pix) {
		t.Fatalf("drawn again: %d masks (was %d), same pixels %v", len(d.masks), n, bytes.Equal(first.Pix, again.Pix))
	}
	for _, other := range []struct {
		name        string
		size, scale float32
		h           int
	}{{"size", cellSize * 2, 1, 40}, {"scale", cellSize, 2, 40}, {"height", cellSize, 2, 44}} {
		d.Draw("M", c, other.size, other.scale, 200, other.h)
		if len(d.masks) != 1 {
			t.Fatalf("another %s kept %d masks, want only its own 1", other.name, len(d.masks))
		}
	}
}

// What was drawn before never changes what is drawn: the acute above a
// capital sits higher than above a small letter (the same glyph, another
// vertical offset), and each keeps a mask of its own.
func TestMasksDoNotLeakBetweenStrings(t *testing.T) {
	c := color.NRGBA{A: 0xff}
	fresh := newDrawer(t).Draw("Q\u0301", c, cellSize, 1, 40, 20)
	d := newDrawer(t)
	d.Draw("q\u0301", c, cellSize, 1, 40, 20)
	if after := d.Draw("Q\u0301", c, cellSize, 1, 40, 20); !bytes.Equal(fresh.Pix, after.Pix) {
		t.Fatal("Q with an acute drawn differently after q with one")
	}
}

// What a string new to the window costs Fyne 2.7.1 on the UI goroutine,
// step by step as its painter does it (internal/painter/font.go:
// walkString, DrawString; internal/painter/gl/texture.go:
// newGlTextTexture, imgToTexture), with the same packages and Fyne's own
// font, and beside it the same work done otherwise. Fyne shapes a new
// string twice (to measure it, then to draw it) with a HarfBuzz shaper made
// for each call; it draws the glyphs with go-text/render into an
// image.NRGBA, which x/image's rasteriser has no fast path for and fills a
// pixel at a time through color.Model, then copies that into RGBA for the
// texture. The README's "A window that never stalls" has the figures.

// newStringText is a People cell: an email address, 29 characters.
const newStringText = "camille.bernard438@example.fr"

func BenchmarkNewStringShape(b *testing.B) {
	face := fyneFace(b)
	for _, tt := range []struct {
		name  string
		fresh bool
	}{
		{"shaper_per_call_as_fyne", true},
		{"shaper_kept", false},
	} {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			shaper := &shaping.HarfbuzzShaper{}
			for b.Loop() {
				if tt.fresh {
					shaper = &shaping.HarfbuzzShaper{}
				}
				shapeAsFyne(shaper, face, newStringText, cellSize)
			}
		})
	}
}

func BenchmarkNewStringDraw(b *testing.B) {
	runs, space := shapeAsFyne(&shaping.HarfbuzzShaper{}, fyneFace(b), newStringText, cellSize)
	if len(runs) != 1 {
		b.Fatalf("%q shaped into %d runs, want 1", newStringText, len(runs))
	}
	// The texture's size as newGlTextTexture takes it at scale 1: the
	// string's advance and its line's height, each rounded.
	round := func(v fixed.Int26_6) int { return int(math.Round(float64(v) / 64)) }
	bounds := image.Rect(0, 0, round(runs[0].Advance), round(space.LineBounds.LineThickness()))
	d := newDrawer(b)
	for _, tt := range []struct {
		name string
		draw func()
	}{
		{"nrgba_as_fyne", func() {
			img := image.NewNRGBA(bounds)
			drawAsFyne(runs, img, color.White, cellSize, 1)
			rgba := image.NewRGBA(bounds) // imgToTexture's copy
			draw.Draw(rgba, rgba.Rect, img, image.Point{}, draw.Over)
		}},
		{"rgba", func() { drawAsFyne(runs, image.NewRGBA(bounds), color.White, cellSize, 1) }},
		// Coverage only: the colour would still have to be put in.
		{"alpha", func() { drawAsFyne(runs, image.NewAlpha(bounds), color.Opaque, cellSize, 1) }},
		// Shaping included, with the Drawer's kept shaper.
		{"glyphline_shaped_and_drawn", func() { d.Draw(newStringText, color.White, cellSize, 1, bounds.Dx(), bounds.Dy()) }},
	} {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				tt.draw()
			}
		})
	}
}
