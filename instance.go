package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"

	"fyne.io/fyne/v2"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/instance"
	"github.com/cezanne-hr-desktop/cezanne-desktop/ui"
)

// singleInstance is the per-user channel that keeps one app per user: a
// second launch hands its link (or just "come forward") to the running one
// and ends, since only the running app knows the sign-in the link answers.
type singleInstance struct {
	dir string
	// dirErr: no per-user directory, so every launch runs on its own.
	dirErr error
}

func findInstance() singleInstance {
	dir, err := instance.Dir()
	return singleInstance{dir: dir, dirErr: err}
}

// handOver gives the link, or a request to come forward, to the running
// app. When it is handed over (or refused), this process is done and code
// is its exit status; when no app is running, this one carries on. A
// consent check asked for (--consent-check --window) is not something the
// running app can be handed: it only comes forward, and the person is told
// how to run the check, with a failing status for scripts.
func (s singleInstance) handOver(link string, consentCheck bool, stdout, stderr io.Writer) (code int, handed bool) {
	if s.dirErr != nil {
		return 0, false
	}
	switch err := forwardToRunning(s.dir, link); {
	case err == nil && consentCheck:
		fmt.Fprintln(stderr, "cezanne-desktop: Cezanne HR Desktop is already running, so the consent check did not start:",
			"start it there (sign-in form, QA options, Consent check…), or close the app and run this again.")
		return 1, true
	case err == nil:
		fmt.Fprintln(stdout, "Handed over to the running Cezanne HR Desktop.")
		return 0, true
	case errors.Is(err, instance.ErrUnconfirmed):
		fmt.Fprintln(stderr, "cezanne-desktop:", err)
		return 1, true
	case errors.Is(err, instance.ErrBusy):
		// Running, so not a second copy: its sign-in links would go to
		// the first.
		fmt.Fprintln(stderr, "cezanne-desktop: nothing was handed over:", err)
		return 1, true
	case errors.Is(err, instance.ErrUnsafe):
		// Not handed over, and not run alone either: the app that listens
		// there may be genuine, and a second copy would not get the link
		// its sign-in waits for.
		fmt.Fprintln(stderr, "cezanne-desktop: nothing was handed over:", err)
		return 1, true
	case !errors.Is(err, instance.ErrNotRunning):
		fmt.Fprintln(stderr, "cezanne-desktop: the running app refused the link:", err)
		return 1, true
	}
	return 0, false
}

// forwardToRunning hands the link, or a request to come forward, to the
// running instance. instance.ErrNotRunning: this process is the first.
func forwardToRunning(dir, link string) error {
	if link != "" {
		return instance.Forward(dir, instance.MessageURL, link)
	}
	return instance.Forward(dir, instance.MessageShow, "")
}

// listen makes this process the one later launches hand over to, until
// closeChannel. Without the channel the app still works, but x-cez://
// links opened later start a second app that cannot finish the sign-in.
func (s singleInstance) listen(w *ui.App, logger *slog.Logger) (closeChannel func()) {
	if s.dirErr != nil {
		logger.Warn("no per-user directory for the instance channel", "err", s.dirErr)
		return func() {}
	}
	inst, err := instance.Listen(s.dir, func(kind, u string) error {
		if kind == instance.MessageURL {
			return w.ReceiveLink(u)
		}
		logger.Info("brought to the front by a second launch")
		fyne.Do(w.ShowWindow)
		return nil
	})
	if err != nil {
		logger.Warn("single-instance channel unavailable; x-cez:// links cannot reach this window", "err", err)
		return func() {}
	}
	return func() { _ = inst.Close() }
}
