//go:build !linux

package colorscheme

// Start: the portal is a Linux desktop's; elsewhere Fyne reads the
// system's preference before the window is made.
func Start() *Reading {
	r := &Reading{done: make(chan struct{}), stop: func() {}, err: ErrUnavailable}
	close(r.done)
	return r
}
