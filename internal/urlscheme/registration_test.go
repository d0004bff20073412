package urlscheme

import (
	"errors"
	"testing"
)

func TestCheckScheme(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{"x-cez", "x-cez", false},
		{"X-Cez", "x-cez", false},
		{"com.example.hr+v1", "com.example.hr+v1", false},
		{"Com.Example.App", "com.example.app", false},
		{"https", "", true},
		// Schemes other programs own (RFC 8252 section 7.1 asks for
		// reverse-DNS names so that this cannot happen by accident).
		{"exefile", "", true},
		{"ms-settings", "", true},
		{"htmlfile", "", true},
		{"ssh", "", true},
		{"cez", "", true},
		{"com.", "", true},
		{"com..example", "", true},
		{"com.-x", "", true},
		{"MAILTO", "", true},
		{"x cez", "", true},
		{`x-cez\..\evil`, "", true},
		{"1x", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		got, err := checkScheme(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("checkScheme(%q) = %q, %v", tt.in, got, err)
		}
		if pub, perr := CheckPrivateUse(tt.in); pub != got || (perr != nil) != (err != nil) {
			t.Errorf("CheckPrivateUse(%q) = %q, %v; checkScheme says %q, %v", tt.in, pub, perr, got, err)
		}
	}
	if NewRegistration("/usr/bin/cezanne-desktop") == nil {
		t.Error("no registration for this OS")
	}
}

// checkOwned fails t unless err is what Register should answer when
// wantOwner (a program, or "" for none) opens the scheme's links now.
func checkOwned(t *testing.T, err error, wantOwner string) {
	t.Helper()
	var owned *OwnedError
	switch {
	case wantOwner == "" && err != nil:
		t.Fatalf("Register: %v", err)
	case wantOwner != "" && (!errors.As(err, &owned) || owned.Owner != wantOwner || !errors.Is(err, ErrOwnedByOther)):
		t.Fatalf("Register = %v, want OwnedError naming %s", err, wantOwner)
	}
}
