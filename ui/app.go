package ui

import (
	"context"
	"errors"
	"log/slog"
	"runtime"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/assets"
	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/filechooser"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/lowprio"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/trace"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/urlscheme"
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
	// ConsentCheck opens the window on the consent check of Profile (or
	// of the profile the app would start with) instead of signing in.
	ConsentCheck bool
	// SessionOnly keeps sign-ins in memory, never in the keyring.
	SessionOnly bool
	// Store keeps refresh tokens and client secrets (the OS keyring).
	Store keyring.Store
	// OpenBrowser opens the system browser.
	OpenBrowser func(url string) error
	// Demo starts the built-in sandbox tenant.
	Demo DemoTenant
	// SchemeInbox receives x-cez:// (custom-scheme) redirects the OS
	// handed to the app; nil: only loopback redirects work.
	SchemeInbox *auth.SchemeInbox
	// Schemes registers custom schemes with the OS (nil: not offered).
	Schemes urlscheme.Registration
	Logger  *slog.Logger
	// ColorScheme is the desktop's light or dark preference, being read
	// since the process started (colorscheme.Start; theme.go); nil leaves
	// it to Fyne.
	ColorScheme ColorSchemeReading
	// Go runs background work (default: a goroutine). Tests run it inline.
	// Not at a lower priority: it starts programs (the browser), which
	// would keep the priority of the thread that started them.
	Go func(func())
	// Heavy runs CPU-heavy background work, an export's writing and its
	// pages (default: below the window's priority, internal/lowprio).
	// Tests run it inline.
	Heavy func(func())
	// Fetch runs People page fetches (default: as Heavy). Tests queue them
	// and run them on the test goroutine.
	Fetch func(func())
	// Later calls f on the UI goroutine after d, unless stopped first
	// (default: time.AfterFunc and fyne.Do). Tests run f at once.
	Later func(d time.Duration, f func()) (stop func())
	// Every calls f on the UI goroutine every interval until ctx ends
	// (default: a ticker goroutine and fyne.Do). Tests replace it.
	Every func(ctx context.Context, interval time.Duration, f func())
	// PrefsLater hands preference changes to Fyne's store from a goroutine
	// of their own (prefs_later.go) rather than on the UI goroutine, where
	// Fyne saves its file with an fsync. The app sets it; tests read Fyne's
	// store at once.
	PrefsLater bool
	// FileChooser is the desktop's file dialog (filechooser.Desktop);
	// nil: Fyne's dialogs only.
	FileChooser filechooser.Chooser
	// NewTextPerFrame is how many strings the People table may show for
	// the first time in one frame; the rest of a page follows in the next
	// frames (textbudget.go). 0 is the default (defaultNewTextPerFrame),
	// -1 no limit (tests whose Later runs at once).
	NewTextPerFrame int
}

// App is the main window and what it is showing. Its fields are used on
// the UI goroutine only, except trace.
type App struct {
	fyneApp fyne.App
	win     fyne.Window
	opts    Options
	ctl     *controller

	// madeForm is the profile form once form() has made it; chosen is
	// the profile selectProfile chose before then (chose: it did). A start
	// that resumes a stored sign-in goes from its first screen to People
	// without the form, and making and filling it delayed that first frame
	// by about 20 ms (README, Start).
	madeForm      *profileForm
	chosen        *auth.Profile
	chose         bool
	signedIn      *signedInView
	waiting       *waitingView
	signOutDialog *dialog.ConfirmDialog
	progressNote  *widget.Label // on the busy screen, for keyring waits

	// spinner animates on the busy, waiting and consent screens.
	// Replacing the window's content does not stop it, and it keeps
	// itself in Fyne's caches: it would redraw the window five times a
	// second for good, so setContent stops it.
	spinner *busyIndicator

	// traces are this app session's flow traces, the newest last; read
	// from any goroutine.
	traces trace.Runs

	// consent is the consent check on screen, if any. Its runner runs on
	// consentGo (a goroutine: it waits there for the person) and comes
	// back through consentDo; tests replace both.
	consent   *consentCheck
	files     *appFiles
	prefs     preferences // the app's own: Fyne's, or laterPrefs over them
	consentGo func(func())
	consentDo func(func())
	// cellFont draws the People table's text (cell.go).
	cellFont *cellFont
}

// appIcon is every window's icon and the About box's picture.
var appIcon = fyne.NewStaticResource("icon-256.png", assets.WindowIconPNG())

