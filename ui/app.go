// Package ui arranges the Fyne screens: the profile form, the wait for the
// browser, and the signed-in view with TokenInfo and People. It does no HTTP
// itself; it calls auth and data from background goroutines and applies
// their results on the UI goroutine with fyne.Do.
package ui

import (
	"context"
	"log/slog"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"github.com/cezanne-hr-desktop/cezanne-desktop/assets"
	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/data"
)

// DemoTenant starts (once) the built-in sandbox tenant and returns a profile
// for it together with its client secret.
type DemoTenant func(ctx context.Context) (*auth.Profile, string, error)

// Options wire the UI to the rest of the app.
type Options struct {
	// Profile comes from --profile; nil means the saved profile, or the demo.
	Profile *auth.Profile
	// SignIn starts signing in at launch when no stored sign-in is usable.
	SignIn bool
	// Store keeps refresh tokens and client secrets (the OS keyring).
	Store auth.SecretStore
	// OpenBrowser opens the system browser.
	OpenBrowser func(url string) error
	// Demo starts the built-in sandbox tenant.
	Demo   DemoTenant
	Logger *slog.Logger
	// Go runs background work (default: a goroutine). Tests may run it inline.
	Go func(func())
}

// App is the main window and what it is showing.
type App struct {
	fyneApp fyne.App
	win     fyne.Window
	opts    Options

	// All fields below are touched only on the UI goroutine.
	profile   *auth.Profile // the profile being signed in or signed in
	session   *auth.Session
	client    *data.Client
	op        *operation
	demoStore auth.SecretStore
	form      *profileForm
	signedIn  *signedInView
	waiting   *waitingView
	// signOutDialog is the open sign-out confirmation, if any.
	signOutDialog *dialog.ConfirmDialog
}

// New builds the main window. Call Start, then ShowAndRun on the window.
func New(a fyne.App, opts Options) *App {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Go == nil {
		opts.Go = func(f func()) { go f() }
	}
	a.SetIcon(fyne.NewStaticResource("icon.svg", assets.IconSVG()))
	w := a.NewWindow("Cezanne HR Desktop")
	w.Resize(fyne.NewSize(1100, 720))
	ui := &App{fyneApp: a, win: w, opts: opts, demoStore: auth.NewMemoryStore()}
	w.SetOnClosed(func() { ui.cancel() })
	return ui
}

// Window is the main window.
func (a *App) Window() fyne.Window { return a.win }

// Start decides what to show first: the signed-in view straight from the
// keyring when a stored sign-in works, otherwise the form (and, with
// --sign-in, the browser).
func (a *App) Start() {
	saved := loadProfile(a.fyneApp.Preferences())
	initial := a.opts.Profile
	if initial != nil {
		saveProfile(a.fyneApp.Preferences(), initial)
	} else {
		initial = saved
	}
	a.form = newProfileForm(a, initial)
	if initial == nil || initial.Demo {
		a.showForm("")
		if a.opts.SignIn {
			a.form.submit()
		}
		return
	}
	a.resume(initial, a.opts.SignIn)
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
