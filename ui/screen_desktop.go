//go:build !ci && !android && !ios && !wasm && !js && !mobile

package ui

import (
	"os"
	"runtime"
	"strconv"

	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.3/glfw"
)

// screenSize is the size, in Fyne's units, of the primary screen, where a
// new window opens; zero when it cannot be told. Fyne does not say, so it
// is read from glfw, which the window's creation has started: call it on
// the main goroutine after NewWindow.
func screenSize() fyne.Size {
	m := glfw.GetPrimaryMonitor()
	if m == nil {
		return fyne.Size{}
	}
	mode := m.GetVideoMode()
	if mode == nil || mode.Width <= 0 || mode.Height <= 0 {
		return fyne.Size{}
	}
	scale := monitorScale(m, mode.Width) * userScale()
	return fyne.NewSize(float32(mode.Width)/scale, float32(mode.Height)/scale)
}

// monitorScale is how many pixels make one of Fyne's units on m, as Fyne
// works it out: macOS scales for it, Windows says, elsewhere the density.
func monitorScale(m *glfw.Monitor, widthPx int) float32 {
	switch runtime.GOOS {
	case "darwin":
		return 1
	case "windows":
		if x, _ := m.GetContentScale(); x > 0 {
			return x
		}
		return 1
	}
	widthMm, _ := m.GetPhysicalSize()
	if widthMm <= 0 {
		return 1
	}
	dpi := float32(widthPx) / (float32(widthMm) / 25.4)
	if dpi > 1000 || dpi < 96 {
		return 1
	}
	return dpi / 96
}

// userScale is the scale the person chose (FYNE_SCALE, or Fyne's settings).
func userScale() float32 {
	if env := os.Getenv("FYNE_SCALE"); env != "" && env != "auto" {
		if s, err := strconv.ParseFloat(env, 32); err == nil && s > 0 {
			return float32(s)
		}
	}
	if s := fyne.CurrentApp().Settings().Scale(); s > 0 {
		return s
	}
	return 1
}
