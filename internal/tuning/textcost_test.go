package tuning

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

// What a string new to the window costs Fyne 2.7.1 on the UI goroutine,
// step by step, done as its painter does it (internal/painter/font.go:
// walkString, DrawString; internal/painter/gl/texture.go: newGlTextTexture,
// imgToTexture) with the same packages and Fyne's own font. It shapes the
// string with a HarfBuzz shaper made for the call (a space first, then
// the runs a segmenter splits it into), once to measure it and again to
// draw it; it draws the glyphs with go-text/render into an image.NRGBA,
// which x/image's rasteriser has no fast path for and fills a pixel at a
// time through color.Model; and it copies that into an RGBA image for the
// texture. Beside each step, the same work done otherwise: a shaper kept
// from call to call; the glyphs drawn into the RGBA or Alpha images the
// rasteriser has fast paths for; or each glyph drawn once into a mask and
// a string made by placing the masks, which an app could do only by
// drawing its text itself. The README's "A window that never stalls" has
// the figures and what they mean for the app's stalls.
//
//	go test -run '^$' -bench NewString ./internal/tuning/

// cellTextSize is the default theme's text size, as the People cells use.
var cellTextSize = theme.DefaultTheme().Size(theme.SizeNameText)

// newStringText is a People cell: an email address, 29 characters.
var newStringText = []rune("camille.bernard438@example.fr")

// oneFace is a font map of Fyne's regular face alone: every character of
// newStringText is in it, so Fyne's map would resolve each to it too.
type oneFace struct{ face *font.Face }

func (m oneFace) ResolveFace(rune) *font.Face { return m.face }

func fyneFace(tb testing.TB) *font.Face {
	tb.Helper()
	face, err := font.ParseTTF(bytes.NewReader(theme.DefaultTextFont().Content()))
	if err != nil {
		tb.Fatal(err)
	}
	return face
}

// shapeAsFyne is walkString's shaping: the space (for its line bounds and
// tab width), then each run the segmenter splits the text into.
func shapeAsFyne(shaper shaping.Shaper, faces oneFace) (runs []shaping.Output, space shaping.Output) {
	size := fixed.Int26_6(cellTextSize * 64)
	in := shaping.Input{Text: []rune{' '}, RunEnd: 1, Direction: di.DirectionLTR, Face: faces.face, Size: size}
	space = shaper.Shape(in)
	in.Text, in.RunEnd = newStringText, len(newStringText)
	for _, run := range (&shaping.Segmenter{}).Split(in, faces) {
		runs = append(runs, shaper.Shape(run))
	}
	return runs, space
}

func BenchmarkNewStringShape(b *testing.B) {
	faces := oneFace{fyneFace(b)}
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
				shapeAsFyne(shaper, faces)
			}
		})
	}
}

func BenchmarkNewStringDraw(b *testing.B) {
	run, space := oneRun(b)
	bounds, baseline := textureOf(run, space)
	r := cellRenderer()
	place := placeGlyphs(run, bounds, baseline)
	for _, tt := range []struct {
		name string
		draw func()
	}{
		{"nrgba_as_fyne", func() {
			img := image.NewNRGBA(bounds)
			r.DrawShapedRunAt(run, img, 0, baseline)
			rgba := image.NewRGBA(bounds) // imgToTexture's copy
			draw.Draw(rgba, rgba.Rect, img, image.Point{}, draw.Over)
		}},
		{"rgba", func() { r.DrawShapedRunAt(run, image.NewRGBA(bounds), 0, baseline) }},
		// Coverage only: the colour would still have to be put in.
		{"alpha", func() { r.DrawShapedRunAt(run, image.NewAlpha(bounds), 0, baseline) }},
		{"rgba_from_glyph_masks", func() { place() }},
	} {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				tt.draw()
			}
		})
	}
}

// cellRenderer draws as DrawString does for a cell at scale 1 (white: the
// colour changes nothing a benchmark or the test measures).
func cellRenderer() render.Renderer {
	return render.Renderer{FontSize: cellTextSize, PixScale: 1, Color: color.White}
}

// oneRun is newStringText shaped as Fyne shapes it: one run, the whole
// address in one face and one script.
func oneRun(tb testing.TB) (run, space shaping.Output) {
	tb.Helper()
	runs, space := shapeAsFyne(&shaping.HarfbuzzShaper{}, oneFace{fyneFace(tb)})
	if len(runs) != 1 {
		tb.Fatalf("%q shaped into %d runs, want 1", string(newStringText), len(runs))
	}
	return runs[0], space
}

// textureOf is the texture's size as newGlTextTexture takes it at scale 1
// (the string's advance and its line's height, each rounded) and the
// baseline DrawString draws at.
func textureOf(run, space shaping.Output) (bounds image.Rectangle, baseline int) {
	round := func(v fixed.Int26_6) int { return int(math.Round(float64(v) / 64)) }
	bounds = image.Rect(0, 0, round(run.Advance), round(space.LineBounds.LineThickness()))
	return bounds, run.LineBounds.Ascent.Ceil()
}

// placeGlyphs draws each glyph of run once into an Alpha mask, its pen at
// a pixel's left edge (a cache would keep a few fractions of a pixel), and
// returns a draw that makes the string by placing the masks with image/draw's
// fast path (a uniform colour through an Alpha mask onto RGBA).
func placeGlyphs(run shaping.Output, bounds image.Rectangle, baseline int) func() *image.RGBA {
	const pad = 1 // ink a pixel either side of the advance
	r := cellRenderer()
	masks := make([]*image.Alpha, len(run.Glyphs))
	for i, g := range run.Glyphs {
		one := run
		one.Glyphs = []shaping.Glyph{g}
		masks[i] = image.NewAlpha(image.Rect(0, 0, g.XAdvance.Ceil()+2*pad, bounds.Dy()))
		r.DrawShapedRunAt(one, masks[i], pad, baseline) // with the glyph's own offsets
	}
	white := image.NewUniform(color.White)
	return func() *image.RGBA {
		dst := image.NewRGBA(bounds)
		pen := fixed.Int26_6(0)
		for i, g := range run.Glyphs {
			at := image.Pt(pen.Floor()-pad, 0)
			draw.DrawMask(dst, masks[i].Bounds().Add(at), white, image.Point{}, masks[i], image.Point{}, draw.Over)
			pen += g.XAdvance
		}
		return dst
	}
}

// TestGlyphMasksDrawTheString: the masks placed give the string drawn
// whole, to within the pens' rounding to whole pixels, so the benchmark
// times real work.
func TestGlyphMasksDrawTheString(t *testing.T) {
	run, space := oneRun(t)
	bounds, baseline := textureOf(run, space)
	whole := image.NewRGBA(bounds)
	r := cellRenderer()
	r.DrawShapedRunAt(run, whole, 0, baseline)
	placed := placeGlyphs(run, bounds, baseline)()
	var wholeInk, placedInk, apart float64
	for i := 3; i < len(whole.Pix); i += 4 {
		a, b := float64(whole.Pix[i]), float64(placed.Pix[i])
		wholeInk, placedInk, apart = wholeInk+a, placedInk+b, apart+math.Abs(a-b)
	}
	if wholeInk == 0 {
		t.Fatal("the string drawn whole has no ink")
	}
	if math.Abs(placedInk-wholeInk) > wholeInk/20 || apart > wholeInk/2 {
		t.Errorf("glyphs placed from masks: ink %v and %v apart from the string drawn whole (ink %v)", placedInk, apart, wholeInk)
	}
}
