package urlscheme

import (
	"testing"
)

// fakeRegistry is HKEY_CURRENT_USER as a map.
type fakeRegistry map[string]string

func (f fakeRegistry) SetString(key, name, value string) error {
	f[key+"|"+name] = value
	return nil
}

func (f fakeRegistry) GetString(key, name string) (string, error) {
	v, ok := f[key+"|"+name]
	if !ok {
		return "", errRegistryNotFound
	}
	return v, nil
}

func TestWindowsRegistration(t *testing.T) {
	reg := fakeRegistry{}
	r := &windowsRegistration{exe: `C:\Users\ana\AppData\Local\Programs\Cezanne HR Desktop\cezanne-desktop.exe`, reg: reg}
	if ok, err := r.Registered("x-cez"); ok || err != nil {
		t.Fatalf("registered before: %v %v", ok, err)
	}
	if err := r.Register("x-cez"); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		`Software\Classes\x-cez|`:                    "URL:Cezanne HR Desktop sign-in (x-cez)",
		`Software\Classes\x-cez|URL Protocol`:        "",
		`Software\Classes\x-cez\shell\open\command|`: `"` + r.exe + `" "%1"`,
		`Software\Classes\x-cez\DefaultIcon|`:        `"` + r.exe + `",0`,
	}
	for k, v := range want {
		if reg[k] != v {
			t.Errorf("HKCU\\%s = %q, want %q", k, reg[k], v)
		}
	}
	if ok, _ := r.Registered("x-cez"); !ok {
		t.Fatal("not registered after registering")
	}
	other := &windowsRegistration{exe: `D:\old\cezanne-desktop.exe`, reg: reg}
	if ok, _ := other.Registered("x-cez"); ok {
		t.Fatal("another executable's registration counts as ours")
	}
	for _, bad := range []string{"https", "x cez", `x-cez\..\evil`, ""} {
		if err := r.Register(bad); err == nil {
			t.Errorf("registered %q", bad)
		}
	}
}
