package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// panel is a titled part of the signed-in view: a heading over its
// content, laid out as widget.Card lays out a card, without the card's
// shadow. That shadow is eight gradient textures drawn again in every
// frame of the window; with a software renderer each draw costs some
// 25–45 µs whatever its size, and the view's three cards made 24 of its
// 240 draws a frame. The split dividers already keep the parts apart.
type panel struct {
	widget.BaseWidget
	Title   string
	Content fyne.CanvasObject
}

func newPanel(title string, content fyne.CanvasObject) *panel {
	p := &panel{Title: title, Content: content}
	p.ExtendBaseWidget(p)
	return p
}

func (p *panel) CreateRenderer() fyne.WidgetRenderer {
	r := &panelRenderer{panel: p, header: canvas.NewText(p.Title, nil)}
	r.header.TextStyle.Bold = true
	r.objects = []fyne.CanvasObject{r.header, p.Content}
	r.applyTheme()
	return r
}

type panelRenderer struct {
	panel   *panel
	header  *canvas.Text
	objects []fyne.CanvasObject // made once: Fyne asks for them several times a frame
}

// pads are the theme's padding and the title's, as Card has them.
func (r *panelRenderer) pads() (pad, titlePad float32) {
	pad = r.panel.Theme().Size(theme.SizeNamePadding)
	return pad, 2 * pad
}

func (r *panelRenderer) Layout(size fyne.Size) {
	pad, titlePad := r.pads()
	headerHeight := r.header.MinSize().Height
	r.header.Move(fyne.NewPos(pad/2+titlePad, pad/2+titlePad))
	r.header.Resize(fyne.NewSize(size.Width-pad-2*titlePad, headerHeight))
	top := pad/2 + 2*titlePad + headerHeight + pad
	r.panel.Content.Move(fyne.NewPos(pad/2+pad, top))
	r.panel.Content.Resize(fyne.NewSize(size.Width-3*pad, size.Height-top-pad-pad/2))
}

func (r *panelRenderer) MinSize() fyne.Size {
	pad, titlePad := r.pads()
	header, content := r.header.MinSize(), r.panel.Content.MinSize()
	return fyne.NewSize(max(header.Width+2*titlePad+pad, content.Width+3*pad),
		pad+2*titlePad+header.Height+content.Height+2*pad)
}

func (r *panelRenderer) Refresh() {
	r.header.Text = r.panel.Title
	r.objects[1] = r.panel.Content
	r.applyTheme()
	r.Layout(r.panel.Size())
	r.header.Refresh()
}

func (r *panelRenderer) applyTheme() {
	th := r.panel.Theme()
	r.header.TextSize = th.Size(theme.SizeNameHeadingText)
	r.header.Color = th.Color(theme.ColorNameForeground, fyne.CurrentApp().Settings().ThemeVariant())
}

func (r *panelRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *panelRenderer) Destroy() {}
