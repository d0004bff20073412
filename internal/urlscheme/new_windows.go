//go:build windows

package urlscheme

// NewRegistration on Windows: the user's registry hive, no admin rights.
func NewRegistration(exe string) Registration {
	return &windowsRegistration{exe: exe, reg: hkcu{}, machine: hklm{}}
}
