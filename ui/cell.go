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
	if c.fitter.lines == nil || c.shown == "" {
		return image.NewRGBA(image.Rectangle{})
	}
	scale := float32(1)
	if cv := fyne.CurrentApp().Driver().CanvasForObject(c); cv != nil {
		scale = cv.Scale()
	}
	return c.fitter.lines.Draw(c.shown, c.text.Color, c.fitter.size, scale, w, h)
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
	c.glyphs.Resize(fyne.NewSize(min(size.Width-2*pad, float32(math.Ceil(float64(width)))+1), c.fitter.lineHeight))
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
	// lines draws the cells' text where it can (textCell); nil: Fyne does.
	lines *glyphline.Drawer
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
	if !ok {
		a = fyne.MeasureText(string(r), f.size, fyne.TextStyle{}).Width
		f.advances[r] = a
	}
	return a
}

// fit returns s on one line if it fits width, else its longest start that
// fits with "…" after it; and the width of what it returns.
func (f *textFitter) fit(s string, width float32) (string, float32) {
	if strings.ContainsAny(s, "\r\n\t") {
		s = strings.Join(strings.Fields(s), " ")
	}
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

// drawsItself says whether a cell draws s in glyphs of its own (lines),
// rather than as Fyne's text.
func (f *textFitter) drawsItself(s string) bool { return f.lines != nil && f.lines.Draws(s) }

func (f *textFitter) width(s string) float32 {
	w := float32(0)
	for _, r := range s {
		w += f.advance(r)
	}
	return w
}

// cellFont is the theme's regular font made ready for the People cells
// (textFitter.lines), parsed on a goroutine of its own as the app starts
// (some milliseconds of work the UI goroutine need not do).
type cellFont struct {
	done   chan struct{}
	drawer *glyphline.Drawer
}

// loadCellFont parses fontData with goFn; log says if it cannot.
func loadCellFont(fontData []byte, goFn func(func()), log *slog.Logger) *cellFont {
	f := &cellFont{done: make(chan struct{})}
	goFn(func() {
		defer close(f.done)
		d, err := glyphline.New(fontData)
		if err != nil {
			log.Warn("the People table draws its text through Fyne: the theme's font cannot be read", "err", err)
			return
		}
		f.drawer = d
	})
	return f
}

// lines waits for the font, if it is still being parsed; nil: none (Fyne
// draws the cells' text).
func (f *cellFont) lines() *glyphline.Drawer {
	if f == nil {
		return nil
	}
	<-f.done
	return f.drawer
}
