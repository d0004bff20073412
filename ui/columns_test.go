package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// box is an object with a minimum size of its own.
func box(w, h float32) fyne.CanvasObject {
	r := canvas.NewRectangle(nil)
	r.SetMinSize(fyne.NewSize(w, h))
	return r
}

func TestColumnsLayout(t *testing.T) {
	test.NewTempApp(t)
	p := theme.Padding()
	tests := []struct {
		name    string
		n       int
		cells   []fyne.CanvasObject
		size    fyne.Size // laid out in
		wantMin fyne.Size
		wantPos []fyne.Position
		wantW   []float32
	}{
		{name: "each column as wide as its widest cell", n: 2,
			cells:   []fyne.CanvasObject{box(100, 10), box(20, 10), box(30, 30), box(40, 10)},
			size:    fyne.NewSize(140+p, 40+p),
			wantMin: fyne.NewSize(140+p, 40+p),
			wantPos: []fyne.Position{{X: 0, Y: 0}, {X: 100 + p, Y: 0}, {X: 0, Y: 10 + p}, {X: 100 + p, Y: 10 + p}},
			wantW:   []float32{100, 40, 100, 40}},
		{name: "room left over shared equally", n: 2,
			cells:   []fyne.CanvasObject{box(100, 10), box(20, 10)},
			size:    fyne.NewSize(200+p, 10),
			wantMin: fyne.NewSize(120+p, 10),
			wantPos: []fyne.Position{{X: 0, Y: 0}, {X: 140 + p, Y: 0}},
			wantW:   []float32{140, 60}},
		{name: "a last row not full", n: 3,
			cells:   []fyne.CanvasObject{box(10, 10), box(20, 10), box(30, 10), box(50, 20)},
			size:    fyne.NewSize(100+2*p, 30+p),
			wantMin: fyne.NewSize(100+2*p, 30+p),
			wantPos: []fyne.Position{{X: 0, Y: 0}, {X: 50 + p, Y: 0}, {X: 70 + 2*p, Y: 0}, {X: 0, Y: 10 + p}},
			wantW:   []float32{50, 20, 30, 50}},
		{name: "nothing", n: 3, wantMin: fyne.NewSize(0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &columnsLayout{n: tt.n}
			if got := l.MinSize(tt.cells); got != tt.wantMin {
				t.Errorf("min size %v, want %v", got, tt.wantMin)
			}
			l.Layout(tt.cells, tt.size)
			for i, c := range tt.cells {
				if c.Position() != tt.wantPos[i] || c.Size().Width != tt.wantW[i] {
					t.Errorf("cell %d at %v, %v wide; want %v, %v", i, c.Position(), c.Size().Width, tt.wantPos[i], tt.wantW[i])
				}
			}
		})
	}
}
