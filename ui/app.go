// Package ui arranges the Fyne screens: the profile form, the wait for the
// browser, and the signed-in view with TokenInfo, the session and People.
// It does no HTTP itself; it calls auth and data from background goroutines
// and applies their results on the UI goroutine with fyne.Do.
package ui

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/assets"
	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/data"
)

// DemoTenant starts (once) the built-in sandbox tenant and returns a profile
// for it together with its client secret: for its loopback client, or for
// its x-cez:// client when customScheme is set.
type DemoTenant func(ctx context.Context, customScheme bool) (*auth.Profile, string, error)

// Options wire the UI to the rest of the app.
type Options struct {
	// Profile comes from --profile; nil means the saved profile, or the demo.
	Profile *auth.Profile
	// Preset is the profile IT installed (PresetProfilePath): offered
	// when there are no saved profiles yet.
	Preset *auth.Profile
	// SignIn starts signing in at launch when no stored sign-in is usable.
	SignIn bool
	// SessionOnly keeps sign-ins in memory, never in the keyring.
	SessionOnly bool
	// Store keeps refresh tokens and client secrets (the OS keyring).
	Store auth.SecretStore
	// OpenBrowser opens the system browser.
	OpenBrowser func(url string) error
	// Demo starts the built-in sandbox tenant.
	Demo DemoTenant
	// SchemeInbox receives x-cez:// (custom-scheme) redirects the OS
	// handed to the app; nil: only loopback redirects work.
	SchemeInbox *auth.SchemeInbox
	// Schemes registers custom schemes with the OS (nil: not offered).
	Schemes auth.SchemeRegistration
	Logger  *slog.Logger
	// Go runs background work (default: a goroutine). Tests run it inline.
	Go func(func())
	// Fetch runs People page fetches (default: a goroutine). Tests queue
	// them and run them on the test goroutine.
	Fetch func(func())
	// Later calls f on the UI goroutine after d, unless stopped first
	// (default: time.AfterFunc and fyne.Do). Tests run f at once.
	Later func(d time.Duration, f func()) (stop func())
	// Every calls f on the UI goroutine every interval until ctx ends
	// (default: a ticker goroutine and fyne.Do). Tests replace it.
	Every func(ctx context.Context, interval time.Duration, f func())
}

// App is the main window and what it is showing.
type App struct {
	fyneApp  fyne.App
	win      fyne.Window
	opts     Options
	profiles profileList

	// All fields below are touched only on the UI goroutine.
	profile       *auth.Profile // the profile being signed in or signed in
	session       *auth.Session
	client        *data.Client
	op            *operation
	demoStore     auth.SecretStore
	sessionStore  auth.SecretStore // used instead of the keyring when it is missing
	keyringErr    error            // why the keyring cannot be used, if it cannot
	form          *profileForm
	signedIn      *signedInView
	waiting       *waitingView
	signOutDialog *dialog.ConfirmDialog
	progressNote  *widget.Label // on the busy screen, for keyring waits
	notice        string        // shown on the form when it next appears

	// spinner animates on the busy and waiting screens. Replacing the
	// window's content does not stop it: it would redraw the window 60
	// times a second until Fyne's cache drops it (60% of a core here).
	spinner *widget.ProgressBarInfinite

	// trace is the newest run's flow trace; read from any goroutine.
	trace atomic.Pointer[auth.Trace]
}

// New builds the main window. Call Start, then ShowAndRun on the window.
func New(a fyne.App, opts Options) *App {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Go == nil {
		opts.Go = func(f func()) { go f() }
	}
	if opts.Fetch == nil {
		opts.Fetch = func(f func()) { go f() }
	}
	if opts.Later == nil {
		opts.Later = func(d time.Duration, f func()) func() {
			t := time.AfterFunc(d, func() { fyne.Do(f) })
			return func() { t.Stop() }
		}
	}
	if opts.Every == nil {
		opts.Every = every
	}
	a.SetIcon(fyne.NewStaticResource("icon.svg", assets.IconSVG()))
	w := a.NewWindow("Cezanne HR Desktop")
	w.Resize(fyne.NewSize(1320, 820))
	ui := &App{fyneApp: a, win: w, opts: opts, profiles: profileList{a.Preferences()},
		demoStore: auth.NewMemoryStore(), sessionStore: auth.NewMemoryStore()}
	ui.form = newProfileForm(ui)
	w.SetOnClosed(func() { ui.cancel() })
	if n, ok := opts.Store.(auth.WaitNotifier); ok {
		n.SetOnWait(func(op string, waiting bool) { fyne.Do(func() { ui.keyringWaiting(op, waiting) }) })
	}
	return ui
}

