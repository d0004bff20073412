//go:build !windows && !darwin

package urlscheme

// NewRegistration on Linux, the BSDs and every other system that is neither
// Windows nor macOS: the freedesktop .desktop and mimeapps.list files.
func NewRegistration(exe string) Registration { return NewXDG(exe) }
