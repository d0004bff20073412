package urlscheme

import (
	"testing"
)

func TestSetDefaultHandler(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "[Default Applications]\nx-scheme-handler/x-cez=a.desktop\n"},
		{"[Added Associations]\nx=y;\n", "[Added Associations]\nx=y;\n\n[Default Applications]\nx-scheme-handler/x-cez=a.desktop\n"},
		{"[Default Applications]\nx-scheme-handler/x-cez=old.desktop\nz=1\n", "[Default Applications]\nx-scheme-handler/x-cez=a.desktop\nz=1\n"},
	}
	for _, tt := range tests {
		got := string(setDefaultHandler([]byte(tt.in), "x-scheme-handler/x-cez", "a.desktop"))
		if got != tt.want {
			t.Errorf("setDefaultHandler(%q) =\n%q\nwant\n%q", tt.in, got, tt.want)
		}
		if defaultHandler([]byte(got), "x-scheme-handler/x-cez") != "a.desktop" {
			t.Errorf("defaultHandler cannot read back %q", got)
		}
	}
}
