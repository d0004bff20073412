package urlscheme

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/atomicfile"
)

// XDG registers schemes the freedesktop way (Linux desktops):
// a .desktop file with MimeType=x-scheme-handler/<scheme> in the user's
// applications folder, made the default handler in mimeapps.list — what
// `xdg-mime default` does, written directly so it works where xdg-utils is
// missing; xdg-mime and update-desktop-database are still run when present.
type XDG struct {
	Exe        string // the executable links open
	DataHome   string // default $XDG_DATA_HOME or ~/.local/share
	ConfigHome string // default $XDG_CONFIG_HOME or ~/.config
	// SystemConfigDirs and SystemDataDirs ($XDG_CONFIG_DIRS, $XDG_DATA_DIRS)
	// are only read, to learn whether another program opens a scheme.
	SystemConfigDirs []string
	SystemDataDirs   []string
}

// NewXDG uses the XDG directories of the environment.
func NewXDG(exe string) *XDG {
	home, _ := os.UserHomeDir()
	r := &XDG{Exe: exe, DataHome: os.Getenv("XDG_DATA_HOME"), ConfigHome: os.Getenv("XDG_CONFIG_HOME")}
	if r.DataHome == "" {
		r.DataHome = filepath.Join(home, ".local", "share")
	}
	if r.ConfigHome == "" {
		r.ConfigHome = filepath.Join(home, ".config")
	}
	r.SystemConfigDirs = envDirs("XDG_CONFIG_DIRS", "/etc/xdg")
	r.SystemDataDirs = envDirs("XDG_DATA_DIRS", "/usr/local/share:/usr/share")
	return r
}

// envDirs is a colon-separated list of directories from the environment,
// or the spec's default.
func envDirs(name, def string) []string {
	v := os.Getenv(name)
	if v == "" {
		v = def
	}
	var dirs []string
	for _, d := range filepath.SplitList(v) {
		if filepath.IsAbs(d) {
			dirs = append(dirs, d)
		}
	}
	return dirs
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

func (r *XDG) desktopPath(scheme string) string {
	return filepath.Join(r.DataHome, "applications", DesktopFileName(scheme))
}

func (r *XDG) mimeappsPath() string { return filepath.Join(r.ConfigHome, "mimeapps.list") }

// Registered: our .desktop file exists with our executable and is the
// default handler for the scheme.
func (r *XDG) Registered(scheme string) (bool, error) {
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

// Register writes the .desktop file and makes it the scheme's default,
// unless another program opens the scheme's links (an *OwnedError).
func (r *XDG) Register(scheme string) error {
	return register(scheme, false, r.owner, r.write)
}

// TakeOver is Register whoever opens the scheme's links now.
func (r *XDG) TakeOver(scheme string) error {
	return register(scheme, true, r.owner, r.write)
}

// owner is the .desktop file of another program that opens scheme's links,
// or "": the handler the spec's lookup finds first (mimeapps.list defaults,
// user then system, then the handlers desktop files declare). Our own
// .desktop file is ours whichever copy of the app wrote it.
func (r *XDG) owner(scheme string) string {
	key := "x-scheme-handler/" + scheme
	type source struct{ path, group string }
	var sources []source
	for _, d := range append([]string{r.ConfigHome}, r.SystemConfigDirs...) {
		sources = append(sources, source{filepath.Join(d, "mimeapps.list"), "[Default Applications]"})
	}
	data := append([]string{r.DataHome}, r.SystemDataDirs...)
	for _, d := range data {
		sources = append(sources, source{filepath.Join(d, "applications", "mimeapps.list"), "[Default Applications]"})
	}
	for _, d := range data {
		sources = append(sources, source{filepath.Join(d, "applications", "mimeinfo.cache"), "[MIME Cache]"})
	}
	for _, src := range sources {
		b, err := os.ReadFile(src.path)
		if err != nil {
			continue
		}
		if h := handlerIn(b, src.group, key); h != "" {
			if h == DesktopFileName(scheme) {
				return ""
			}
			return h
		}
	}
	return ""
}

func (r *XDG) write(scheme string) error {
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
	if err := atomicfile.WriteBytes(r.mimeappsPath(), 0o644, updated); err != nil {
		return fmt.Errorf("cannot update %s: %w", r.mimeappsPath(), err)
	}
	// Desktops that cache handlers (and KDE's own list) learn of it here.
	if p, err := exec.LookPath("update-desktop-database"); err == nil {
		_ = exec.Command(p, apps).Run()
	}
	if p, err := exec.LookPath("xdg-mime"); err == nil {
		_ = exec.Command(p, "default", DesktopFileName(scheme), "x-scheme-handler/"+scheme).Run()
	}
	return nil
}
