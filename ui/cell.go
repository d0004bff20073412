package ui

import (
	"image"
	"image/color"
	"log/slog"
	"math"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/glyphline"
)

// textCell is a table cell of one line of text, shortened with "…" when its
// column is too narrow. widget.Label with an ellipsis shapes the text afresh,
// with a new HarfBuzz font, every time a cell is refreshed: dragging through
// 50,000 people allocated 7 GB that way and kept the collector running
// non-stop. textCell measures each character once (see textFitter).
//
// It draws its text itself (glyphs, from the fitter's glyphline.Drawer),
// into a raster of its own, when the drawer can: a string new to the window
// cost Fyne's painter about 0.65 ms on the UI goroutine, the drawer about
// 0.07, and a page of the table is a hundred of them. Text the drawer
// leaves to Fyne (scripts outside the theme's font, right to left) is a
// canvas.Text, as before.
type textCell struct {
	widget.BaseWidget
	fitter *textFitter
	full   string
	// shown is full, or its start and "…"; in text or in glyphs.
	shown    string
	text     *canvas.Text
	glyphs   *canvas.Raster
	selected bool
	// placed is set once a table has given the cell a row (MinSize).
	placed bool
	// background marks the cells of the selected row.
	background *canvas.Rectangle
}

func newTextCell(f *textFitter) *textCell {
	c := &textCell{fitter: f, text: canvas.NewText("", theme.Color(theme.ColorNameForeground)),
		background: canvas.NewRectangle(color.Transparent)}
	c.glyphs = canvas.NewRaster(c.drawGlyphs)
	c.glyphs.Hide()
	c.text.TextSize = f.size
	c.ExtendBaseWidget(c)
	return c
}

// MinSize is nothing once the cell shows a row. The table sizes its cells
// itself, from the MinSize of a template cell that never shows one. A
// scroll gives Fyne's render tree new cells at most of its places (it
// matches them by position), each remembered there with no minimum size
// yet: a cell that reported its own made Fyne lay the whole table out
// again after the frame, which marks the window for another, so every
// scroll drew two frames.
func (c *textCell) MinSize() fyne.Size {
	if c.placed {
		return fyne.Size{}
	}
	return c.BaseWidget.MinSize()
}

// SetText shows s, or as much of it as fits.
func (c *textCell) SetText(s string) {
	if s == c.full {
		return
	}
	c.full = s
	c.Refresh()
}

// SetSelected marks the cell as part of the selected row, or not.
func (c *textCell) SetSelected(selected bool) {
	if selected == c.selected {
		return
	}
	c.selected = selected
	c.Refresh()
}

// Shown is the text on screen: the whole text, or its start and "…".
func (c *textCell) Shown() string { return c.shown }

// drawGlyphs is the raster's picture: the text shown, w×h pixels.
func (c *textCell) drawGlyphs(w, h int) image.Image {
	if c.fitter.drawer == nil || c.shown == "" {
		return image.NewRGBA(image.Rectangle{})
	}
	return c.fitter.drawer.Draw(c.shown, c.text.Color, c.fitter.size, pixelScale(fyne.CurrentApp().Driver().CanvasForObject(c)), w, h)
}

// pixelScale is how many of the screen's pixels a point of cv takes, as
// Fyne's painter sizes textures: the canvas's scale times the framebuffer's
// size over the window's, which is 2 on a Retina Mac where Scale is 1.
func pixelScale(cv fyne.Canvas) float32 {
	if cv == nil {
		return 1
	}
	const span = 1000 // points: enough for the rounding to a pixel not to count
	x, _ := cv.PixelCoordinateForPosition(fyne.NewPos(span, 0))
	if x <= 0 {
		return 1
	}
	return float32(x) / span
}

func (c *textCell) CreateRenderer() fyne.WidgetRenderer {
	return &textCellRenderer{cell: c, objects: []fyne.CanvasObject{c.background, c.text, c.glyphs}}
}

type textCellRenderer struct {
	cell    *textCell
	objects []fyne.CanvasObject
}

func (r *textCellRenderer) Layout(size fyne.Size) {
	pad := r.cell.Theme().Size(theme.SizeNameInnerPadding)
	c := r.cell
	c.background.Resize(size)
	shown, width := c.fitter.fit(c.full, size.Width-2*pad)
	drawn := c.fitter.drawsItself(shown)
	// Hidden when it should be drawn, or the other way round: the same
	// text moves between the raster and Fyne's text only with the drawer.
	if shown != c.shown || drawn == c.glyphs.Hidden {
		c.shown = shown
		c.text.Text = ""
		c.glyphs.Hidden = !drawn
		if !drawn {
			c.text.Text = shown
		}
		c.glyphs.Refresh()
	}
	// As a Label lays out its text, so that cells line up with the header.
	at := fyne.NewPos(pad, (size.Height-c.fitter.lineHeight)/2)
	c.text.Move(at)
	c.text.Resize(fyne.NewSize(size.Width-2*pad, c.fitter.lineHeight))
	// Only as wide as the text (a pixel over the advances' sum, for the
	// last glyph's antialiasing): the renderer blends every pixel of it.
	c.glyphs.Move(at)
	c.glyphs.Resize(fyne.NewSize(max(0, min(size.Width-2*pad, float32(math.Ceil(float64(width)))+1)), c.fitter.lineHeight))
}

