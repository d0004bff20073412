package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// steadyWidth lays out its objects over the whole of its size, as a stack
// does, with a minimum width that never falls: the widest its content has
// needed so far. It holds a part of the window whose content is replaced
// as a person works (the Details pane: a note, then a person, then a note
// again), so that a replacement does not change the window's minimum size.
//
// Fyne lays out again every container whose minimum size changed, up to
// the window. When the Details pane's minimum width changed, the splits
// around it were laid out again, and with them every widget of the window:
// Fyne 2.7.1 then refreshes labels, buttons and tabs inside the frame that
// lays them out, and a refresh inside a frame asks for another frame. One
// Down key in the soak drew three frames of the whole window back to back
// (about 25, 13 and 14 ms), during which the window took no input: the
// soak's longest stalls. With the width steady, the replacement is laid
// out inside the pane only.
//
// The height follows the content: the pane is in a vertical scroll, whose
// minimum height does not depend on its content's.
type steadyWidth struct{ width float32 }

// stackLayout is the layout steadyWidth keeps the width of.
var stackLayout = layout.NewStackLayout()

// MinSize is the stack's, at least as wide as it has been.
func (l *steadyWidth) MinSize(objects []fyne.CanvasObject) fyne.Size {
	content := stackLayout.MinSize(objects)
	l.width = max(l.width, content.Width)
	return fyne.NewSize(l.width, content.Height)
}

// Layout is the stack's: every object over the whole size.
func (l *steadyWidth) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	stackLayout.Layout(objects, size)
}

// stillScroll is a vertical scroll of content that asks for no frame when
// laid out again as it was. A scroll moves its content at each layout,
// and Fyne's Container.Move marks the window for another frame even when
// the position is unchanged; Fyne lays a scroll out inside a frame when a
// minimum size under it changed (a person's values in Details, the session
// card's countdown), so that frame asked for the next. In the soak each
// Details fill drew three frames of the whole window back to back (about
// 15 ms each with software OpenGL), the second marked by that Move and the
// third by the second's layout. A widget's Move does nothing when the
// position is the one it has.
func stillScroll(content fyne.CanvasObject) *container.Scroll {
	return container.NewVScroll(newStill(content))
}

// still holds one object as a widget (stillScroll).
type still struct {
	widget.BaseWidget
	content fyne.CanvasObject
}

func newStill(content fyne.CanvasObject) *still {
	s := &still{content: content}
	s.ExtendBaseWidget(s)
	return s
}

func (s *still) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(s.content) }
