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
//
// The temporary file is created with O_EXCL (os.CreateTemp), so a file or
// symlink planted under any name is never opened or followed, and it is
// 0600 while the content is written; perm is applied only once the content
// is complete. Renaming replaces path itself, so a symlink at path is
// replaced, not followed.
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
	if err := write(f); err != nil {
		return err
	}
	if err := f.Chmod(perm); err != nil && !errors.Is(err, errors.ErrUnsupported) {
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
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// syncDir makes the rename itself durable where the OS allows it. It is
// best effort: Windows cannot open a directory for syncing, and the file
// is complete either way.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

// WriteBytes is Write for content already in memory.
func WriteBytes(path string, perm os.FileMode, b []byte) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}
