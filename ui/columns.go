package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// columnsLayout lays objects out in rows of n, like Fyne's grid, but each
// column is as wide as its widest cell rather than every column as wide as
// the widest cell of all: a table whose headings are longer than its values
// ("auto_approve" over "true") then fits a small window. Width left over is
// shared equally, so the table still spans the window; each row is as tall
// as its tallest cell.
type columnsLayout struct{ n int }

// widths and heights are the columns' and rows' minimum sizes.
func (l *columnsLayout) measure(objects []fyne.CanvasObject) (widths, heights []float32) {
	if l.n <= 0 || len(objects) == 0 {
		return nil, nil
	}
	widths = make([]float32, l.n)
	heights = make([]float32, (len(objects)+l.n-1)/l.n)
	for i, o := range objects {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		widths[i%l.n] = max(widths[i%l.n], m.Width)
		heights[i/l.n] = max(heights[i/l.n], m.Height)
	}
	return widths, heights
}

func (l *columnsLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	widths, heights := l.measure(objects)
	return fyne.NewSize(sumWithGaps(widths), sumWithGaps(heights))
}

func (l *columnsLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	widths, heights := l.measure(objects)
	if len(widths) == 0 {
		return
	}
	extra := max(0, size.Width-sumWithGaps(widths)) / float32(len(widths))
	gap := theme.Padding()
	var y float32
	for row, h := range heights {
		var x float32
		for col, w := range widths {
			i := row*l.n + col
			if i >= len(objects) {
				break
			}
			objects[i].Move(fyne.NewPos(x, y))
			objects[i].Resize(fyne.NewSize(w+extra, h))
			x += w + extra + gap
		}
		y += h + gap
	}
}

// sumWithGaps is the length of sizes laid end to end with the theme's
// padding between them, as Fyne's own grid spaces its cells.
func sumWithGaps(sizes []float32) float32 {
	if len(sizes) == 0 {
		return 0
	}
	total := theme.Padding() * float32(len(sizes)-1)
	for _, s := range sizes {
		total += s
	}
	return total
}
