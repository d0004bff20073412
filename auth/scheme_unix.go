//go:build !windows && !darwin

package auth

// NewSchemeRegistration registers schemes with the freedesktop .desktop and
// mimeapps.list files.
func NewSchemeRegistration(exe string) SchemeRegistration { return NewXDGRegistration(exe) }
