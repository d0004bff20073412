package urlscheme

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestXDG(t *testing.T) {
	dir := t.TempDir()
	r := &XDG{Exe: "/opt/Cezanne HR/cezanne-desktop", DataHome: filepath.Join(dir, "data"), ConfigHome: filepath.Join(dir, "config")}
	// Someone else's settings must survive.
	os.MkdirAll(r.ConfigHome, 0o755)
	other := "[Default Applications]\ntext/html=firefox.desktop\n\n[Added Associations]\nimage/png=eog.desktop;\n"
	os.WriteFile(filepath.Join(r.ConfigHome, "mimeapps.list"), []byte(other), 0o644)

	if ok, err := r.Registered("x-cez"); ok || err != nil {
		t.Fatalf("registered before registering: %v %v", ok, err)
	}
	if err := r.Register("x-cez"); err != nil {
		t.Fatal(err)
	}
	if ok, err := r.Registered("x-cez"); !ok || err != nil {
		t.Fatalf("not registered after registering: %v", err)
	}
	desktop, _ := os.ReadFile(filepath.Join(r.DataHome, "applications", "com.cezannehr.desktop-x-cez.desktop"))
	for _, want := range []string{"[Desktop Entry]\n", "Type=Application\n", "MimeType=x-scheme-handler/x-cez;\n", `Exec="/opt/Cezanne HR/cezanne-desktop" %u` + "\n", "NoDisplay=true\n"} {
		if !strings.Contains(string(desktop), want) {
			t.Errorf(".desktop file lacks %q:\n%s", want, desktop)
		}
	}
	list, _ := os.ReadFile(filepath.Join(r.ConfigHome, "mimeapps.list"))
	want := "[Default Applications]\ntext/html=firefox.desktop\nx-scheme-handler/x-cez=com.cezannehr.desktop-x-cez.desktop\n\n[Added Associations]\nimage/png=eog.desktop;\n"
	if string(list) != want {
		t.Fatalf("mimeapps.list:\n%s\nwant:\n%s", list, want)
	}
	// Another copy of the app elsewhere is not "registered".
	moved := *r
	moved.Exe = "/usr/bin/cezanne-desktop"
	if ok, _ := moved.Registered("x-cez"); ok {
		t.Fatal("a registration for another executable counts as ours")
	}
}

func TestDesktopExecQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/usr/bin/cezanne-desktop", "/usr/bin/cezanne-desktop"},
		{"/opt/My Apps/app", `"/opt/My Apps/app"`},
		{`/opt/a"b/$x`, `"/opt/a\\"b/\\$x"`},
	}
	for _, tt := range tests {
		if got := desktopExecQuote(tt.in); got != tt.want {
			t.Errorf("desktopExecQuote(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestXDGOwnedByOther: a scheme another program handles (by a default in
// any mimeapps.list, or a desktop file's declaration) is not taken over
// unless asked, and nothing is written before.
func TestXDGOwnedByOther(t *testing.T) {
	tests := []struct {
		name      string
		file      string // relative to the temporary root
		content   string
		wantOwner string
	}{
		{"nobody", "", "", ""},
		{"user default", "config/mimeapps.list", "[Default Applications]\nx-scheme-handler/x-cez=other.desktop\n", "other.desktop"},
		{"system default", "etc/xdg/mimeapps.list", "[Default Applications]\nx-scheme-handler/x-cez=vendor.desktop;\n", "vendor.desktop"},
		{"declared by a desktop file", "usr/share/applications/mimeinfo.cache", "[MIME Cache]\nx-scheme-handler/x-cez=tool.desktop;\n", "tool.desktop"},
		{"our own desktop file", "config/mimeapps.list", "[Default Applications]\nx-scheme-handler/x-cez=" + DesktopFileName("x-cez") + "\n", ""},
		{"another group", "config/mimeapps.list", "[Removed Associations]\nx-scheme-handler/x-cez=other.desktop\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			r := &XDG{Exe: "/usr/bin/cezanne-desktop", DataHome: filepath.Join(root, "data"), ConfigHome: filepath.Join(root, "config"),
				SystemConfigDirs: []string{filepath.Join(root, "etc/xdg")}, SystemDataDirs: []string{filepath.Join(root, "usr/share")}}
			if tt.file != "" {
				path := filepath.Join(root, tt.file)
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			err := r.Register("x-cez")
			checkOwned(t, err, tt.wantOwner)
			if tt.wantOwner == "" {
				return
			}
			if _, err := os.Stat(r.desktopPath("x-cez")); !os.IsNotExist(err) {
				t.Fatal("Register wrote a desktop file although another program owns the scheme")
			}
			if err := TakeOver(r, "x-cez"); err != nil {
				t.Fatal(err)
			}
			if ok, _ := r.Registered("x-cez"); !ok {
				t.Fatal("not registered after TakeOver")
			}
		})
	}
}
