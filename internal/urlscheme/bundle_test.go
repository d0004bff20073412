package urlscheme

import "testing"

func TestBundleRegistration(t *testing.T) {
	tests := []struct {
		exe, scheme string
		want        bool
		wantErr     bool
	}{
		{"/Applications/Cezanne HR Desktop.app/Contents/MacOS/cezanne-desktop", "x-cez", true, false},
		{"/Users/ana/go/bin/cezanne-desktop", "x-cez", false, false},
		{"/Applications/Cezanne HR Desktop.app/Contents/MacOS/cezanne-desktop", "https", false, true},
	}
	for _, tt := range tests {
		got, err := bundleRegistration{exe: tt.exe}.Registered(tt.scheme)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("Registered(%q) from %s = %v, %v", tt.scheme, tt.exe, got, err)
		}
	}
	if err := (bundleRegistration{}).Register("x-cez"); err == nil {
		t.Error("the app registered itself on macOS; only installing the bundle can")
	}
}
