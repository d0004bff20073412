package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"

	"fyne.io/fyne/v2/app"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/colorscheme"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/filechooser"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/tuning"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/urlscheme"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/xinput"
	"github.com/cezanne-hr-desktop/cezanne-desktop/ui"
)

// appOptions is the app's command line.
type appOptions struct {
	profilePath    string // --profile
	signIn         bool   // --sign-in
	sessionOnly    bool   // --session-only
	registerScheme string // --register-scheme: register, then exit
	takeOver       bool   // --take-over: even from a program that opens those links now
	traceOut       string // --trace-out
	// consentCheck opens the window on the consent check of the profile
	// (--consent-check --window; without --window, cmd_consent.go runs
	// it unattended on the command line).
	consentCheck bool
	// link is the sign-in response the OS passes when an x-cez:// link is
	// opened; launches from a menu have none.
	link string
}

const appUsage = "Usage: cezanne-desktop [--profile FILE] [--sign-in] [--session-only] [--trace-out FILE] [LINK]\n       cezanne-desktop --consent-check --window [--profile FILE]   (the consent check, guided in the window)\n       (LINK: an x-cez:// sign-in response, as the OS passes it)\n       cezanne-desktop sandbox [flags]   (serve the simulated tenant; see sandbox --help)\n\n"

// parseAppFlags reads the app's command line. Usage errors, and the usage
// itself for --help, are written to output (as the flag package does) and
// returned.
func parseAppFlags(args []string, output io.Writer) (appOptions, error) {
	var opts appOptions
	fs := flag.NewFlagSet("cezanne-desktop", flag.ContinueOnError)
	fs.SetOutput(output)
	fs.StringVar(&opts.profilePath, "profile", "", "load the tenant profile from this JSON `file` (the client secret comes from $"+auth.SecretEnv+" or the keyring)")
	fs.BoolVar(&opts.signIn, "sign-in", false, "start signing in at launch when no saved sign-in works")
	fs.BoolVar(&opts.sessionOnly, "session-only", false, "keep the sign-in in memory only, never in the system keyring (shared computers)")
	fs.StringVar(&opts.registerScheme, "register-scheme", "", "make `SCHEME`:// links (e.g. x-cez) open this app for the current user, then exit (installers and IT use it)")
	fs.BoolVar(&opts.takeOver, "take-over", false, "with --register-scheme: register even when another program opens those links now (it no longer will)")
	fs.StringVar(&opts.traceOut, "trace-out", "", "write the flow trace (JSON; Markdown for a .md `file`) when the app exits, also on Ctrl+C or SIGTERM; secrets are redacted")
	fs.BoolVar(&opts.consentCheck, "consent-check", false, "with --window: open the window on the consent check of the profile (without --window: see --consent-check --help)")
	fs.Bool("window", false, "with --consent-check: guide a person through the check in the window")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), appUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return appOptions{}, err
	}
	if opts.registerScheme != "" {
		// Registering is all such a run does; installers have always been
		// free to pass more.
		return opts, nil
	}
	if window := fs.Lookup("window").Value.String() == "true"; window != opts.consentCheck {
		err := errors.New("--consent-check and --window go together here (the command-line check is --consent-check without --window)")
		fmt.Fprintln(output, "cezanne-desktop:", err)
		return appOptions{}, err
	}
	link, err := linkArg(fs.Args())
	if err != nil {
		fmt.Fprintln(output, "cezanne-desktop:", err)
		return appOptions{}, err
	}
	opts.link = link
	return opts, nil
}

// consentWindow says the command line asks for the consent check in the
// window (--consent-check --window), which the app runs, rather than on
// the command line (cmd_consent.go).
func consentWindow(args []string) bool {
	return isConsentCheck(args) && (slices.Contains(args, "--window") || slices.Contains(args, "-window"))
}

// linkArg accepts only a custom-scheme sign-in response: anything else on
// the command line is a mistake, not a link to hand the running app.
func linkArg(args []string) (string, error) {
	switch len(args) {
	case 0:
		return "", nil
	case 1:
		if r, err := auth.ParseRedirectURI(args[0]); err == nil && r.Kind == auth.RedirectCustomScheme {
			return args[0], nil
		}
		return "", fmt.Errorf("%q is not a sign-in link (x-cez://…); see --help", args[0])
	}
	return "", fmt.Errorf("unexpected arguments %q; see --help", args)
}

