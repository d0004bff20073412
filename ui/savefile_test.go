package ui

import (
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/storage/repository"
	"fyne.io/fyne/v2/test"
)

// TestSaveDialogLeavesTheFileUntilWritten: what Fyne's save dialog does
// with the chosen name (open a writer, which the app closes at once to
// write the file itself) leaves an existing file, or a symlink's target,
// as it was; a writer that is written to still writes.
func TestSaveDialogLeavesTheFileUntilWritten(t *testing.T) {
	tests := []struct {
		name    string
		symlink bool   // the chosen name is a symlink to another file
		write   string // written through the dialog's writer, if anything
		want    string // the file (or the symlink's target) after
	}{
		{name: "an existing file, closed unwritten", want: "old rows"},
		{name: "a symlink, closed unwritten", symlink: true, want: "old rows"},
		{name: "written to", write: "new rows", want: "new rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			test.NewTempApp(t)
			dir := t.TempDir()
			file := filepath.Join(dir, "people.csv")
			if err := os.WriteFile(file, []byte("old rows"), 0o600); err != nil {
				t.Fatal(err)
			}
			chosen := file
			if tt.symlink {
				chosen = filepath.Join(dir, "link.csv")
				if err := os.Symlink(file, chosen); err != nil {
					t.Fatal(err)
				}
			}
			keepFilesUntilWritten()
			w, err := storage.Writer(storage.NewFileURI(chosen))
			if err != nil {
				t.Fatal(err)
			}
			if tt.write != "" {
				if _, err := w.Write([]byte(tt.write)); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if b, _ := os.ReadFile(file); string(b) != tt.want {
				t.Fatalf("the file holds %q, want %q", b, tt.want)
			}
		})
	}
}

// TestAppKeepsFilesUntilWritten: the app's save dialogs (reports, CSV,
// the profile's Export…) write through the lazy repository from the start.
func TestAppKeepsFilesUntilWritten(t *testing.T) {
	newUIHarness(t, nil, nil)
	r, err := repository.ForScheme("file")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := r.(lazyFileRepository); !ok {
		t.Fatalf("the save dialogs write through %T", r)
	}
}
