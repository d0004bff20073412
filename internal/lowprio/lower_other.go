//go:build !linux && !windows

package lowprio

// onMainThread is true everywhere else: the work runs on the Go runtime's
// threads as before. macOS has no nice value per thread (its
// quality-of-service classes need cgo).
func onMainThread() bool { return true }

// lower is never called here.
func lower() error { return nil }
