package instance

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// ErrUnsafe means the channel's directory, key or socket is not the
// user's own (another owner, open to others, a symlink, or a peer process
// of another user). Nothing is sent or accepted then: another local user
// could otherwise read the link with its sign-in code, or feed the app one.
var ErrUnsafe = errors.New("the channel to the running Cezanne HR Desktop is not safe to use")

// UnsafeError says which file failed which check.
type UnsafeError struct {
	Path string
	Why  string
	// Fix is what the person can do; empty means removing the file, which
	// is the fix for a file, but not for a Windows pipe another user holds.
	Fix string
}

func (e *UnsafeError) Error() string {
	fix := e.Fix
	if fix == "" {
		fix = "remove it and start the app again"
	}
	return ErrUnsafe.Error() + ": " + e.Path + " " + e.Why + "; " + fix
}

func (e *UnsafeError) Is(target error) bool { return target == ErrUnsafe }

// Dir is the per-user directory of the channel: under
// $XDG_RUNTIME_DIR when set (Linux sessions), else the user cache directory
// (%LocalAppData% on Windows). Windows never takes $XDG_RUNTIME_DIR: it is a
// Unix path there when set at all (Wine passes the Linux session's on,
// MSYS2 may set one), and the uninstaller and the README look for the key
// in %LocalAppData%.
func Dir() (string, error) {
	base := os.Getenv("XDG_RUNTIME_DIR")
	if base == "" || isWindows() {
		var err error
		if base, err = os.UserCacheDir(); err != nil {
			return "", err
		}
	}
	return filepath.Join(base, "cezanne-desktop"), nil
}

// privateDir creates dir for the user alone. A directory the user owns but
// others can enter is made private (an older version or a umask may have
// left it so); one that is a symlink or belongs to someone else is refused,
// since its owner can swap the socket and key under us.
func privateDir(dir string) error {
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return fmt.Errorf("cannot create %s: %w", filepath.Dir(dir), err)
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("cannot create %s: %w", dir, err)
	}
	info, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if err := checkOwned(dir, info, fs.ModeDir); err != nil {
		return err
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 && !isWindows() {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("%s is open to other users (%v) and cannot be made private: %w", dir, perm, err)
		}
	}
	return nil
}

// checkFile is the forwarding side's look at the directory (kind
// fs.ModeDir) and the key (kind 0): it changes nothing, it only refuses.
// A missing one means no app is running.
func checkFile(path string, kind fs.FileMode) error {
	info, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return ErrNotRunning
	}
	if err != nil {
		return err
	}
	if err := checkOwned(path, info, kind); err != nil {
		return err
	}
	return checkPrivate(path, info)
}

// checkOwned refuses a symlink, a file of another type than kind (0 for a
// regular file), and on Unix a file another user owns.
func checkOwned(path string, info fs.FileInfo, kind fs.FileMode) error {
	switch {
	case info.Mode()&fs.ModeSymlink != 0:
		return &UnsafeError{Path: path, Why: "is a symbolic link"}
	case info.Mode().Type() != kind:
		return &UnsafeError{Path: path, Why: "is not the kind of file the app makes (" + info.Mode().Type().String() + ")"}
	}
	if uid, ok := fileOwner(info); ok && uid != os.Getuid() {
		return &UnsafeError{Path: path, Why: fmt.Sprintf("belongs to another user (uid %d)", uid)}
	}
	return nil
}

// checkPrivate refuses a file others may read, write or enter.
func checkPrivate(path string, info fs.FileInfo) error {
	if perm := info.Mode().Perm(); perm&0o077 != 0 && !isWindows() {
		return &UnsafeError{Path: path, Why: fmt.Sprintf("is open to other users (%v)", perm)}
	}
	return nil
}

func isWindows() bool { return runtime.GOOS == "windows" }
