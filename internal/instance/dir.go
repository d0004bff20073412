package instance

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// Dir is the per-user directory of the channel: under
// $XDG_RUNTIME_DIR when set (Linux sessions), else the user cache directory.
func Dir() (string, error) {
	base := os.Getenv("XDG_RUNTIME_DIR")
	if base == "" {
		var err error
		if base, err = os.UserCacheDir(); err != nil {
			return "", err
		}
	}
	return filepath.Join(base, "cezanne-desktop"), nil
}

// privateDir creates dir for the user alone, and refuses one that others
// can enter.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("cannot create %s: %w", dir, err)
	}
	info, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 && !isWindows() {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("%s is open to other users (%v) and cannot be made private: %w", dir, perm, err)
		}
	}
	return nil
}

func isWindows() bool { return runtime.GOOS == "windows" }
