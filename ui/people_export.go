package ui

import (
	"context"
	"fmt"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/data"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/atomicfile"
)

func (v *peopleView) exportDialog() {
	chooseSavePath(v.do.win, "people.csv", ".csv", v.exportTo, func() {
		v.status.SetText("Export works to files on this computer only.")
	})
}

// exportTo writes the current query to path as CSV, with a progress dialog
// and Cancel. A cancelled or failed export leaves no half-written file
// behind (atomicfile). The file is 0600: it is personal data.
func (v *peopleView) exportTo(path string) {
	bar := widget.NewProgressBar()
	label := widget.NewLabel("Starting…")
	ctx, cancel := context.WithCancel(context.Background())
	prog := dialog.NewCustom("Exporting people", "Cancel", container.NewVBox(label, bar), v.do.win)
	prog.SetOnClosed(cancel)
	prog.Show()
	q, client := v.query(), v.client
	cols := append([]data.Property(nil), v.columns...)
	v.do.state("export-started", "path", path)
	v.do.goFn(func() {
		err := atomicfile.Write(path, 0o600, func(w io.Writer) error {
			return client.ExportCSV(ctx, data.PeopleSet, q, cols, w, func(done, total int) {
				fyne.Do(func() {
					bar.SetValue(float64(done) / float64(max(total, 1)))
					label.SetText(fmt.Sprintf("%s of %s people", thousands(done), thousands(total)))
				})
			})
		})
		fyne.Do(func() {
			cancelled := ctx.Err() != nil
			cancel()
			prog.Hide()
			v.exported(path, cancelled, err)
		})
	})
}

// exported says how an export ended.
func (v *peopleView) exported(path string, cancelled bool, err error) {
	switch {
	case cancelled:
		v.status.SetText("Export cancelled.")
		v.do.state("export-cancelled")
	case err != nil:
		v.status.SetText("Export failed: " + errorText(err))
		v.do.state("export-error", "err", err)
	default:
		v.status.SetText("Exported to " + path)
		v.do.state("export-done", "path", path)
	}
}
