//go:build !windows

package xinput

// Pin does nothing here: only Windows has XInput.
func Pin() error { return nil }
