//go:build windows

package urlscheme

import (
	"errors"

	"golang.org/x/sys/windows/registry"
)

// hkcu is HKEY_CURRENT_USER.
type hkcu struct{}

func (hkcu) SetString(key, name, value string) error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, key, registry.SET_VALUE)
	if err != nil {
		return err
	}
	defer k.Close()
	return k.SetStringValue(name, value)
}

func (hkcu) GetString(key, name string) (string, error) {
	return getString(registry.CURRENT_USER, key, name)
}

// hklm is HKEY_LOCAL_MACHINE, read only: the classes every user has.
type hklm struct{}

func (hklm) SetString(key, name, value string) error {
	return errors.New("HKEY_LOCAL_MACHINE is not written")
}

func (hklm) GetString(key, name string) (string, error) {
	return getString(registry.LOCAL_MACHINE, key, name)
}

func getString(root registry.Key, key, name string) (string, error) {
	k, err := registry.OpenKey(root, key, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return "", errRegistryNotFound
	}
	if err != nil {
		return "", err
	}
	defer k.Close()
	v, _, err := k.GetStringValue(name)
	if errors.Is(err, registry.ErrNotExist) {
		return "", errRegistryNotFound
	}
	return v, err
}
