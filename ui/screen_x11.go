//go:build !wayland && !ci && !android && !ios && !wasm && !js && !mobile

package ui

// builtForWayland: without Fyne's wayland tag the window system is X11 (or
// Windows or macOS), and Fyne scales windows by the screen's density.
const builtForWayland = false
