package urlscheme

import (
	"errors"
	"fmt"
	"strings"
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
	// machine is HKEY_LOCAL_MACHINE, read only: classes there (exefile,
	// ms-settings) apply to every user until a user's own key overrides
	// them, so they count as owned. nil: none.
	machine registryStore
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

// Register writes the URL protocol keys, unless another program opens the
// scheme's links (an *OwnedError).
func (r *windowsRegistration) Register(scheme string) error {
	return register(scheme, false, r.owner, r.write)
}

// TakeOver writes the URL protocol keys whoever opens the links now.
func (r *windowsRegistration) TakeOver(scheme string) error {
	return register(scheme, true, r.owner, r.write)
}

// ourDescription starts the class description Register writes; a class
// with it is a copy of this app (an older install elsewhere), not another
// program.
const ourDescription = "URL:Cezanne HR Desktop sign-in"

// owner is the open command of another program for scheme, or "": the
// user's own class first (it wins), then the machine's.
func (r *windowsRegistration) owner(scheme string) string {
	key := classesKey(scheme)
	for _, store := range []registryStore{r.reg, r.machine} {
		if store == nil {
			continue
		}
		cmd, cmdErr := store.GetString(key+`\shell\open\command`, "")
		name, nameErr := store.GetString(key, "")
		switch {
		case cmdErr == nil && cmd == windowsOpenCommand(r.exe), nameErr == nil && strings.HasPrefix(name, ourDescription):
			return ""
		case cmdErr == nil:
			return cmd
		case nameErr == nil:
			// A class without an open command still belongs to someone.
			return `HKEY_CLASSES_ROOT\` + scheme + " (" + name + ")"
		}
	}
	return ""
}

func (r *windowsRegistration) write(scheme string) error {
	key := classesKey(scheme)
	for _, v := range []struct{ key, name, value string }{
		{key, "", ourDescription + " (" + scheme + ")"},
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
