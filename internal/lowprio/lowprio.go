// Package lowprio runs the app's CPU-heavy background work (decoding pages
// of people, writing an export) on OS threads scheduled after the window's.
//
// The window draws on one OS thread, and with software OpenGL every frame
// needs CPU of its own. On a machine with two cores an export of 50,000
// people decodes pages on both, and the window's frames then waited for a
// core behind it: 70-150 ms a frame, while the same frame alone takes
// 10-30 ms. At a lower priority the work still has every core the window is
// not using, so it is barely slower; it only gives way first.
package lowprio

import "runtime"

// Go runs f in a new goroutine on an OS thread of its own, at a lower
// priority than the app's other threads. The thread ends with f: it is
// never handed back to the Go runtime's pool, where any goroutine (the
// window's own work among them) could later run on it at that priority.
func Go(f func()) {
	go func() {
		runtime.LockOSThread()
		if onMainThread() {
			// The process's first thread is kept for good: a goroutine
			// that exits locked to it leaves it parked, not ended, and
			// lowered it would stay so. The work runs as any goroutine.
			runtime.UnlockOSThread()
			f()
			return
		}
		// Not unlocked, on purpose: a goroutine that exits locked takes
		// its thread with it. A thread that could not be lowered is as
		// any other, and goes back to the pool.
		if lower() != nil {
			runtime.UnlockOSThread()
		}
		f()
	}()
}
