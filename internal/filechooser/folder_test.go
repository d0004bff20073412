package filechooser

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDocumentsFolder(t *testing.T) {
	cases := []struct {
		name     string
		userDirs string   // user-dirs.dirs ("" none)
		mkdirs   []string // under home
		want     string   // under home; "." is home
	}{
		{name: "named by the desktop", userDirs: "# comment\nXDG_DESKTOP_DIR=\"$HOME/Desktop\"\nXDG_DOCUMENTS_DIR=\"$HOME/Dokumente\"\n",
			mkdirs: []string{"Dokumente", "Documents"}, want: "Dokumente"},
		{name: "named but missing", userDirs: "XDG_DOCUMENTS_DIR=\"$HOME/Dokumente\"\n", mkdirs: []string{"Documents"}, want: "Documents"},
		{name: "the home itself", userDirs: "XDG_DOCUMENTS_DIR=\"$HOME\"\n", want: "."},
		{name: "no user dirs, a Documents folder", mkdirs: []string{"Documents"}, want: "Documents"},
		{name: "nothing", want: "."},
		{name: "a relative path is not allowed", userDirs: "XDG_DOCUMENTS_DIR=\"Docs\"\n", mkdirs: []string{"Docs"}, want: "."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			home := t.TempDir()
			t.Setenv("HOME", home)
			t.Setenv("XDG_CONFIG_HOME", "")
			for _, d := range c.mkdirs {
				if err := os.MkdirAll(filepath.Join(home, d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if c.userDirs != "" {
				if err := os.MkdirAll(filepath.Join(home, ".config"), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(home, ".config", "user-dirs.dirs"), []byte(c.userDirs), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if got, want := DocumentsFolder(), filepath.Join(home, c.want); got != want {
				t.Fatalf("DocumentsFolder() = %q, want %q", got, want)
			}
		})
	}
}

func TestDocumentsFolderAbsolute(t *testing.T) {
	home, other := t.TempDir(), t.TempDir()
	t.Setenv("HOME", home)
	config := filepath.Join(home, "cfg")
	t.Setenv("XDG_CONFIG_HOME", config)
	if err := os.MkdirAll(config, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(config, "user-dirs.dirs"), []byte("XDG_DOCUMENTS_DIR=\""+other+"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := DocumentsFolder(); got != other {
		t.Fatalf("DocumentsFolder() = %q, want %q", got, other)
	}
}

func TestStartFolder(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	last := t.TempDir()
	for _, c := range []struct{ last, want string }{
		{last, last},
		{"", home},
		{filepath.Join(last, "gone"), home},
	} {
		if got := StartFolder(c.last); got != c.want {
			t.Errorf("StartFolder(%q) = %q, want %q", c.last, got, c.want)
		}
	}
}
