package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
)

// TestSteadyWidth: the minimum width is the widest the content has needed,
// the height the content's now; the content fills the container.
func TestSteadyWidth(t *testing.T) {
	test.NewTempApp(t)
	r := canvas.NewRectangle(nil)
	hidden := canvas.NewRectangle(nil)
	hidden.SetMinSize(fyne.NewSize(500, 500))
	hidden.Hide()
	c := container.New(&steadyWidth{}, r, hidden)
	for _, tc := range []struct {
		name      string
		content   fyne.Size
		wantWidth float32
	}{
		{"first content", fyne.NewSize(100, 20), 100},
		{"narrower and taller: the width stays", fyne.NewSize(60, 50), 100},
		{"wider: the width grows", fyne.NewSize(140, 10), 140},
		{"narrower again", fyne.NewSize(10, 10), 140},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r.SetMinSize(tc.content)
			if got, want := c.MinSize(), fyne.NewSize(tc.wantWidth, tc.content.Height); got != want {
				t.Errorf("MinSize = %v, want %v (a hidden object counts for nothing)", got, want)
			}
		})
	}
	c.Resize(fyne.NewSize(300, 200))
	if r.Size() != fyne.NewSize(300, 200) || r.Position() != fyne.NewPos(0, 0) {
		t.Errorf("the content is at %v, %v; want the whole container", r.Position(), r.Size())
	}
}
