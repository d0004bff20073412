package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestAppWindowInCLocale opens the app's window in the locales of a
// minimal container or SSH session. Fyne looks the locale up again while
// it draws (fonts, date formats), so a quiet start of the sandbox alone
// (TestNoLocaleErrorsInCLocales) does not prove a quiet window.
func TestAppWindowInCLocale(t *testing.T) {
	requireDesktop(t, true)
	bin := appBinary(t)
	for _, tt := range []struct {
		name string
		env  []string
	}{
		{"LANG C.UTF-8", []string{"LANG=C.UTF-8"}},
		{"LC_ALL C.UTF-8", []string{"LANG=en_GB.UTF-8", "LC_ALL=C.UTF-8"}},
		{"C", []string{"LANG=C", "LC_ALL=C"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			home, err := os.MkdirTemp("", "loc")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = os.RemoveAll(home) })
			cmd := exec.Command(bin)
			for _, kv := range os.Environ() {
				if !strings.HasPrefix(kv, "LANG") && !strings.HasPrefix(kv, "LC_") {
					cmd.Env = append(cmd.Env, kv)
				}
			}
			cmd.Env = append(append(cmd.Env, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
				"XDG_CACHE_HOME="+filepath.Join(home, ".cache")), tt.env...)
			w := watch(t, cmd)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			w.waitFor(t, "state=form", 30*time.Second)
			time.Sleep(time.Second) // a few frames drawn
			stop(cmd)
			// Only locale errors: Fyne also logs "Preferences load error: EOF"
			// now and then when its file watcher reads the preferences while
			// they are being written (fyne-io/fyne#2936), which no locale
			// causes or cures.
			if log := w.text(); strings.Contains(strings.ToLower(log), "locale") {
				t.Errorf("the app wrote locale errors:\n%s", log)
			}
		})
	}
}
