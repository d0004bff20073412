// Package glyphline draws a line of text into an RGBA image by placing
// glyph masks, each glyph rasterised once and kept.
//
// Fyne 2.7.1 draws every string new to a window on the UI goroutine from
// nothing: it shapes it twice (to measure, then to draw) with a HarfBuzz
// shaper made for each call, then rasterises each glyph's outline into an
// NRGBA image, which the rasteriser has no fast path for, and copies that
// into RGBA. About 0.65 ms a string on this project's machines (this
// package's BenchmarkNewString*), so a page of the People table, a
// hundred new strings, was frames of 60-120 ms. A Drawer shapes with a
// shaper it keeps and places masks with image/draw's fast path (a uniform
// colour through an Alpha mask onto RGBA): about a tenth of that.
//
// It draws what Fyne would draw for the same string, font and size: the
// same shaping (the segmenter's runs, HarfBuzz), the same rasteriser for
// each glyph, the baseline where Fyne puts it. Pens are kept to a quarter
// of a pixel, so a glyph may sit up to an eighth of a pixel from where
// Fyne's whole-string drawing puts it. It draws only text a single font
// and left-to-right shaping cover (Draws); anything else is left to Fyne,
// with its fallback fonts and bidirectional layout.
//
// A Drawer is not safe for concurrent use; its font is its own, so it may
// be made on any goroutine.
package glyphline

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"math"
	"unicode"

	"github.com/go-text/render"
	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/bidi"
)

// phases is how many pen positions within a pixel get a mask of their own.
const phases = 4

// maxMasks bounds the masks kept: a few thousand glyphs at four phases is
// a few MB at table sizes; past it the cache starts again.
const maxMasks = 8192

// Drawer draws lines of text in one font.
type Drawer struct {
	face      *font.Face
	shaper    shaping.HarfbuzzShaper
	segmenter shaping.Segmenter

	// The masks are for this size (points), scale (pixels a point) and
	// line height (pixels).
	size, scale float32
	height      int
	masks       map[maskKey]*mask
}

type maskKey struct {
	glyph   font.GID
	phase   uint8
	yOffset fixed.Int26_6
}

// mask is a glyph's coverage, a line high, its left edge at left pixels
// from the pen's pixel.
type mask struct {
	alpha *image.Alpha
	left  int
}

// New reads a TrueType or OpenType font.
func New(fontData []byte) (*Drawer, error) {
	face, err := font.ParseTTF(bytes.NewReader(fontData))
	if err != nil {
		return nil, err
	}
	return &Drawer{face: face}, nil
}

// Draws says whether Draw draws s as Fyne would: every character has a
// glyph in the font (Fyne would otherwise fall back to another font), none
// is a control character (Fyne lays out tabs itself), and none is written
// right to left or is a bidirectional control (Fyne orders those runs).
func (d *Drawer) Draws(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) || !leftToRight(r) {
			return false
		}
		if _, ok := d.face.NominalGlyph(r); !ok {
			return false
		}
	}
	return true
}

func leftToRight(r rune) bool {
	p, _ := bidi.LookupRune(r)
	switch p.Class() {
	case bidi.R, bidi.AL, bidi.AN, bidi.LRE, bidi.RLE, bidi.LRO, bidi.RLO, bidi.PDF, bidi.LRI, bidi.RLI, bidi.FSI, bidi.PDI:
		return false
	}
	return true
}

// Draw draws s in c, size points at scale pixels a point, into a new w×h
// image, its first pen at the left edge and the baseline where Fyne's
// painter puts a line's (the ascent, rounded up); what does not fit is
// cut off. Call it only with text Draws accepts.
func (d *Drawer) Draw(s string, c color.Color, size, scale float32, w, h int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, max(w, 0), max(h, 0)))
	if s == "" || w <= 0 || h <= 0 || size <= 0 || scale <= 0 {
		return dst
	}
	d.useSize(size, scale, h)
	src := image.NewUniform(c)
	x := float32(0)
	baseline := -1
	for _, run := range d.shape(s) {
		if baseline < 0 { // as Fyne's painter: the first run's
			baseline = int(math.Ceil(float64(fixedToFloat(run.LineBounds.Ascent) * scale)))
		}
		// As Fyne's painter: each run starts at a whole pixel.
		pen := float32(int(x))
		for _, g := range run.Glyphs {
			at := pen + fixedToFloat(g.XOffset)*scale
			whole := int(math.Floor(float64(at)))
			phase := int(math.Round(float64(at-float32(whole)) * phases))
			if phase == phases {
				whole, phase = whole+1, 0
			}
			if m := d.maskFor(run, g, uint8(phase), baseline, h); m != nil {
				r := m.alpha.Rect.Add(image.Pt(whole+m.left, 0))
				draw.DrawMask(dst, r, src, image.Point{}, m.alpha, image.Point{}, draw.Over)
			}
			pen += fixedToFloat(g.XAdvance) * scale
		}
		if int(pen) > w {
			break
		}
		x += fixedToFloat(run.Advance) * scale
	}
	return dst
}

