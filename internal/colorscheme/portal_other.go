//go:build !linux

package colorscheme

import "fmt"

// Supported: the portal is a Linux desktop's; on Windows and macOS Fyne
// reads the system's preference before the window is made.
const Supported = false

// Start reports ErrUnavailable at once.
func Start() *Reading {
	r := &Reading{done: make(chan struct{}), stop: func() {}, err: fmt.Errorf("%w: no portal here; Fyne asks the system", ErrUnavailable)}
	close(r.done)
	return r
}
