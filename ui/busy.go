package ui

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

const (
	// busySteps is how many places the block stops at on its way across.
	busySteps = 10
	// busyPeriod is a round trip, there and back: busySteps*2 steps, five
	// a second.
	busyPeriod = 4 * time.Second
)

// busyIndicator shows that the app is waiting (for the browser, a keyring,
// the tenant): a block that steps across a track and back, five steps a
// second. Fyne's infinite progress bar animates at 60 frames a second, and
// each frame redraws the whole window: drawn in software (Mesa llvmpipe,
// as on virtual machines and remote desktops) that kept a core busy for as
// long as a person took in the browser, and stalled the window's own work
// behind its frames. The animation still ticks every frame, but the window
// is redrawn only when the block moves.
type busyIndicator struct {
	widget.BaseWidget
	anim    *fyne.Animation
	running bool
	stopped bool // Stop was called: showing it does not start it
	step    int  // 0 … 2*busySteps-1: out, then back
}

func newBusyIndicator() *busyIndicator {
	b := &busyIndicator{}
	b.anim = &fyne.Animation{Duration: busyPeriod, RepeatCount: fyne.AnimationRepeatForever,
		Curve: fyne.AnimationLinear, Tick: b.tick}
	b.ExtendBaseWidget(b)
	return b
}

// Start animates it; it starts by itself when first shown, unless stopped.
func (b *busyIndicator) Start() {
	b.stopped = false
	if !b.running {
		b.running = true
		b.anim.Start()
	}
}

// Stop stops it where it is.
func (b *busyIndicator) Stop() {
	b.stopped = true
	if b.running {
		b.running = false
		b.anim.Stop()
	}
}

// Running says whether it animates.
func (b *busyIndicator) Running() bool { return b.running }

func (b *busyIndicator) tick(progress float32) {
	step := int(progress*2*busySteps) % (2 * busySteps)
	if step == b.step {
		return
	}
	b.step = step
	b.Refresh()
}

// place is where the block is, from 0 (left) to busySteps-1 (right).
func (b *busyIndicator) place() int {
	if b.step < busySteps {
		return b.step
	}
	return 2*busySteps - 1 - b.step
}

func (b *busyIndicator) CreateRenderer() fyne.WidgetRenderer {
	r := &busyRenderer{b: b, track: canvas.NewRectangle(nil), block: canvas.NewRectangle(nil)}
	r.Refresh()
	if !b.stopped {
		b.Start()
	}
	return r
}

type busyRenderer struct {
	b            *busyIndicator
	track, block *canvas.Rectangle
	refreshes    int // redraws asked for, for tests
}

func (r *busyRenderer) Layout(size fyne.Size) {
	r.track.Resize(size)
	w := size.Width / 4
	x := (size.Width - w) * float32(r.b.place()) / float32(busySteps-1)
	r.block.Move(fyne.NewPos(x, 0))
	r.block.Resize(fyne.NewSize(w, size.Height))
}

// MinSize is that of Fyne's progress bars, so screens keep their layout.
func (r *busyRenderer) MinSize() fyne.Size {
	th := r.b.Theme()
	pad2 := th.Size(theme.SizeNameInnerPadding) * 2
	text := fyne.MeasureText("100%", th.Size(theme.SizeNameText), fyne.TextStyle{})
	return fyne.NewSize(text.Width+pad2, text.Height+pad2)
}

func (r *busyRenderer) Refresh() {
	r.refreshes++
	th := r.b.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	// Fyne's progress bar colours: the primary colour on itself at half
	// opacity.
	primary := th.Color(theme.ColorNamePrimary, v)
	pr, pg, pb, pa := primary.RGBA()
	r.track.FillColor = color.NRGBA{R: uint8(pr >> 8), G: uint8(pg >> 8), B: uint8(pb >> 8), A: uint8(pa>>8) / 2}
	r.block.FillColor = primary
	radius := th.Size(theme.SizeNameInputRadius)
	r.track.CornerRadius, r.block.CornerRadius = radius, radius
	r.Layout(r.b.Size())
	r.track.Refresh()
	r.block.Refresh()
}

func (r *busyRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.track, r.block} }

// Destroy stops the animation when Fyne drops the renderer. A running
// indicator never gets there by itself (each step's refresh marks its
// renderer alive), so whoever takes it off screen must Stop it: setContent
// does, for the screen it replaces. Showing it again restarts it, unless
// Stop was called.
func (r *busyRenderer) Destroy() {
	if r.b.running {
		r.b.running = false
		r.b.anim.Stop()
	}
}
