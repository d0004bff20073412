package ui

import (
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage/repository"
)

// Fyne 2.7.1's save dialog opens the chosen file for writing, truncating
// it, before it calls back (dialog/file.go: storage.Writer on Save, or on
// confirming Overwrite). The app writes the file itself, atomically
// (internal/atomicfile), and only once there is something to write: with
// Fyne's truncation an export that then failed, or was cancelled, left the
// person's old file empty, and a symlink at the chosen name had its
// target emptied. So the "file" repository the dialog writes through is
// wrapped: its Writer opens the file only at the first Write, which the
// app never makes when Fyne's Save dialog answers (fyneSave, the dialog of
// desktops without a portal, closes the writer at once and keeps its
// path). The desktop's own dialog (filedialog.go) creates nothing.
type fileRepository interface {
	repository.Repository
	repository.WritableRepository
	repository.AppendableRepository
	repository.ListableRepository
	repository.HierarchicalRepository
	repository.CopyableRepository
	repository.MovableRepository
	repository.DeleteAllRepository
}

// lazyFileRepository is Fyne's file repository with a Writer that opens
// nothing until written to.
type lazyFileRepository struct{ fileRepository }

func (r lazyFileRepository) Writer(u fyne.URI) (fyne.URIWriteCloser, error) {
	return &lazyWriter{uri: u, open: r.fileRepository.Writer}, nil
}

// lazyWriter opens its file, through open, at the first Write.
type lazyWriter struct {
	uri  fyne.URI
	open func(fyne.URI) (fyne.URIWriteCloser, error)
	mu   sync.Mutex
	w    fyne.URIWriteCloser
}

func (l *lazyWriter) URI() fyne.URI { return l.uri }

func (l *lazyWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.w == nil {
		w, err := l.open(l.uri)
		if err != nil {
			return 0, err
		}
		l.w = w
	}
	return l.w.Write(p)
}

func (l *lazyWriter) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.w == nil {
		return nil
	}
	return l.w.Close()
}

// keepFilesUntilWritten puts lazyFileRepository in front of the "file"
// repository the driver registered (each new Fyne app registers its own),
// for every save dialog of the app. New calls it, before the window runs:
// Fyne's registry is a plain map. A repository that is not Fyne's file
// repository as this Fyne version has it is left alone.
func keepFilesUntilWritten() {
	current, err := repository.ForScheme("file")
	if err != nil {
		return
	}
	if _, done := current.(lazyFileRepository); done {
		return
	}
	if fr, ok := current.(fileRepository); ok {
		repository.Register("file", lazyFileRepository{fr})
	}
}
