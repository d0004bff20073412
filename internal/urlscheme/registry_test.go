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
	for _, bad := range []string{"https", "x cez", `x-cez\..\evil`, "", "exefile", "ms-settings", "htmlfile", "ssh"} {
		if err := r.Register(bad); err == nil {
			t.Errorf("registered %q", bad)
		}
	}
}

// TestWindowsOwnedByOther: a scheme whose links open another program (in
// the user's classes or the machine's) is not taken over unless asked.
func TestWindowsOwnedByOther(t *testing.T) {
	const exe = `C:\Programs\Cezanne HR Desktop\cezanne-desktop.exe`
	tests := []struct {
		name      string
		user      fakeRegistry
		machine   fakeRegistry
		scheme    string
		wantOwner string // "" means Register succeeds
	}{
		{"nobody", fakeRegistry{}, fakeRegistry{}, "x-cez", ""},
		{"another program, user classes", fakeRegistry{`Software\Classes\x-cez\shell\open\command|`: `"C:\other.exe" "%1"`},
			fakeRegistry{}, "x-cez", `"C:\other.exe" "%1"`},
		{"another program, machine classes", fakeRegistry{},
			fakeRegistry{`Software\Classes\com.example.hr\shell\open\command|`: `"C:\Program Files\HR\hr.exe" "%1"`},
			"com.example.hr", `"C:\Program Files\HR\hr.exe" "%1"`},
		{"a class without a command", fakeRegistry{}, fakeRegistry{`Software\Classes\x-cez|`: "Something"},
			"x-cez", `HKEY_CLASSES_ROOT\x-cez (Something)`},
		{"this executable", fakeRegistry{`Software\Classes\x-cez\shell\open\command|`: `"` + exe + `" "%1"`},
			fakeRegistry{}, "x-cez", ""},
		{"an older copy of this app", fakeRegistry{`Software\Classes\x-cez|`: "URL:Cezanne HR Desktop sign-in (x-cez)",
			`Software\Classes\x-cez\shell\open\command|`: `"D:\old\cezanne-desktop.exe" "%1"`}, fakeRegistry{}, "x-cez", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &windowsRegistration{exe: exe, reg: tt.user, machine: tt.machine}
			err := r.Register(tt.scheme)
			checkOwned(t, err, tt.wantOwner)
			if tt.wantOwner == "" {
				return
			}
			if got, _ := tt.user.GetString(classesKey(tt.scheme)+`\shell\open\command`, ""); got == windowsOpenCommand(exe) {
				t.Fatal("Register changed the registry although another program owns the scheme")
			}
			if err := TakeOver(r, tt.scheme); err != nil {
				t.Fatal(err)
			}
			if ok, _ := r.Registered(tt.scheme); !ok {
				t.Fatal("not registered after TakeOver")
			}
		})
	}
}
