package auth

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// XDGRegistration registers schemes the freedesktop way (Linux desktops):
// a .desktop file with MimeType=x-scheme-handler/<scheme> in the user's
// applications folder, made the default handler in mimeapps.list — what
// `xdg-mime default` does, written directly so it works where xdg-utils is
// missing; xdg-mime and update-desktop-database are still run when present.
type XDGRegistration struct {
	Exe        string // the executable links open
	DataHome   string // default $XDG_DATA_HOME or ~/.local/share
	ConfigHome string // default $XDG_CONFIG_HOME or ~/.config
}

// NewXDGRegistration uses the XDG directories of the environment.
func NewXDGRegistration(exe string) *XDGRegistration {
	home, _ := os.UserHomeDir()
	r := &XDGRegistration{Exe: exe, DataHome: os.Getenv("XDG_DATA_HOME"), ConfigHome: os.Getenv("XDG_CONFIG_HOME")}
	if r.DataHome == "" {
		r.DataHome = filepath.Join(home, ".local", "share")
	}
	if r.ConfigHome == "" {
		r.ConfigHome = filepath.Join(home, ".config")
	}
	return r
}

// DesktopFileName is the .desktop file handling scheme.
func DesktopFileName(scheme string) string { return "com.cezannehr.desktop-" + scheme + ".desktop" }

// DesktopFile is the handler's .desktop entry. Exec quotes the executable
// as the Desktop Entry spec requires and passes the link as %u.
func DesktopFile(exe, scheme string) string {
	return "[Desktop Entry]\n" +
		"Type=Application\n" +
		"Name=Cezanne HR Desktop\n" +
		"Comment=Receives the Cezanne HR sign-in from the browser (" + scheme + ":// links)\n" +
		"Exec=" + desktopExecQuote(exe) + " %u\n" +
		"Icon=com.cezannehr.desktop\n" +
		"Terminal=false\n" +
		"NoDisplay=true\n" +
		"MimeType=x-scheme-handler/" + scheme + ";\n"
}

// desktopExecQuote quotes an Exec argument per the Desktop Entry spec.
func desktopExecQuote(s string) string {
	if !strings.ContainsAny(s, " \t\n\"'\\><~|&;$*?#()`") {
		return s
	}
	r := strings.NewReplacer(`\`, `\\\\`, `"`, `\\"`, "`", "\\\\`", "$", `\\$`)
	return `"` + r.Replace(s) + `"`
}

func (r *XDGRegistration) desktopPath(scheme string) string {
	return filepath.Join(r.DataHome, "applications", DesktopFileName(scheme))
}

func (r *XDGRegistration) mimeappsPath() string { return filepath.Join(r.ConfigHome, "mimeapps.list") }

// Registered: our .desktop file exists with our executable and is the
// default handler for the scheme.
func (r *XDGRegistration) Registered(scheme string) (bool, error) {
	scheme, err := checkScheme(scheme)
	if err != nil {
		return false, err
	}
	b, err := os.ReadFile(r.desktopPath(scheme))
	if os.IsNotExist(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if string(b) != DesktopFile(r.Exe, scheme) {
		return false, nil // another copy of the app, or an older version
	}
	list, err := os.ReadFile(r.mimeappsPath())
	if err != nil && !os.IsNotExist(err) {
		return false, err
	}
	return defaultHandler(list, "x-scheme-handler/"+scheme) == DesktopFileName(scheme), nil
}

// Register writes the .desktop file and makes it the scheme's default.
func (r *XDGRegistration) Register(scheme string) error {
	scheme, err := checkScheme(scheme)
	if err != nil {
		return err
	}
	apps := filepath.Join(r.DataHome, "applications")
	if err := os.MkdirAll(apps, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(r.desktopPath(scheme), []byte(DesktopFile(r.Exe, scheme)), 0o644); err != nil {
		return fmt.Errorf("cannot write the link handler: %w", err)
	}
	list, err := os.ReadFile(r.mimeappsPath())
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	if err := os.MkdirAll(r.ConfigHome, 0o755); err != nil {
		return err
	}
	updated := setDefaultHandler(list, "x-scheme-handler/"+scheme, DesktopFileName(scheme))
	if err := writePrivate(r.mimeappsPath(), updated); err != nil {
		return fmt.Errorf("cannot update %s: %w", r.mimeappsPath(), err)
	}
	_ = os.Chmod(r.mimeappsPath(), 0o644)
	// Desktops that cache handlers (and KDE's own list) learn of it here.
	if p, err := exec.LookPath("update-desktop-database"); err == nil {
		_ = exec.Command(p, apps).Run()
	}
	if p, err := exec.LookPath("xdg-mime"); err == nil {
		_ = exec.Command(p, "default", DesktopFileName(scheme), "x-scheme-handler/"+scheme).Run()
	}
	return nil
}

// defaultHandler reads key from the [Default Applications] group.
func defaultHandler(list []byte, key string) string {
	group := ""
	sc := bufio.NewScanner(bytes.NewReader(list))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			group = line
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok && group == "[Default Applications]" && strings.TrimSpace(k) == key {
			first, _, _ := strings.Cut(strings.TrimSpace(v), ";")
			return first
		}
	}
	return ""
}

// setDefaultHandler sets key in [Default Applications], keeping every
// other line as it was.
func setDefaultHandler(list []byte, key, value string) []byte {
	var out []string
	group, done, sawGroup := "", false, false
	lines := strings.Split(strings.TrimRight(string(list), "\n"), "\n")
	if len(list) == 0 {
		lines = nil
	}
	for _, line := range lines {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "[") {
			if group == "[Default Applications]" && !done {
				// At the end of the group, before the blank lines after it.
				i := len(out)
				for i > 0 && strings.TrimSpace(out[i-1]) == "" {
					i--
				}
				out = append(out[:i], append([]string{key + "=" + value}, out[i:]...)...)
				done = true
			}
			group = trimmed
			sawGroup = sawGroup || group == "[Default Applications]"
		} else if k, _, ok := strings.Cut(trimmed, "="); ok && group == "[Default Applications]" && strings.TrimSpace(k) == key {
			if !done {
				out = append(out, key+"="+value)
				done = true
			}
			continue
		}
		out = append(out, line)
	}
	if !done {
		if !sawGroup {
			if len(out) > 0 {
				out = append(out, "")
			}
			out = append(out, "[Default Applications]")
		}
		out = append(out, key+"="+value)
	}
	return []byte(strings.Join(out, "\n") + "\n")
}
