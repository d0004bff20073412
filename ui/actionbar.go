package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// barItem is one control of an actionBar, and what stands for it in the
// overflow menu when the bar has no room for it.
type barItem struct {
	obj  fyne.CanvasObject
	menu func() *fyne.MenuItem
	// off: the control does not apply here (a profile switcher with no
	// other profiles), in the bar or in the menu.
	off bool
}

// buttonItem is a button, and the same action in the overflow menu.
func buttonItem(b *widget.Button) barItem {
	return barItem{obj: b, menu: func() *fyne.MenuItem {
		it := fyne.NewMenuItem(b.Text, b.OnTapped)
		it.Disabled = b.Disabled()
		return it
	}}
}

// actionBar shows as many of its controls as fit, in order, and puts the
// rest behind a "More" button: a narrow window must never cut an action
// off, nor squeeze the search box beside it.
type actionBar struct {
	widget.BaseWidget
	items []barItem
	more  *widget.Button
	// fit is how many items the last layout had room for.
	fit int
}

func newActionBar(items ...barItem) *actionBar {
	b := &actionBar{items: items, fit: len(items)}
	b.more = widget.NewButtonWithIcon("", theme.MoreHorizontalIcon(), b.showMenu)
	b.more.Hide()
	b.ExtendBaseWidget(b)
	return b
}

// fullWidth is the width that shows every control.
func (b *actionBar) fullWidth() float32 {
	w, n := float32(0), 0
	for _, it := range b.items {
		if !it.off {
			w += it.obj.MinSize().Width
			n++
		}
	}
	if n > 1 {
		w += float32(n-1) * theme.Padding()
	}
	return w
}

// overflowMenu is what the More button offers: the controls with no room.
func (b *actionBar) overflowMenu() []*fyne.MenuItem {
	var out []*fyne.MenuItem
	for _, it := range b.items[b.fit:] {
		if !it.off {
			out = append(out, it.menu())
		}
	}
	return out
}

func (b *actionBar) showMenu() {
	c := fyne.CurrentApp().Driver().CanvasForObject(b.more)
	if c == nil {
		return
	}
	widget.ShowPopUpMenuAtRelativePosition(fyne.NewMenu("", b.overflowMenu()...), c, fyne.NewPos(0, b.more.Size().Height), b.more)
}

func (b *actionBar) CreateRenderer() fyne.WidgetRenderer { return &actionBarRenderer{bar: b} }

type actionBarRenderer struct{ bar *actionBar }

func (r *actionBarRenderer) Destroy() {}

func (r *actionBarRenderer) Refresh() { r.Layout(r.bar.Size()) }

func (r *actionBarRenderer) Objects() []fyne.CanvasObject {
	objs := make([]fyne.CanvasObject, 0, len(r.bar.items)+1)
	for _, it := range r.bar.items {
		objs = append(objs, it.obj)
	}
	return append(objs, r.bar.more)
}

// MinSize is the More button alone: the bar can give up every control.
func (r *actionBarRenderer) MinSize() fyne.Size {
	h := r.bar.more.MinSize().Height
	for _, it := range r.bar.items {
		if !it.off {
			h = max(h, it.obj.MinSize().Height)
		}
	}
	return fyne.NewSize(r.bar.more.MinSize().Width, h)
}

func (r *actionBarRenderer) Layout(size fyne.Size) {
	b, pad := r.bar, theme.Padding()
	room := size.Width
	overflows := b.fullWidth() > size.Width
	if overflows {
		room -= b.more.MinSize().Width + pad
	}
	x := float32(0)
	b.fit = len(b.items)
	for i, it := range b.items {
		if it.off {
			it.obj.Hide()
			continue
		}
		w := it.obj.MinSize().Width
		if b.fit == len(b.items) && (!overflows || x+w <= room) {
			it.obj.Move(fyne.NewPos(x, 0))
			it.obj.Resize(fyne.NewSize(w, size.Height))
			it.obj.Show()
			x += w + pad
			continue
		}
		if b.fit == len(b.items) {
			b.fit = i
		}
		it.obj.Hide()
	}
	if !overflows {
		b.more.Hide()
		return
	}
	w := b.more.MinSize().Width
	b.more.Move(fyne.NewPos(size.Width-w, 0))
	b.more.Resize(fyne.NewSize(w, size.Height))
	b.more.Show()
}