// runApp shows the window until it is closed, unless a running app takes
// over, and returns the exit status.
func runApp(opts appOptions) int {
	tuning.Apply()
	if opts.registerScheme != "" {
		return registerScheme(opts.registerScheme, opts.takeOver)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	inst := findInstance()
	if code, handed := inst.handOver(opts.link, opts.consentCheck, os.Stdout, os.Stderr); handed {
		return code
	}
	// Read beside the rest of the start, for the window's first frame
	// (ui/theme.go). Where there is no portal, Fyne's own reading is
	// left alone, watching included.
	var reading *colorscheme.Reading
	if colorscheme.Supported {
		reading = colorscheme.Start()
		// Also no theme change runs as the app quits (fyne.Do then
		// runs its function on the calling goroutine).
		defer reading.Stop()
	}
	profile, preset, err := loadProfiles(opts.profilePath, logger)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cezanne-desktop:", err)
		return 2
	}
	demo := &demoTenant{logger: logger}
	defer demo.close()

	// Before GLFW loads and, as the app closes, frees it: under Wine 8,
	// freeing it crashed the closing app now and then on a busy machine.
	if err := xinput.Pin(); err != nil {
		logger.Info("XInput is not pinned", "err", err)
	}
	a := app.NewWithID(appID)
	uiOpts := uiOptions(opts, profile, preset, demo, logger)
	if reading != nil { // a nil *Reading in the interface would not be nil
		uiOpts.ColorScheme = reading
	}
	w := ui.New(a, uiOpts)
	tuning.SetRedraw(w.Redraw)
	tuning.SetOnIdle(newIdleTrim().idle)
	if opts.traceOut != "" {
		finish := traceOnExit(a, w, opts.traceOut, logger)
		defer finish()
	}
	closeChannel := inst.listen(w, logger)
	defer closeChannel()
	startURLEvents(w)
	w.Start()
	if opts.link != "" {
		// Nothing was running to take it: a stray or late link.
		_ = w.ReceiveLink(opts.link)
	}
	w.Window().ShowAndRun()
	return 0
}

// registerScheme does --register-scheme for installers and IT.
func registerScheme(scheme string, takeOver bool) int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "cezanne-desktop:", err)
		return 1
	}
	return registerSchemeWith(urlscheme.NewRegistration(exe), exe, scheme, takeOver, os.Stdout, os.Stderr)
}

// registerSchemeWith registers scheme with reg. A scheme another program
// opens is taken over only with --take-over: an installer run must not
// silently break another application's links.
func registerSchemeWith(reg urlscheme.Registration, exe, scheme string, takeOver bool, stdout, stderr io.Writer) int {
	var err error
	if takeOver {
		err = urlscheme.TakeOver(reg, scheme)
	} else {
		err = reg.Register(scheme)
	}
	if errors.Is(err, urlscheme.ErrOwnedByOther) {
		fmt.Fprintf(stderr, "cezanne-desktop: %v.\nNothing was changed. To make them open this app anyway, run again with --take-over.\n", err)
		return 1
	}
	if err != nil {
		fmt.Fprintln(stderr, "cezanne-desktop:", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s:// links now open %s\n", strings.ToLower(scheme), exe)
	return 0
}

// loadProfiles reads the --profile file, which must work when given.
// Without one, the profile IT installed is offered, if there is one; a
// broken preset is only logged, since the person can still type a profile.
func loadProfiles(path string, logger *slog.Logger) (profile, preset *auth.Profile, err error) {
	if path != "" {
		if profile, err = auth.LoadProfile(path); err != nil {
			return nil, nil, err
		}
		return profile, nil, nil
	}
	presetPath, err := auth.PresetProfilePath()
	if err != nil {
		return nil, nil, nil
	}
	preset, err = auth.LoadProfile(presetPath)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			logger.Warn("the preset profile cannot be used", "path", presetPath, "err", err)
		}
		return nil, nil, nil
	}
	return nil, preset, nil
}

// uiOptions wires the window to the OS: keyring, browser, scheme
// registration and the demo tenant.
func uiOptions(opts appOptions, profile, preset *auth.Profile, demo *demoTenant, logger *slog.Logger) ui.Options {
	exe, _ := os.Executable()
	return ui.Options{
		SchemeInbox:  &auth.SchemeInbox{},
		Schemes:      urlscheme.NewRegistration(exe),
		Profile:      profile,
		Preset:       preset,
		SignIn:       opts.signIn,
		ConsentCheck: opts.consentCheck,
		SessionOnly:  opts.sessionOnly,
		Store:        &keyring.System{},
		FileChooser:  filechooser.Desktop{},
		PrefsLater:   true,
		OpenBrowser:  openBrowser,
		Demo:         demo.start,
		Logger:       logger,
	}
}
