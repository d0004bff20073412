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
