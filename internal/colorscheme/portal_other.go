//go:build !linux

package colorscheme

import "fmt"

// Start: the portal is a Linux desktop's; elsewhere Fyne reads the
// system's preference before the window is made.
func Start() *Reading {
	r := &Reading{done: make(chan struct{}), stop: func() {}, err: fmt.Errorf("%w: no portal here; Fyne asks the system", ErrUnavailable)}
	close(r.done)
	return r
}
