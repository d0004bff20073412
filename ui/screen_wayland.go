//go:build wayland && !ci && !android && !ios && !wasm && !js && !mobile

package ui

// builtForWayland: Fyne's wayland tag makes the compositor scale windows.
const builtForWayland = true
