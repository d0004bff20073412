// Command stallbaseline is the floor under the figure ui_max_stall_ms: a
// Fyne window of the app's size with one label, built with the same tags,
// its UI goroutine sent the app's heartbeat (internal/heartbeat), logging
// the same `msg=ui-heartbeat beats=N max_ms=M` lines to stderr. Whatever it
// waits is what the machine (its load, the software OpenGL, the X server)
// costs any Fyne window doing nothing.
//
// With CEZANNE_BASELINE_REPAINT set to a duration (such as 200ms) the
// label's text changes that often, so the window is drawn again each
// time: the longest wait is then what one repaint of a plain window of the
// app's size costs here (ui_repaint_floor_ms). Fyne draws the whole window
// for any change, so no frame of the app's can be cheaper than that. Each
// heartbeat line then also says how many repaints were asked for since the
// last (repaints=N), so a run that drew nothing cannot pass for a floor.
//
// With CEZANNE_BASELINE_SCENE as well, the window holds more than its label,
// so that the figures can say what each kind of thing costs a frame of this
// renderer (ui_frame_cost_*): "rects:N" N opaque rectangles the size of the
// window, "overlay:N" translucent ones (as a modal dialog's shade), "round:N"
// with rounded corners (as Fyne's dialogs and cards), "texts:N" N short
// texts already drawn, "newtexts:N" N texts each a string never drawn before
// at every repaint (as a page of a table), "smallrects:N" N small rectangles.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/heartbeat"
)

// repaintEnv is the mode's switch; unset, the window does nothing, as the
// memory figures' baseline must.
const repaintEnv = "CEZANNE_BASELINE_REPAINT"

// sceneEnv is what else the window holds (see the package comment).
const sceneEnv = "CEZANNE_BASELINE_SCENE"

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	every, err := repaintEvery(os.Getenv(repaintEnv))
	if err != nil {
		logger.Error("stallbaseline", "err", err)
		os.Exit(2)
	}
	a := app.NewWithID("com.cezannehr.desktop.stallbaseline")
	w := a.NewWindow("Stall baseline")
	label := widget.NewLabel("Cezanne HR Desktop heartbeat baseline")
	sc, err := newScene(os.Getenv(sceneEnv))
	if err != nil {
		logger.Error("stallbaseline", "err", err)
		os.Exit(2)
	}
	w.SetContent(container.NewStack(append(sc.objects, label)...))
	w.Resize(fyne.NewSize(1320, 820))
	var repaints atomic.Int64
	h := &heartbeat.Heartbeat{Post: fyne.Do, Report: func(beats int, longest time.Duration) {
		held, live := heartbeat.GoMemory()
		args := []any{"beats", beats, "max_ms", longest.Milliseconds(), "go_held_mb", held >> 20, "go_live_mb", live >> 20}
		if every > 0 {
			args = append(args, "repaints", repaints.Swap(0))
		}
		logger.Info("ui-heartbeat", args...)
	}}
	go h.Run(context.Background())
	if every > 0 {
		go repaint(every, func(n int) {
			fyne.Do(func() {
				label.SetText(fmt.Sprintf("Cezanne HR Desktop heartbeat baseline, repaint %d", n))
				sc.change(n)
				repaints.Add(1)
			})
		})
	}
	w.ShowAndRun()
}

// repaintEvery reads the mode's duration: "" is off.
func repaintEvery(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s=%q: give a duration such as 200ms", repaintEnv, s)
	}
	return d, nil
}

// repaint calls change every d, forever, with a new number each time (a
// label given the text it has is not drawn again).
func repaint(d time.Duration, change func(n int)) {
	tick := time.NewTicker(d)
	defer tick.Stop()
	for n := 1; ; n++ {
		<-tick.C
		change(n)
	}
}
