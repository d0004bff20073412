package localeenv

import "testing"

// TestLanguage covers the locale environments a person's shell may have;
// only a C or POSIX locale with an encoding needs LANGUAGE set.
func TestLanguage(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"nothing set", map[string]string{}, ""},
		{"bare C", map[string]string{"LANG": "C"}, ""},
		{"bare POSIX", map[string]string{"LC_ALL": "POSIX"}, ""},
		{"LANG C.UTF-8", map[string]string{"LANG": "C.UTF-8"}, "en"},
		{"LANG C.utf8", map[string]string{"LANG": "C.utf8"}, "en"},
		{"POSIX with a modifier", map[string]string{"LANG": "POSIX@euro"}, "en"},
		{"LC_ALL wins over LANG", map[string]string{"LC_ALL": "C.UTF-8", "LANG": "en_GB.UTF-8"}, "en"},
		{"LC_ALL wins over a C LANG", map[string]string{"LC_ALL": "de_DE.UTF-8", "LANG": "C.UTF-8"}, ""},
		{"LC_MESSAGES before LANG", map[string]string{"LC_MESSAGES": "C.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"},
		{"a real locale", map[string]string{"LANG": "en_GB.UTF-8"}, ""},
		{"a language called Ca…", map[string]string{"LANG": "ca_ES.UTF-8"}, ""},
		{"LANGUAGE already chosen", map[string]string{"LANG": "C.UTF-8", "LANGUAGE": "fr"}, ""},
		{"empty LANGUAGE", map[string]string{"LANG": "C.UTF-8", "LANGUAGE": ""}, "en"},
		{"C with an empty encoding", map[string]string{"LANG": "C."}, "en"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			lookup := func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok }
			got, ok := language(lookup)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("language() = %q, %v; want %q", got, ok, tt.want)
			}
		})
	}
}
