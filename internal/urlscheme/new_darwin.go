//go:build darwin

package urlscheme

// NewRegistration on macOS: the app bundle declares the scheme.
func NewRegistration(exe string) Registration { return bundleRegistration{exe: exe} }
