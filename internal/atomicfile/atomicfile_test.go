package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

func TestWrite(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name    string
		old     string // existing content; "" means no file
		write   func(io.Writer) error
		wantErr error
		want    string // content afterwards; "" means no file
	}{
		{"new file", "", writeString("hello"), nil, "hello"},
		{"replaces", "old", writeString("new"), nil, "new"},
		{"failed write keeps the old file", "old", func(w io.Writer) error {
			_, _ = io.WriteString(w, "half")
			return boom
		}, boom, "old"},
		{"failed write leaves no file", "", func(io.Writer) error { return boom }, boom, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.csv")
			if tt.old != "" {
				if err := os.WriteFile(path, []byte(tt.old), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			err := Write(path, 0o644, tt.write)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Write: %v, want %v", err, tt.wantErr)
			}
			b, err := os.ReadFile(path)
			switch {
			case tt.want == "" && !errors.Is(err, os.ErrNotExist):
				t.Errorf("file exists (%q, %v), want none", b, err)
			case tt.want != "" && string(b) != tt.want:
				t.Errorf("content %q (%v), want %q", b, err, tt.want)
			}
			wantFiles := 0
			if tt.want != "" {
				wantFiles = 1
			}
			if entries, _ := os.ReadDir(dir); len(entries) != wantFiles {
				t.Errorf("directory holds %v, want %d file(s): no temporary file left", entries, wantFiles)
			}
		})
	}
}

func TestWritePermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	for _, perm := range []os.FileMode{0o600, 0o644} {
		path := filepath.Join(t.TempDir(), "key")
		if err := WriteBytes(path, perm, []byte("x")); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != perm {
			t.Errorf("mode %v, want %v", got, perm)
		}
	}
}

// Concurrent writers of the same path never see each other's temporary
// file: the result is one writer's whole content.
func TestConcurrentWritersDoNotInterleave(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trace.json")
	contents := []string{"aaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(s string) {
			defer wg.Done()
			if err := WriteBytes(path, 0o600, []byte(s)); err != nil {
				t.Error(err)
			}
		}(contents[i%2])
	}
	wg.Wait()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != contents[0] && string(b) != contents[1] {
		t.Errorf("content %q is a mix of writers", b)
	}
}

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

// Another local user (or a process of ours gone astray) may plant a symlink
// or a world-writable file where a temporary file might go, or make the
// target a symlink; none of them may receive the content or keep its mode.
func TestWriteIgnoresPlantedFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions or unprivileged symlinks")
	}
	tests := []struct {
		name  string
		plant func(t *testing.T, path, victim string)
	}{
		{"symlink at PATH.part", func(t *testing.T, path, victim string) {
			mustSymlink(t, victim, path+".part")
		}},
		{"world-writable PATH.part", func(t *testing.T, path, _ string) {
			if err := os.WriteFile(path+".part", []byte("planted"), 0o666); err != nil {
				t.Fatal(err)
			}
			_ = os.Chmod(path+".part", 0o666)
		}},
		{"the target is a symlink", func(t *testing.T, path, victim string) {
			mustSymlink(t, victim, path)
		}},
		{"the target is world-readable", func(t *testing.T, path, _ string) {
			if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path, victim := filepath.Join(dir, "people.csv"), filepath.Join(dir, "victim")
			if err := os.WriteFile(victim, []byte("victim"), 0o644); err != nil {
				t.Fatal(err)
			}
			tt.plant(t, path, victim)
			if err := WriteBytes(path, 0o600, []byte("personal data")); err != nil {
				t.Fatal(err)
			}
			if b, _ := os.ReadFile(victim); string(b) != "victim" {
				t.Errorf("the symlink's target was written: %q", b)
			}
			fi, err := os.Lstat(path)
			if err != nil {
				t.Fatal(err)
			}
			if !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o600 {
				t.Errorf("%s is %v, want a regular file with mode 0600", path, fi.Mode())
			}
			if b, _ := os.ReadFile(path); string(b) != "personal data" {
				t.Errorf("content %q", b)
			}
		})
	}
}

// While the content is being written the temporary file is readable by
// the owner only, whatever mode the finished file gets: personal data is
// never in a world-readable file, even half written.
func TestWriteTemporaryFileIsPrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	for _, perm := range []os.FileMode{0o600, 0o644} {
		path := filepath.Join(t.TempDir(), "out")
		err := Write(path, perm, func(w io.Writer) error {
			f, ok := w.(*os.File)
			if !ok {
				return errors.New("not a file")
			}
			fi, err := f.Stat()
			if err != nil {
				return err
			}
			if got := fi.Mode().Perm(); got != 0o600 {
				t.Errorf("perm %v: temporary file is %v while written, want 0600", perm, got)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func mustSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}