// toolbarLayout lays out a toolbar row: a title at its own width, then a
// centre (a search box, a name) that keeps at least centerMin, then the
// actions, which give up room to the centre before it gets any narrower.
type toolbarLayout struct {
	lead, center fyne.CanvasObject // lead may be nil
	bar          *actionBar
	centerMin    float32
}

func (l *toolbarLayout) leadWidth() float32 {
	if l.lead == nil || !l.lead.Visible() {
		return 0
	}
	return l.lead.MinSize().Width + theme.Padding()
}

func (l *toolbarLayout) minCenter() float32 {
	return max(l.center.MinSize().Width, l.centerMin)
}

func (l *toolbarLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	x := l.leadWidth()
	if x > 0 {
		l.lead.Move(fyne.NewPos(0, 0))
		l.lead.Resize(fyne.NewSize(x-pad, size.Height))
	}
	avail := size.Width - x
	barW := min(l.bar.fullWidth(), max(avail-l.minCenter()-pad, l.bar.MinSize().Width))
	centerW := avail - barW - pad
	l.center.Move(fyne.NewPos(x, 0))
	l.center.Resize(fyne.NewSize(centerW, size.Height))
	l.bar.Move(fyne.NewPos(x+centerW+pad, 0))
	l.bar.Resize(fyne.NewSize(barW, size.Height))
}

func (l *toolbarLayout) MinSize(_ []fyne.CanvasObject) fyne.Size {
	h := max(l.center.MinSize().Height, l.bar.MinSize().Height)
	if l.lead != nil && l.lead.Visible() {
		h = max(h, l.lead.MinSize().Height)
	}
	return fyne.NewSize(l.leadWidth()+l.minCenter()+theme.Padding()+l.bar.MinSize().Width, h)
}

// newToolbar is a toolbar row of lead (may be nil), center and bar.
func newToolbar(lead, center fyne.CanvasObject, bar *actionBar, centerMin float32) *fyne.Container {
	objs := []fyne.CanvasObject{center, bar}
	if lead != nil {
		objs = append(objs, lead)
	}
	return &fyne.Container{Layout: &toolbarLayout{lead: lead, center: center, bar: bar, centerMin: centerMin}, Objects: objs}
}

// adaptive shows one arrangement of its parts when wide and another below
// a width (details beside the list, or under it), built afresh whenever
// the window crosses the threshold.
type adaptive struct {
	widget.BaseWidget
	threshold float32
	build     func(narrow bool) fyne.CanvasObject
	narrow    bool
	content   fyne.CanvasObject
}

func newAdaptive(threshold float32, build func(narrow bool) fyne.CanvasObject) *adaptive {
	a := &adaptive{threshold: threshold, build: build, content: build(false)}
	a.ExtendBaseWidget(a)
	return a
}

func (a *adaptive) CreateRenderer() fyne.WidgetRenderer { return &adaptiveRenderer{a: a} }

type adaptiveRenderer struct{ a *adaptive }

func (r *adaptiveRenderer) Destroy() {}

func (r *adaptiveRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.a.content} }

func (r *adaptiveRenderer) Refresh() { r.a.content.Refresh() }

// MinSize is the narrow arrangement's: the window may always shrink to it.
func (r *adaptiveRenderer) MinSize() fyne.Size {
	if r.a.narrow {
		return r.a.content.MinSize()
	}
	return r.a.content.MinSize().Min(fyne.NewSize(r.a.threshold, r.a.content.MinSize().Height))
}

func (r *adaptiveRenderer) Layout(size fyne.Size) {
	a := r.a
	if narrow := size.Width < a.threshold; narrow != a.narrow {
		a.narrow = narrow
		a.content = a.build(narrow)
	}
	a.content.Move(fyne.NewPos(0, 0))
	a.content.Resize(size)
}
