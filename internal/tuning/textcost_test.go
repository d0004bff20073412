package tuning

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"testing"

	"fyne.io/fyne/v2/theme"
	"github.com/go-text/render"
	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
)

// What a string new to the window costs Fyne 2.7.1 on the UI goroutine,
// step by step, done as its painter does it (internal/painter/font.go,
// internal/painter/gl/texture.go) with the same packages and Fyne's own
// font: it shapes the string with a HarfBuzz shaper made for the call, and
// draws the glyphs with go-text/render into an image.NRGBA, which x/image's
// rasteriser fills a pixel at a time through color.Model (the generic
// path); the texture is then converted to RGBA. Beside them, what the same
// work costs a shaper kept from call to call, and the same glyphs drawn
// into the RGBA or Alpha images the rasteriser has fast paths for. None of
// this can be changed from outside Fyne: the README's "A window that never
// stalls" has the figures and what they mean for the app's stalls.
//
//	go test -run '^$' -bench NewString ./internal/tuning/

// textSize is the default theme's, as the People table's cells use.
var textSize = theme.DefaultTheme().Size(theme.SizeNameText)

// newStringText is a People cell: an email address, 29 characters.
var newStringText = []rune("camille.bernard438@example.fr")

func fyneFace(b *testing.B) *font.Face {
	b.Helper()
	face, err := font.ParseTTF(bytes.NewReader(theme.DefaultTextFont().Content()))
	if err != nil {
		b.Fatal(err)
	}
	return face
}

func shapeInput(face *font.Face) shaping.Input {
	return shaping.Input{Text: newStringText, RunEnd: len(newStringText), Direction: di.DirectionLTR,
		Face: face, Size: fixed.Int26_6(textSize * 64)}
}

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
			in := shapeInput(face)
			shaper := &shaping.HarfbuzzShaper{}
			for i := 0; i < b.N; i++ {
				if tt.fresh {
					shaper = &shaping.HarfbuzzShaper{}
				}
				shaper.Shape(in)
			}
		})
	}
}

func BenchmarkNewStringDraw(b *testing.B) {
	face := fyneFace(b)
	run := (&shaping.HarfbuzzShaper{}).Shape(shapeInput(face))
	bounds := image.Rect(0, 0, run.Advance.Ceil(), 2*int(textSize))
	baseline := run.LineBounds.Ascent.Ceil()
	for _, tt := range []struct {
		name string
		dst  func() draw.Image
	}{
		{"nrgba_as_fyne", func() draw.Image { return image.NewNRGBA(bounds) }},
		{"rgba", func() draw.Image { return image.NewRGBA(bounds) }},
		{"alpha", func() draw.Image { return image.NewAlpha(bounds) }},
	} {
		b.Run(tt.name, func(b *testing.B) {
			r := render.Renderer{FontSize: textSize, PixScale: 1, Color: color.White}
			for i := 0; i < b.N; i++ {
				r.DrawShapedRunAt(run, tt.dst(), 0, baseline)
			}
		})
	}
}
