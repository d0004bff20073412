package urlscheme

import (
	"errors"
	"fmt"
)

// registryStore is the part of the Windows registry the app writes: string
// values under HKEY_CURRENT_USER. The real one is in registry_windows.go; tests
// use a map, so this logic is checked on every OS.
type registryStore interface {
	SetString(key, name, value string) error
	GetString(key, name string) (string, error)
}

// errRegistryNotFound is what a registryStore returns for a missing key or value.
var errRegistryNotFound = errors.New("registry value not found")

// windowsRegistration registers a scheme for the user alone, under
// HKCU\Software\Classes, as a URL protocol whose open command starts the app
// with the link: "C:\…\cezanne-desktop.exe" "%1". No admin rights needed.
type windowsRegistration struct {
	exe string
	reg registryStore
}

func classesKey(scheme string) string { return `Software\Classes\` + scheme }

func windowsOpenCommand(exe string) string { return `"` + exe + `" "%1"` }

// Registered: the scheme's open command starts this executable.
func (r *windowsRegistration) Registered(scheme string) (bool, error) {
	scheme, err := checkScheme(scheme)
	if err != nil {
		return false, err
	}
	got, err := r.reg.GetString(classesKey(scheme)+`\shell\open\command`, "")
	if errors.Is(err, errRegistryNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if _, err := r.reg.GetString(classesKey(scheme), "URL Protocol"); err != nil {
		return false, nil
	}
	return got == windowsOpenCommand(r.exe), nil
}

// Register writes the URL protocol keys.
func (r *windowsRegistration) Register(scheme string) error {
	scheme, err := checkScheme(scheme)
	if err != nil {
		return err
	}
	key := classesKey(scheme)
	for _, v := range []struct{ key, name, value string }{
		{key, "", "URL:Cezanne HR Desktop sign-in (" + scheme + ")"},
		{key, "URL Protocol", ""},
		{key + `\DefaultIcon`, "", `"` + r.exe + `",0`},
		{key + `\shell\open\command`, "", windowsOpenCommand(r.exe)},
	} {
		if err := r.reg.SetString(v.key, v.name, v.value); err != nil {
			return fmt.Errorf(`cannot write HKEY_CURRENT_USER\%s: %w`, v.key, err)
		}
	}
	return nil
}
