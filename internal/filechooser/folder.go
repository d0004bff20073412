package filechooser

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
)

// StartFolder is where a dialog starts: last (the folder of the last file
// saved or opened) while it is there, else DocumentsFolder. It reads the
// disk: call it off the UI goroutine.
func StartFolder(last string) string {
	if last != "" && isDir(last) {
		return last
	}
	return DocumentsFolder()
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// DocumentsFolder is where a file dialog starts when the app has no folder
// of the person's to offer: their documents folder as the desktop names it
// (XDG_DOCUMENTS_DIR in user-dirs.dirs, which is what xdg-user-dir reads),
// else a Documents folder in their home, else their home; "" when there is
// no home. It reads a file or two: call it off the UI goroutine.
func DocumentsFolder() string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return ""
	}
	config := os.Getenv("XDG_CONFIG_HOME")
	if config == "" {
		config = filepath.Join(home, ".config")
	}
	for _, dir := range []string{userDir(filepath.Join(config, "user-dirs.dirs"), "XDG_DOCUMENTS_DIR", home), filepath.Join(home, "Documents")} {
		if dir == "" || dir == home {
			continue
		}
		if isDir(dir) {
			return dir
		}
	}
	return home
}

// userDir reads key from an XDG user-dirs.dirs file: a line
// KEY="$HOME/path" or KEY="/absolute/path" (the only two forms the format
// allows); "" when it is not there.
func userDir(file, key, home string) string {
	f, err := os.Open(file)
	if err != nil {
		return ""
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		name, value, ok := strings.Cut(strings.TrimSpace(s.Text()), "=")
		if !ok || name != key {
			continue
		}
		value = strings.Trim(value, `"`)
		switch {
		case value == "$HOME":
			return home
		case strings.HasPrefix(value, "$HOME/"):
			return filepath.Join(home, value[len("$HOME/"):])
		case filepath.IsAbs(value):
			return filepath.Clean(value)
		}
		return ""
	}
	return ""
}
