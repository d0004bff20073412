package main

import (
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"fyne.io/fyne/v2"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/trace"
	"github.com/cezanne-hr-desktop/cezanne-desktop/ui"
)

// traceOnExit arranges --trace-out: the newest run's trace is written to
// path when the app ends, also by Ctrl+C or SIGTERM, and each earlier run
// of the session beside it (runPath). Call finish as runApp returns.
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

// saveTrace writes the session's traces for --trace-out: the newest run
// to path, where scripts look for it, and the earlier ones beside it, so a
// consent check's first and second sign-in can be compared afterwards.
func saveTrace(w *ui.App, path string, logger *slog.Logger) {
	traceSaving.Lock()
	defer traceSaving.Unlock()
	runs := w.Traces()
	list := runs.List()
	if len(list) == 0 {
		list = []*trace.Trace{w.Trace()}
	}
	for i, t := range list {
		to := path
		if i < len(list)-1 {
			if t.Empty() {
				continue
			}
			to = runPath(path, runs.Number(t))
		}
		if err := t.Save(to); err != nil {
			logger.Error("could not write the flow trace", "path", to, "err", err)
			continue
		}
		logger.Info("flow trace written", "path", to)
	}
}

// runPath names the file of an earlier run n beside path: run.json holds
// the newest run, run-run1.json the first.
func runPath(path string, n int) string {
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + "-run" + strconv.Itoa(n) + ext
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