// Advance is the width Fyne measures for r alone at size points
// (fyne.MeasureText(string(r), size, regular style).Width): the same
// shaping, with the shaper kept rather than one made for the call. ok is
// false for a rune Draws refuses, which Fyne measures in another font or
// lays out itself, and for one the font maps to its missing-glyph glyph,
// whose advance Fyne's painter counts its own way.
func (d *Drawer) Advance(r rune, size float32) (width float32, ok bool) {
	if !d.Draws(string(r)) {
		return 0, false
	}
	for _, run := range d.shapeAt([]rune{r}, pointsToFixed(size)) {
		for _, g := range run.Glyphs {
			if g.GlyphID == 0 {
				return 0, false
			}
		}
		width += fixedToFloat(run.Advance)
	}
	return width, true
}

// useSize starts a new set of masks for another size, scale or height.
func (d *Drawer) useSize(size, scale float32, h int) {
	if size != d.size || scale != d.scale || h != d.height || d.masks == nil || len(d.masks) >= maxMasks {
		d.size, d.scale, d.height, d.masks = size, scale, h, map[maskKey]*mask{}
	}
}

// shape shapes s as Fyne's painter does (walkString): the segmenter's runs,
// each shaped by HarfBuzz at the size in points.
func (d *Drawer) shape(s string) []shaping.Output {
	return d.shapeAt([]rune(s), pointsToFixed(d.size))
}

func (d *Drawer) shapeAt(runes []rune, size fixed.Int26_6) []shaping.Output {
	in := shaping.Input{Text: runes, RunEnd: len(runes), Direction: di.DirectionLTR, Face: d.face, Size: size}
	runs := d.segmenter.Split(in, oneFace{d.face})
	out := make([]shaping.Output, len(runs))
	for i, run := range runs {
		out[i] = d.shaper.Shape(run)
	}
	return out
}

// maskFor is the glyph g's mask at a pen phase/phases of a pixel right of a
// whole pixel, drawn the first time it is asked for; nil for a glyph with
// no ink (a space).
func (d *Drawer) maskFor(run shaping.Output, g shaping.Glyph, phase uint8, baseline, h int) *mask {
	key := maskKey{glyph: g.GlyphID, phase: phase, yOffset: g.YOffset}
	if m, ok := d.masks[key]; ok {
		return m
	}
	var m *mask
	if ext, ok := d.face.GlyphExtents(g.GlyphID); ok && ext.Width != 0 && ext.Height != 0 {
		px := d.size * d.scale / float32(d.face.Upem())
		offset := float32(phase) / phases
		// A pixel's margin either side for the antialiasing.
		left := int(math.Floor(float64(offset+ext.XBearing*px))) - 1
		right := int(math.Ceil(float64(offset+(ext.XBearing+ext.Width)*px))) + 1
		alpha := image.NewAlpha(image.Rect(0, 0, right-left, h))
		one := run
		g.XOffset = floatToFixed(offset / d.scale)
		one.Glyphs = []shaping.Glyph{g}
		r := render.Renderer{FontSize: d.size, PixScale: d.scale, Color: color.Opaque}
		r.DrawShapedRunAt(one, alpha, -left, baseline)
		m = &mask{alpha: alpha, left: left}
	}
	d.masks[key] = m
	return m
}

type oneFace struct{ face *font.Face }

func (m oneFace) ResolveFace(rune) *font.Face { return m.face }

func fixedToFloat(v fixed.Int26_6) float32 { return float32(v) / 64 }

// pointsToFixed is a size in points as Fyne's painter makes it
// (float32ToFixed266): truncated to a 64th.
func pointsToFixed(size float32) fixed.Int26_6 { return fixed.Int26_6(float64(size) * 64) }

func floatToFixed(v float32) fixed.Int26_6 { return fixed.Int26_6(math.Round(float64(v) * 64)) }
