//go:build unix

package main

import (
	"os"
	"syscall"
)

// fyneCacheDuration is how long Fyne keeps rendered text and widget
// renderers after they were last used. Every distinct string gets its own
// texture, and software OpenGL keeps textures in the process: its default, a
// minute, lets a table scrolled through 50,000 names hold twice as much
// (83 MB against 39 MB at 15 s); 5 s saved 26 MB more, 2 s another 6 MB.
// Text on screen stays cached while frames are drawn; after an idle pause
// the next frame rasterises it again, which takes milliseconds. The price:
// below 10 s Fyne walks the window's objects on every idle frame to keep its
// caches alive, 5.3% of a core against 3.1% at 15 s for the signed-in window
// here (the session countdown redraws every second anyway).
const fyneCacheDuration = "2s"

// tuneFyneCache sets FYNE_CACHE for Fyne, which reads it while its packages
// initialise, before main runs: so the app re-executes itself once with it
// set. The person or IT can still choose another value.
func tuneFyneCache() {
	if _, set := os.LookupEnv("FYNE_CACHE"); set {
		return
	}
	exe, err := os.Executable()
	if err != nil {
		return
	}
	os.Setenv("FYNE_CACHE", fyneCacheDuration)
	// On success Exec does not return; on failure the app runs with the default.
	_ = syscall.Exec(exe, os.Args, os.Environ())
}
