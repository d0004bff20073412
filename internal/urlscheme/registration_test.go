package urlscheme

import "testing"

func TestCheckScheme(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{"x-cez", "x-cez", false},
		{"X-Cez", "x-cez", false},
		{"com.example.hr+v1", "com.example.hr+v1", false},
		{"https", "", true},
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
	}
	if NewRegistration("/usr/bin/cezanne-desktop") == nil {
		t.Error("no registration for this OS")
	}
}
