package ui

import "fyne.io/fyne/v2"

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

func (l *steadyWidth) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var min fyne.Size
	for _, o := range objects {
		if o.Visible() {
			min = min.Max(o.MinSize())
		}
	}
	l.width = max(l.width, min.Width)
	return fyne.NewSize(l.width, min.Height)
}

func (l *steadyWidth) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}
