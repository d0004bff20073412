//go:build !ci && !android && !ios && !wasm && !js && !mobile

package ui

import (
	"runtime"

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
	widthMm, heightMm := m.GetPhysicalSize()
	content, _ := m.GetContentScale()
	user, noDetection := scaleFromEnv(fyne.CurrentApp().Settings().Scale())
	scale := fyneScale(monitorFacts{
		goos: runtime.GOOS, wayland: builtForWayland, contentScale: content,
		widthMm: widthMm, heightMm: heightMm, widthPx: mode.Width,
		user: user, noDetection: noDetection,
	})
	return fyne.NewSize(float32(mode.Width)/scale, float32(mode.Height)/scale)
}
