package ui

import (
	"image/color"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// textCell is a table cell of one line of text, shortened with "…" when its
// column is too narrow. widget.Label with an ellipsis shapes the text afresh,
// with a new HarfBuzz font, every time a cell is refreshed: dragging through
// 50,000 people allocated 7 GB that way and kept the collector running
// non-stop. textCell measures each character once (see textFitter).
type textCell struct {
	widget.BaseWidget
	fitter   *textFitter
	full     string
	text     *canvas.Text
	selected bool
	// placed is set once a table has given the cell a row (MinSize).
	placed bool
	// background marks the cells of the selected row.
	background *canvas.Rectangle
}

func newTextCell(f *textFitter) *textCell {
	c := &textCell{fitter: f, text: canvas.NewText("", theme.Color(theme.ColorNameForeground)),
		background: canvas.NewRectangle(color.Transparent)}
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
func (c *textCell) Shown() string { return c.text.Text }

func (c *textCell) CreateRenderer() fyne.WidgetRenderer {
	return &textCellRenderer{cell: c, objects: []fyne.CanvasObject{c.background, c.text}}
}

type textCellRenderer struct {
	cell    *textCell
	objects []fyne.CanvasObject
}

func (r *textCellRenderer) Layout(size fyne.Size) {
	pad := r.cell.Theme().Size(theme.SizeNameInnerPadding)
	r.cell.background.Resize(size)
	r.cell.text.Text = r.cell.fitter.fit(r.cell.full, size.Width-2*pad)
	// As a Label lays out its text, so that cells line up with the header.
	r.cell.text.Move(fyne.NewPos(pad, (size.Height-r.cell.fitter.lineHeight)/2))
	r.cell.text.Resize(fyne.NewSize(size.Width-2*pad, r.cell.fitter.lineHeight))
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
// fits with "…" after it.
func (f *textFitter) fit(s string, width float32) string {
	if strings.ContainsAny(s, "\r\n\t") {
		s = strings.Join(strings.Fields(s), " ")
	}
	total := float32(0)
	for _, r := range s {
		total += f.advance(r)
	}
	if total <= width {
		return s
	}
	room := width - f.advance('…')
	used := float32(0)
	for i, r := range s {
		if used+f.advance(r) > room {
			return strings.TrimRightFunc(s[:i], unicode.IsSpace) + "…"
		}
		used += f.advance(r)
	}
	return s
}