func (r *textCellRenderer) MinSize() fyne.Size {
	pad := r.cell.Theme().Size(theme.SizeNameInnerPadding)
	return fyne.NewSize(2*pad, r.cell.fitter.cellHeight(pad))
}

func (r *textCellRenderer) Refresh() {
	th := r.cell.Theme()
	r.cell.fitter.setSize(th.Size(theme.SizeNameText))
	r.cell.text.TextSize = r.cell.fitter.size
	variant := fyne.CurrentApp().Settings().ThemeVariant()
	r.cell.text.Color = th.Color(theme.ColorNameForeground, variant)
	r.cell.background.FillColor = color.Transparent
	if r.cell.selected {
		// The app's theme, as the rest of the window.
		r.cell.background.FillColor = fyne.CurrentApp().Settings().Theme().Color(theme.ColorNameSelection, variant)
	}
	r.Layout(r.cell.Size())
	r.cell.background.Refresh()
	r.cell.text.Refresh()
	r.cell.glyphs.Refresh()
}

func (r *textCellRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *textCellRenderer) Destroy()                     {}

// textFitter shortens text to a width, from the advance of each character
// measured once and kept. Summing advances ignores kerning; the font's
// kerning narrows pairs, so the sum errs on the safe side (tests check that
// no fitted text overflows). Used on the UI goroutine only.
type textFitter struct {
	size       float32
	lineHeight float32
	advances   map[rune]float32
	// drawer draws the cells' text where it can (textCell); nil: Fyne does.
	drawer *glyphline.Drawer
}

func newTextFitter(size float32) *textFitter {
	f := &textFitter{}
	f.setSize(size)
	return f
}

func (f *textFitter) setSize(size float32) {
	if size == f.size && f.advances != nil {
		return
	}
	f.size = size
	f.advances = map[rune]float32{}
	f.lineHeight = fyne.MeasureText("Ag", size, fyne.TextStyle{}).Height
}

// cellHeight is the height of a textCell: a line with padding above and below.
func (f *textFitter) cellHeight(innerPadding float32) float32 {
	return f.lineHeight + 2*innerPadding
}

func (f *textFitter) advance(r rune) float32 {
	a, ok := f.advances[r]
	if ok {
		return a
	}
	// The drawer's shaper is kept: Fyne's measuring makes one for each
	// call, and the first page's characters, measured one by one, took
	// some 3 ms of the frame that shows the signed-in view.
	if f.drawer != nil {
		a, ok = f.drawer.Advance(r, f.size)
	}
	if !ok {
		a = fyne.MeasureText(string(r), f.size, fyne.TextStyle{}).Width
	}
	f.advances[r] = a
	return a
}

// fit returns s on one line if it fits width, else its longest start that
// fits with "…" after it; and the width of what it returns.
func (f *textFitter) fit(s string, width float32) (string, float32) {
	s = oneLine(s)
	total := f.width(s)
	if total <= width {
		return s, total
	}
	room := width - f.advance('…')
	used := float32(0)
	for i, r := range s {
		if used+f.advance(r) > room {
			cut := strings.TrimRightFunc(s[:i], unicode.IsSpace)
			return cut + "…", f.width(cut) + f.advance('…')
		}
		used += f.advance(r)
	}
	return s, total
}

// oneLine is s as a cell shows it: line breaks and tabs are spaces.
func oneLine(s string) string {
	if strings.ContainsAny(s, "\r\n\t") {
		return strings.Join(strings.Fields(s), " ")
	}
	return s
}

// drawsItself says whether a cell showing s draws it in glyphs of its own
// (drawer), rather than as Fyne's text; shortened or not, as the drawer
// draws "…" (loadCellFont).
func (f *textFitter) drawsItself(s string) bool { return f.drawer != nil && f.drawer.Draws(oneLine(s)) }

func (f *textFitter) width(s string) float32 {
	w := float32(0)
	for _, r := range s {
		w += f.advance(r)
	}
	return w
}

// cellFont is the theme's regular font made ready for the People cells
// (textFitter.drawer), parsed on a goroutine of its own as the app starts
// (some milliseconds of work the UI goroutine need not do).
type cellFont struct {
	done   chan struct{}
	loaded *glyphline.Drawer
}

// loadCellFont parses fontData with goFn; log says if it cannot be used.
func loadCellFont(fontData []byte, goFn func(func()), log *slog.Logger) *cellFont {
	f := &cellFont{done: make(chan struct{})}
	goFn(func() {
		defer close(f.done)
		d, err := glyphline.New(fontData)
		switch {
		case err != nil:
			log.Warn("the People table's text is drawn by Fyne: the theme's font cannot be read", "err", err)
		case !d.Draws("…"): // the cells shorten text with it
			log.Warn("the People table's text is drawn by Fyne: the theme's font has no \"…\"")
		default:
			f.loaded = d
		}
	})
	return f
}

// drawer is the font's Drawer once it is ready; nil before (or when it
// cannot be used), and Fyne draws the cells' text. It never waits: a table
// made in the first milliseconds of the app is drawn as before.
func (f *cellFont) drawer() *glyphline.Drawer {
	if f == nil {
		return nil
	}
	select {
	case <-f.done:
		return f.loaded
	default:
		return nil
	}
}
