// Package atomicfile writes a file so that readers see either the old
// content or the whole new content, never a half-written file: a cancelled
// CSV export, a trace written while the app is killed, or two writers racing
// for the same instance key leave the previous file (or none) behind.
package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
)

// Write creates path with the given permissions from what write produces.
// The content goes to a uniquely named temporary file beside path, which is
// synced and then renamed over path only when write and every step after it
// succeeded; on any error the temporary file is removed and path is left as
// it was.
func Write(path string, perm os.FileMode, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.part")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	// CreateTemp makes the file 0600; a wider mode is the caller's choice.
	if err := f.Chmod(perm); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	if err := write(f); err != nil {
		return err
	}
	// Without the sync a crash soon after the rename can leave an empty
	// file under the new name on some file systems.
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// WriteBytes is Write for content already in memory.
func WriteBytes(path string, perm os.FileMode, b []byte) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}