// New builds the main window. Call Start, then ShowAndRun on the window.
func New(a fyne.App, opts Options) *App {
	// Before any save dialog, and before the window runs: Fyne's storage
	// registry is a plain map (savefile.go).
	keepFilesUntilWritten()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Go == nil {
		opts.Go = func(f func()) { go f() }
	}
	// Decoding gives way to the window's drawing (lowprio): on two cores
	// an export's pages held frames up by 70-150 ms.
	if opts.Fetch == nil {
		opts.Fetch = lowprio.Go
	}
	if opts.Heavy == nil {
		opts.Heavy = lowprio.Go
	}
	if opts.Later == nil {
		opts.Later = later
	}
	if opts.Every == nil {
		opts.Every = every
	}
	if opts.NewTextPerFrame == 0 {
		opts.NewTextPerFrame = defaultNewTextPerFrame
	}
	if opts.ColorScheme != nil { // namedVariant reads the disk: not for tests
		named, by := namedVariant()
		useColorScheme(a, opts.ColorScheme, named, by, opts.Logger)
	}
	a.SetIcon(appIcon)
	w := a.NewWindow("Cezanne HR Desktop")
	w.Resize(fitScreen(preferredWindow, screenSize()))
	ui := &App{fyneApp: a, win: w, opts: opts, consentGo: func(f func()) { go f() }, consentDo: fyne.Do,
		cellFont: loadCellFont(theme.TextFont().Content(), opts.Go, opts.Logger)}
	var prefs preferences = a.Preferences()
	flushPrefs := func() {}
	if opts.PrefsLater {
		later := newLaterPrefs(a.Preferences(), prefsGap, func() { fyne.DoAndWait(func() {}) })
		prefs, flushPrefs = later, func() { later.flush() }
		// Before Fyne's own last save, also when a signal stops the
		// app and no window closes.
		a.Lifecycle().SetOnStopped(later.stop)
	}
	ui.prefs = prefs
	filesCtx, closeFiles := context.WithCancel(context.Background())
	ui.files = &appFiles{chooser: opts.FileChooser, state: func(name string, args ...any) { ui.ctl.state(name, args...) },
		log: opts.Logger, goFn: opts.Go, do: fyne.Do, prefs: prefs, ctx: filesCtx}
	ui.ctl = newController(opts, ui, prefs, fyne.Do, ui.signInHooks)
	ui.ctl.openAgain = ui.openBrowserAgain
	w.SetOnClosed(func() {
		closeFiles() // and the desktop's file dialog, if one is open
		ui.ctl.cancel()
		flushPrefs() // before Fyne's last save as the app quits
	})
	if n, ok := opts.Store.(keyring.WaitNotifier); ok {
		n.SetOnWait(func(op string, waiting bool) { fyne.Do(func() { ui.ctl.keyringWaiting(op, waiting) }) })
	}
	return ui
}

// prefsGap is how long the preferences' writer waits after handing
// changes to Fyne: past Fyne's 100 ms in which another change would make
// it save again on the UI goroutine.
const prefsGap = 250 * time.Millisecond

// preferredWindow shows the seven People columns and the details pane
// side by side, where the screen has room for it.
var preferredWindow = fyne.NewSize(1320, 820)

// fitScreen is want, made no larger than nine tenths of screen each way,
// so that the window's edges and buttons are on the screen; a zero screen
// is one that could not be measured.
func fitScreen(want, screen fyne.Size) fyne.Size {
	if screen.Width <= 0 || screen.Height <= 0 {
		return want
	}
	fit := func(w, s float32) float32 { return float32(int(min(w, s*0.9))) }
	return fyne.NewSize(fit(want.Width, screen.Width), fit(want.Height, screen.Height))
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

// Window is the main window.
func (a *App) Window() fyne.Window { return a.win }

// Start checks the keyring, then shows the signed-in view straight from it
// when a stored sign-in works, otherwise the form (and, with --sign-in, the
// browser).
//
// With ConsentCheck it opens the consent check instead, through the
// form's own checks: a profile that cannot be used stays on the form with
// what to fix.
func (a *App) Start() {
	if !a.opts.ConsentCheck {
		a.ctl.start()
		return
	}
	a.ctl.screens.selectProfile(a.ctl.initialProfile())
	a.showFormMessage("", toneInfo)
	a.form().checkConsent()
}

// ReceiveLink takes a custom-scheme link the OS handed to the app (from a
// second process, or an Apple Event on macOS). Safe from any goroutine.
// Its error, if any, says why the link was refused.
func (a *App) ReceiveLink(raw string) error {
	var err error
	if a.opts.SchemeInbox == nil {
		err = errors.New("this app does not receive sign-in links")
	} else {
		err = a.opts.SchemeInbox.Deliver(raw)
	}
	fyne.Do(func() {
		a.ShowWindow()
		a.ctl.linkReceived(err)
	})
	return err
}

// ShowWindow brings the main window forward (a second launch of the app,
// or a link it received). Call on the UI goroutine.
func (a *App) ShowWindow() {
	a.win.Show()
	a.win.RequestFocus()
}

// newTrace starts the flow trace of a run for profile p. The app keeps the
// runs of this session: the trace tab shows them and --trace-out writes
// them at exit.
// Safe from any goroutine.
func (a *App) newTrace(p *auth.Profile) *trace.Trace {
	meta := trace.Meta{App: "Cezanne HR Desktop", OS: runtime.GOOS + "/" + runtime.GOARCH, GoVersion: runtime.Version()}
	meta.Version = a.version()
	if p != nil {
		c := *p
		meta.Profile = &c
	}
	t := trace.New(meta)
	a.traces.Add(t)
	return t
}

// signInHooks starts the flow trace of a run and returns the hooks through
// which auth reports its steps to it.
func (a *App) signInHooks(p *auth.Profile) *auth.SignInTrace { return a.newTrace(p).SignInHooks() }

// Trace is the newest run's flow trace, or an empty one before any run.
// Safe to call from any goroutine (main writes it on exit and on signals).
func (a *App) Trace() *trace.Trace {
	if t := a.traces.Newest(); t != nil {
		return t
	}
	return a.newTrace(nil)
}

// later is Options.Later's default. Its stop also cancels a call already
// handed to fyne.Do but not run yet: a timer's Stop cannot, and a refill or
// a Details pane could then still come after its view was closed.
func later(d time.Duration, f func()) (stop func()) { return laterOn(fyne.Do, d, f) }

// cancelLater stops the call *stop was returned for, if any, and forgets it.
func cancelLater(stop *func()) {
	if *stop != nil {
		(*stop)()
		*stop = nil
	}
}

// laterOn is later with do for fyne.Do. stop is called on the UI goroutine
// (every caller is UI code), where do runs the call: stopped needs no lock.
func laterOn(do func(func()), d time.Duration, f func()) (stop func()) {
	var stopped bool
	t := time.AfterFunc(d, func() {
		do(func() {
			if !stopped {
				f()
			}
		})
	})
	return func() {
		stopped = true
		t.Stop()
	}
}
