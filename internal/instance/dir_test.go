package instance

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestDir: the session's runtime directory on Unix, the user's local app
// data on Windows, whatever XDG_RUNTIME_DIR says there.
func TestDir(t *testing.T) {
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	runtimeDir := filepath.Join("/run/user/1000", "cezanne-desktop")
	if runtime.GOOS == "windows" {
		runtimeDir = filepath.Join(cache, "cezanne-desktop")
	}
	tests := []struct {
		name, xdg, want string
	}{
		{"XDG_RUNTIME_DIR set", "/run/user/1000", runtimeDir},
		{"XDG_RUNTIME_DIR unset", "", filepath.Join(cache, "cezanne-desktop")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("XDG_RUNTIME_DIR", tt.xdg)
			if d, err := Dir(); err != nil || d != tt.want {
				t.Fatalf("Dir = %q, %v; want %q", d, err, tt.want)
			}
		})
	}
}

// TestPrivateDir: a directory others can enter is made private.
func TestPrivateDir(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	dir := filepath.Join(t.TempDir(), "run")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := privateDir(dir); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(dir); info.Mode().Perm() != 0o700 {
		t.Fatalf("mode %v after privateDir", info.Mode().Perm())
	}
}

// TestPrivateDirRefuses: the running app does not listen in a directory
// someone else controls, since they could swap the socket and key.
func TestPrivateDirRefuses(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix owners")
	}
	tests := []struct {
		name  string
		root  bool
		setup func(t *testing.T, dir string)
	}{
		{"a symlink to a directory", false, func(t *testing.T, dir string) {
			if err := os.Symlink(t.TempDir(), dir); err != nil {
				t.Fatal(err)
			}
		}},
		{"a directory of another user", true, func(t *testing.T, dir string) {
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			mustChown(t, dir)
		}},
		{"a file", false, func(t *testing.T, dir string) {
			if err := os.WriteFile(dir, nil, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.root && os.Getuid() != 0 {
				t.Skip("needs root to give a file to another user")
			}
			dir := filepath.Join(t.TempDir(), "run")
			tt.setup(t, dir)
			if _, err := Listen(dir, func(string, string) error { return nil }); !errors.Is(err, ErrUnsafe) {
				t.Fatalf("Listen = %v, want ErrUnsafe", err)
			}
		})
	}
}

// testDir is t.TempDir, removed entry by entry with os.Remove. It bridges a
// gap of Wine 8, where the Windows tests run (pipe_wine_test.go): Go 1.26's
// os.RemoveAll deletes with FileDispositionInformationEx, which Wine 8
// answers with "Invalid function" (STATUS_INVALID_DEVICE_REQUEST, not one
// of the "unsupported" statuses Go falls back on), so t.TempDir's own
// cleanup fails every test there. Windows 10 and Linux need no bridge.
func testDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.MkdirTemp("", "instance-test-")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { removeTree(tb, dir) })
	return dir
}

// removeTree removes dir and what is in it, deepest first, without
// following symbolic links.
func removeTree(tb testing.TB, dir string) {
	var paths []string
	_ = filepath.WalkDir(dir, func(path string, _ fs.DirEntry, err error) error {
		paths = append(paths, path)
		return nil
	})
	for i := len(paths) - 1; i >= 0; i-- {
		if err := os.Remove(paths[i]); err != nil && !errors.Is(err, fs.ErrNotExist) {
			tb.Errorf("cleanup: %v", err)
		}
	}
}