func every(ctx context.Context, interval time.Duration, f func()) {
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				fyne.Do(func() {
					if ctx.Err() == nil {
						f()
					}
				})
			}
		}
	}()
}

// setContent shows a screen in the main window, with its spinner if it has
// one, and stops the last screen's.
func (a *App) setContent(c fyne.CanvasObject, spinner *widget.ProgressBarInfinite) {
	if a.spinner != nil {
		a.spinner.Stop()
	}
	a.spinner = spinner
	a.win.SetContent(c)
}

// Window is the main window.
func (a *App) Window() fyne.Window { return a.win }

// store is where sign-ins are kept: the keyring, or memory when there is
// none (or session-only was asked for).
func (a *App) store() auth.SecretStore {
	if a.opts.SessionOnly || a.keyringErr != nil {
		return a.sessionStore
	}
	return a.opts.Store
}

// Start checks the keyring, then shows the signed-in view straight from it
// when a stored sign-in works, otherwise the form (and, with --sign-in, the
// browser).
func (a *App) Start() {
	initial := a.opts.Profile
	if initial != nil {
		a.profiles.save(initial)
		a.profiles.setCurrent(initial.Name)
	} else if name := a.profiles.current(); name != "" {
		initial = a.profiles.get(name)
	} else if p := a.opts.Preset; p != nil && len(a.profiles.names()) == 0 {
		// Only on a fresh install: once there are profiles, the person's
		// choices (demo, deleting it) stand.
		initial = p
		a.profiles.save(p)
		a.profiles.setCurrent(p.Name)
	}
	a.form.show(initial)
	if a.opts.SessionOnly {
		a.proceed(initial)
		return
	}
	a.showProgress("Starting…", "Checking the system keyring.")
	a.background(func(ctx context.Context) func() {
		err := auth.ProbeKeyring(a.opts.Store)
		return func() {
			if err != nil {
				a.keyringErr = err
				a.form.setKeyringProblem(err)
				a.state("no-keyring", "err", err)
			}
			a.proceed(initial)
		}
	})
}

// proceed resumes a saved profile's sign-in, or shows the form.
func (a *App) proceed(initial *auth.Profile) {
	if initial == nil || initial.Demo {
		a.showForm("")
		if a.opts.SignIn {
			a.form.submit()
		}
		return
	}
	a.resume(initial, a.opts.SignIn)
}

// keyringWaiting tells the person why nothing happens while the keyring
// shows an unlock prompt.
func (a *App) keyringWaiting(op string, waiting bool) {
	msg := ""
	if waiting {
		msg = "Waiting for the system keyring to " + op + ": it may be asking for your password."
	}
	if a.waiting != nil {
		a.waiting.setKeyringNote(msg)
	}
	if a.progressNote != nil {
		setNote(a.progressNote, msg)
	}
	a.state("keyring-waiting", "waiting", waiting)
}

// state logs UI milestones: support staff and the end-to-end tests read them.
func (a *App) state(name string, args ...any) {
	a.opts.Logger.Info("ui", append([]any{"state", name}, args...)...)
}

// operation is one cancellable piece of background work.
type operation struct{ cancel context.CancelFunc }

// background runs work off the UI goroutine with a cancellable context. The
// function work returns is applied on the UI goroutine, unless the operation
// was cancelled or replaced by another in the meantime.
func (a *App) background(work func(ctx context.Context) func()) {
	a.cancel()
	ctx, cancel := context.WithCancel(context.Background())
	op := &operation{cancel: cancel}
	a.op = op
	a.opts.Go(func() {
		apply := work(ctx)
		fyne.Do(func() {
			if a.op != op {
				return
			}
			a.op = nil
			cancel()
			apply()
		})
	})
}

// cancel stops the operation in progress, if any.
func (a *App) cancel() {
	if a.op != nil {
		a.op.cancel()
		a.op = nil
	}
}
