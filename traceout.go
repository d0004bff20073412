package main

import (
	"log/slog"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"fyne.io/fyne/v2"

	"github.com/cezanne-hr-desktop/cezanne-desktop/ui"
)

// traceOnExit arranges --trace-out: the newest run's trace is written when
// the app ends, also by Ctrl+C or SIGTERM. Call finish as runApp returns.
func traceOnExit(a fyne.App, w *ui.App, path string, logger *slog.Logger) (finish func()) {
	stop := writeTraceOnSignal(a, w, path, logger)
	return func() {
		saveTrace(w, path, logger)
		stop()
	}
}

// traceSaving keeps a signal's write and the exit's write of the trace
// from interleaving on the same temporary file.
var traceSaving sync.Mutex

// saveTrace writes the newest run's trace for --trace-out.
func saveTrace(w *ui.App, path string, logger *slog.Logger) {
	traceSaving.Lock()
	defer traceSaving.Unlock()
	if err := w.Trace().Save(path); err != nil {
		logger.Error("could not write the flow trace", "path", path, "err", err)
		return
	}
	logger.Info("flow trace written", "path", path)
}

// writeTraceOnSignal makes Ctrl+C and SIGTERM end the app normally, so
// that the trace is written as on any other exit.
func writeTraceOnSignal(a fyne.App, w *ui.App, path string, logger *slog.Logger) (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			logger.Info("stopping", "signal", sig.String())
			// Written here too: if the window cannot close (a hung
			// driver), the evidence is on disk all the same.
			saveTrace(w, path, logger)
			fyne.Do(a.Quit)
		case <-done:
		}
	}()
	return func() { signal.Stop(ch); close(done) }
}
