package ui

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/data"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/atomicfile"
)

func (v *peopleView) exportDialog() {
	v.do.files.saveAs("Export people", "people.csv", ".csv", v.exportTo, func() {
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
	q, client, cols := v.query(), v.client, append([]data.Property(nil), v.columns...)
	v.do.state("export-started", "path", path)
	// The dialog's first frame before the export's work: drawn while the
	// first pages were decoded (and, here, encoded by the tenant on the same
	// two cores), that frame took up to 250 ms.
	run := &exportRun{}
	v.export = run
	done := func() {
		if v.export == run {
			v.export = nil
		}
	}
	stopStart := v.do.later(exportStartDelay, func() {
		if ctx.Err() != nil { // Cancel, before anything was asked for
			done()
			v.exported(path, true, nil)
			return
		}
		v.do.heavy(func() {
			err := v.writeCSV(ctx, client, path, q, cols, bar, label)
			fyne.Do(func() {
				cancelled := ctx.Err() != nil
				cancel()
				prog.Hide()
				done()
				v.exported(path, cancelled, err)
			})
		})
	})
	// The view closing (signed out, another profile) ends the export too,
	// and takes its dialog down.
	run.stop = func() {
		stopStart()
		cancel()
		prog.Hide()
	}
}

// exportRun is an export under way.
type exportRun struct {
	stop func() // ends it and takes its dialog down
}

// writeCSV is an export's work, off the UI goroutine: the query's people
// from client (the view's, taken on the UI goroutine), their progress shown
// in bar and label.
func (v *peopleView) writeCSV(ctx context.Context, client *data.Client, path string, q data.Query, cols []data.Property, bar *widget.ProgressBar, label *widget.Label) error {
	shown := &progressThrottle{post: fyne.Do}
	return atomicfile.Write(path, 0o600, func(w io.Writer) error {
		return client.ExportCSVWith(ctx, data.PeopleSet, q, cols, w, data.ExportOptions{
			Concurrency: exportConcurrency,
			Go:          v.do.heavy,
			Progress: func(done, total int) {
				shown.update(func() {
					bar.SetValue(float64(done) / float64(max(total, 1)))
					label.SetText(fmt.Sprintf("%s of %s people", thousands(done), thousands(total)))
				})
			}})
	})
}

// exportStartDelay is how long the export waits for its progress dialog
// to be drawn: the dialog's first frame took 50-75 ms here with nothing
// else running (on a busy machine a frame can take longer: this is a
// head start, not a promise). A Cancel meanwhile ends the export before
// it asks for anything.
const exportStartDelay = 100 * time.Millisecond

// exportConcurrency is how many pages an export from the window has in
// flight: each is decoded on a core, and the window's drawing (software
// OpenGL here) needs one too. With 4 on two cores the window froze for
// over a second during an export of 50,000 (TestFigureUIMaxStall).
const exportConcurrency = 2

// progressEvery is how often the export's progress is shown: a page of
// rows arrives every few milliseconds, and each update redraws the whole
// window under the dialog. Measured with the 50,000 export of
// TestFigureUIMaxStall, such a frame cost the software OpenGL (llvmpipe)
// about 30 ms of CPU, against about 2 ms for a plain window's frame
// (ui_repaint_floor_ms): ten a second took a third of a core from the
// export and from every other frame. Twice a second still moves the bar.
const progressEvery = 500 * time.Millisecond

// progressThrottle hands progress to the UI goroutine at most every
// progressEvery, and never while the last is still waiting to run, so a
// busy window is not sent more work than it can draw.
type progressThrottle struct {
	post func(func())
	now  func() time.Time // time.Now; tests pass a clock of their own

	mu      sync.Mutex
	last    time.Time
	pending bool
}

func (p *progressThrottle) update(show func()) {
	p.mu.Lock()
	now := time.Now()
	if p.now != nil {
		now = p.now()
	}
	if p.pending || now.Sub(p.last) < progressEvery {
		p.mu.Unlock()
		return
	}
	p.pending, p.last = true, now
	p.mu.Unlock()
	p.post(func() {
		show()
		p.mu.Lock()
		p.pending = false
		p.mu.Unlock()
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
