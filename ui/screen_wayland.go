//go:build wayland

package ui

// builtForWayland: Fyne's wayland tag makes the compositor scale windows.
const builtForWayland = true
