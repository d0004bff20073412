// Command stallbaseline is the floor under the figure ui_max_stall_ms: a
// Fyne window of the app's size with one label, built with the same tags,
// its UI goroutine sent the app's heartbeat (internal/heartbeat), logging
// the same `msg=ui-heartbeat beats=N max_ms=M` lines to stderr. Whatever it
// waits is what the machine (its load, the software OpenGL, the X server)
// costs any Fyne window doing nothing.
package main

import (
	"context"
	"log/slog"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/heartbeat"
)

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	a := app.NewWithID("com.cezannehr.desktop.stallbaseline")
	w := a.NewWindow("Stall baseline")
	w.SetContent(widget.NewLabel("Cezanne HR Desktop heartbeat baseline"))
	w.Resize(fyne.NewSize(1320, 820))
	h := &heartbeat.Heartbeat{Post: fyne.Do, Report: func(beats int, longest time.Duration) {
		held, live := heartbeat.GoMemory()
		logger.Info("ui-heartbeat", "beats", beats, "max_ms", longest.Milliseconds(), "go_held_mb", held>>20, "go_live_mb", live>>20)
	}}
	go h.Run(context.Background())
	w.ShowAndRun()
}
