package ui

import (
	"context"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/heartbeat"
)

// HeartbeatEnv turns on the UI heartbeat (internal/heartbeat; tests and
// `make bench` set it, it is off in normal runs): every 10 ms a function is
// handed to the UI goroutine with fyne.Do, and each second the log says how
// many ran and the longest any waited, as `msg=ui-heartbeat beats=N
// max_ms=M`. That wait is the time the window could not react to anything:
// the figure ui_max_stall_ms. A value that is a file path (not "1") also
// gets, for each wait past heartbeat.DumpAfter, the UI goroutine's stack.
const HeartbeatEnv = "CEZANNE_UI_HEARTBEAT"

// startHeartbeat starts the heartbeat when HeartbeatEnv asks for it; stop
// ends it (nil: it was not asked for). The app never stops it.
func startHeartbeat(logger *slog.Logger, lookupEnv func(string) (string, bool)) (stop func()) {
	val, ok := lookupEnv(HeartbeatEnv)
	if !ok || val == "" || val == "0" {
		return nil
	}
	h := &heartbeat.Heartbeat{Post: fyne.Do, Report: func(beats int, longest time.Duration) {
		held, live := heartbeat.GoMemory()
		logger.Info("ui-heartbeat", "beats", beats, "max_ms", longest.Milliseconds(), "go_held_mb", held>>20, "go_live_mb", live>>20)
	}}
	if val != "1" {
		h.Dump = func(waited time.Duration) { heartbeat.AppendUIStack(val, waited) }
	}
	ctx, cancel := context.WithCancel(context.Background())
	go h.Run(ctx)
	logger.Info("ui-heartbeat started", "every_ms", heartbeat.Every.Milliseconds())
	return cancel
}
