package main

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// scene is what the window holds under its label, and what changes in it
// at each repaint.
type scene struct {
	objects []fyne.CanvasObject
	texts   []*canvas.Text // newtexts: given new strings at each repaint
}

// newScene reads CEZANNE_BASELINE_SCENE ("" is the label alone).
func newScene(spec string) (*scene, error) {
	sc := &scene{}
	if spec == "" {
		return sc, nil
	}
	kind, count, ok := strings.Cut(spec, ":")
	n, err := strconv.Atoi(count)
	if !ok || err != nil || n < 1 || n > 1000 {
		return nil, fmt.Errorf("%s=%q: give a kind and a count, such as texts:200", sceneEnv, spec)
	}
	switch kind {
	case "rects", "overlay", "round":
		for range n {
			sc.objects = append(sc.objects, windowRect(kind))
		}
	case "texts", "newtexts", "smallrects":
		sc.objects = append(sc.objects, sc.grid(kind, n))
	default:
		return nil, fmt.Errorf("%s=%q: no such kind (rects, overlay, round, texts, newtexts, smallrects)", sceneEnv, spec)
	}
	return sc, nil
}

// windowRect fills the window (the stack layout sizes it).
func windowRect(kind string) fyne.CanvasObject {
	switch kind {
	case "overlay":
		return canvas.NewRectangle(theme.Color(theme.ColorNameShadow))
	case "round":
		r := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
		r.CornerRadius = theme.Size(theme.SizeNameInputRadius)
		return r
	}
	return canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
}

// grid lays n small things out as a table's cells: 10 columns of 130 px,
// rows of 28 px, so that 200 of them are all inside the window (Fyne may
// leave out what is outside it).
func (sc *scene) grid(kind string, n int) fyne.CanvasObject {
	g := container.NewWithoutLayout()
	for i := range n {
		var o fyne.CanvasObject
		if kind == "smallrects" {
			o = canvas.NewRectangle(color.NRGBA{R: 0x33, G: 0x66, B: 0xcc, A: 0x40})
		} else {
			t := canvas.NewText(fmt.Sprintf("Person %d Smith", i), theme.Color(theme.ColorNameForeground))
			sc.texts = append(sc.texts, t)
			o = t
		}
		o.Move(fyne.NewPos(float32(i%10)*130, float32(i/10)*28+40))
		o.Resize(fyne.NewSize(124, 24))
		g.Add(o)
	}
	if kind != "newtexts" {
		sc.texts = nil
	}
	return g
}

// change gives the newtexts scene's texts strings not drawn before.
func (sc *scene) change(repaint int) {
	for i, t := range sc.texts {
		t.Text = fmt.Sprintf("Person %d-%d Smith", i, repaint)
		t.Refresh()
	}
}
