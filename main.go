// Command cezanne-desktop is Cezanne HR Desktop: sign in to a Cezanne HR
// tenant in the system browser and browse its people. Run without a tenant
// it uses a built-in sandbox tenant; "cezanne-desktop sandbox" serves that
// tenant on its own for QA and tests.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"github.com/pkg/browser"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/instance"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/urlscheme"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
	"github.com/cezanne-hr-desktop/cezanne-desktop/ui"
)

// appID is the reverse-DNS ID; Fyne keeps preferences under it.
const appID = "com.cezannehr.desktop"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "sandbox" {
		if len(os.Args) > 2 && os.Args[2] == "approve" {
			os.Exit(runApprove(os.Args[3:]))
		}
		os.Exit(runSandbox(os.Args[2:]))
	}
	os.Exit(runApp(os.Args[1:]))
}

func runApp(args []string) int {
	tuneFyneCache()
	fs := flag.NewFlagSet("cezanne-desktop", flag.ContinueOnError)
	profilePath := fs.String("profile", "", "load the tenant profile from this JSON `file` (the client secret comes from $"+auth.SecretEnv+" or the keyring)")
	signIn := fs.Bool("sign-in", false, "start signing in at launch when no saved sign-in works")
	sessionOnly := fs.Bool("session-only", false, "keep the sign-in in memory only, never in the system keyring (shared computers)")
	registerScheme := fs.String("register-scheme", "", "make `SCHEME`:// links (e.g. x-cez) open this app for the current user, then exit (installers and IT use it)")
	traceOut := fs.String("trace-out", "", "write the flow trace (JSON; Markdown for a .md `file`) when the app exits, also on Ctrl+C or SIGTERM; secrets are redacted")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: cezanne-desktop [--profile FILE] [--sign-in] [--session-only] [--trace-out FILE] [LINK]\n       (LINK: an x-cez:// sign-in response, as the OS passes it)\n       cezanne-desktop sandbox [flags]   (serve the simulated tenant; see sandbox --help)\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if *registerScheme != "" {
		exe, err := os.Executable()
		if err == nil {
			err = urlscheme.NewRegistration(exe).Register(*registerScheme)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "cezanne-desktop:", err)
			return 1
		}
		fmt.Printf("%s:// links now open %s\n", *registerScheme, exe)
		return 0
	}
	link, err := linkArg(fs.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, "cezanne-desktop:", err)
		return 2
	}
	// One app per user: a second launch hands its link (or just "come
	// forward") to the running one and ends.
	instanceDir, dirErr := instance.Dir()
	if dirErr == nil {
		switch err := forwardToRunning(instanceDir, link); {
		case err == nil:
			fmt.Println("Handed over to the running Cezanne HR Desktop.")
			return 0
		case !errors.Is(err, instance.ErrNotRunning):
			fmt.Fprintln(os.Stderr, "cezanne-desktop: the running app refused the link:", err)
			return 1
		}
	}
	var profile *auth.Profile
	if *profilePath != "" {
		p, err := auth.LoadProfile(*profilePath)
		if err != nil {
			fmt.Fprintln(os.Stderr, "cezanne-desktop:", err)
			return 2
		}
		profile = p
	}
	var preset *auth.Profile
	if path, err := auth.PresetProfilePath(); err == nil && profile == nil {
		if p, err := auth.LoadProfile(path); err == nil {
			preset = p
		} else if !errors.Is(err, os.ErrNotExist) {
			logger.Warn("the preset profile cannot be used", "path", path, "err", err)
		}
	}
	demo := &demoTenant{logger: logger}
	defer demo.close()

	exe, _ := os.Executable()
	inbox := &auth.SchemeInbox{}
	a := app.NewWithID(appID)
	w := ui.New(a, ui.Options{
		SchemeInbox: inbox,
		Schemes:     urlscheme.NewRegistration(exe),
		Profile:     profile,
		Preset:      preset,
		SignIn:      *signIn,
		SessionOnly: *sessionOnly,
		Store:       &keyring.System{},
		OpenBrowser: openBrowser,
		Demo:        demo.start,
		Logger:      logger,
	})
	if *traceOut != "" {
		stop := writeTraceOnSignal(a, w, *traceOut, logger)
		defer stop()
		defer saveTrace(w, *traceOut, logger)
	}
	if dirErr == nil {
		inst, err := instance.Listen(instanceDir, func(kind, u string) error {
			if kind == instance.MessageURL {
				return w.ReceiveLink(u)
			}
			logger.Info("brought to the front by a second launch")
			fyne.Do(w.ShowWindow)
			return nil
		})
		if err != nil {
			logger.Warn("single-instance channel unavailable; x-cez:// links cannot reach this window", "err", err)
		} else {
			defer inst.Close()
		}
	} else {
		logger.Warn("no per-user directory for the instance channel", "err", dirErr)
	}
	startURLEvents(w)
	w.Start()
	if link != "" {
		// Nothing was running to take it: a stray or late link.
		_ = w.ReceiveLink(link)
	}
	w.Window().ShowAndRun()
	return 0
}

// linkArg is the sign-in link the OS passes when an x-cez:// (or other
// custom-scheme) link is opened; launches from a menu have none.
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

// forwardToRunning hands the link, or a request to come forward, to the
// running instance. instance.ErrNotRunning: this process is the first.
func forwardToRunning(dir, link string) error {
	if link != "" {
		return instance.Forward(dir, instance.MessageURL, link)
	}
	return instance.Forward(dir, instance.MessageShow, "")
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

// openBrowser opens the system browser without letting it write to our
// terminal (some browsers print the URL they were given).
func openBrowser(url string) error {
	browser.Stdout, browser.Stderr = io.Discard, io.Discard
	return browser.OpenURL(url)
}

// demoTenant runs the built-in sandbox inside the app, started on first use.
type demoTenant struct {
	logger  *slog.Logger
	once    sync.Once
	running *sandbox.Running
	err     error
}

// demoRedirectPort is the loopback port the demo client is registered with,
// unless another program holds it.
const demoRedirectPort = 47613

func (d *demoTenant) start(_ context.Context, customScheme bool) (*auth.Profile, string, error) {
	d.once.Do(func() {
		redirect := sandbox.FreeLoopbackRedirect(demoRedirectPort, "/oauth-callback/")
		srv, err := sandbox.New(sandbox.Config{LoopbackRedirect: redirect, Logger: d.logger.With("component", "demo-tenant")})
		if err != nil {
			d.err = err
			return
		}
		d.running, d.err = srv.Start("127.0.0.1:0")
		if d.err == nil {
			d.logger.Info("demo tenant started", "base_url", d.running.BaseURL())
		}
	})
	if d.err != nil {
		return nil, "", d.err
	}
	clientID := sandbox.ClientDesktopOnDemand
	if customScheme {
		clientID = sandbox.ClientDesktopScheme
	}
	c, _ := d.running.OAuthClient(clientID)
	p := &auth.Profile{Name: "Demo tenant", Demo: true, BaseURL: d.running.BaseURL(), ClientID: c.ID,
		RedirectURI: c.RedirectURIs[0], Scopes: []string{auth.ScopeRead}}
	if err := p.Normalize(); err != nil {
		return nil, "", err
	}
	return p, c.Secret, nil
}

func (d *demoTenant) close() {
	if d.running != nil {
		_ = d.running.Close()
	}
}

func runSandbox(args []string) int {
	fs := flag.NewFlagSet("cezanne-desktop sandbox", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8765", "listen on this `host:port` (loopback only)")
	people := fs.Int("people", 500, "size of the generated population (1 to 100000)")
	redirect := fs.String("redirect-uri", sandbox.DefaultLoopbackRedirect, "loopback redirect `URI` the desktop demo clients are registered with")
	ttl := fs.Duration("token-ttl", 600*time.Second, "access token lifetime")
	noRotation := fs.Bool("no-rotation", false, "keep refresh tokens valid across refreshes instead of rotating them")
	modes := modeFlag{}
	fs.Var(modes, "auto-approve", "set a client's auto-approve mode, `CLIENT=MODE` (Disabled, Automatic, OnDemand); repeatable")
	latency := fs.Duration("latency", 0, "add this latency to every token and API call")
	fail500 := fs.Int("fail-500", 0, "answer the next `N` API calls with HTTP 500")
	fail401 := fs.Int("fail-401", 0, "answer the next `N` API calls with HTTP 401")
	malformed := fs.Int("malformed", 0, "answer the next `N` API calls with malformed JSON")
	odataVersion := fs.Int("odata-version", 2, "DataService protocol version and JSON dialect: 2 (verbose), 3 (JSON light) or 4")
	describe := fs.Bool("describe", false, "print one JSON object describing the tenant on the first line of output")
	quiet := fs.Bool("quiet", false, "do not log requests")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: cezanne-desktop sandbox [flags]\n       cezanne-desktop sandbox approve [--user U] [--password P] [--deny] AUTHORIZE_URL\n\nServes a simulated Cezanne tenant.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	host, _, err := net.SplitHostPort(*addr)
	if ip := net.ParseIP(host); err != nil || (host != "localhost" && (ip == nil || !ip.IsLoopback())) {
		fmt.Fprintln(os.Stderr, "sandbox: --addr must be a loopback address such as 127.0.0.1:8765: the sandbox has no real security")
		return 2
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if *quiet {
		logger = slog.New(slog.DiscardHandler)
	}
	srv, err := sandbox.New(sandbox.Config{
		People: *people, LoopbackRedirect: *redirect, AccessTokenTTL: *ttl, NoRotation: *noRotation,
		AutoApprove: modes, Logger: logger, ODataVersion: *odataVersion,
		Faults: sandbox.Faults{Latency: *latency, Fail500: *fail500, Fail401: *fail401, Malformed: *malformed},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "sandbox:", err)
		return 2
	}
	running, err := srv.Start(*addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer running.Close()
	if *describe {
		b, _ := json.Marshal(running.Describe())
		fmt.Println(string(b))
	}
	printSandbox(os.Stdout, running)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	return 0
}

func printSandbox(w io.Writer, r *sandbox.Running) {
	fmt.Fprintf(w, "Cezanne sandbox tenant serving %d people\n  base URL: %s\n\nClients:\n", r.PeopleCount(), r.BaseURL())
	for _, c := range r.OAuthClients() {
		fmt.Fprintf(w, "  %s  (%s)\n    secret: %s\n    auto-approve mode: %s   grants: %s\n", c.ID, c.Name, c.Secret, c.AutoApprove, strings.Join(c.GrantTypes, ", "))
		for _, u := range c.RedirectURIs {
			fmt.Fprintf(w, "    redirect URI: %s\n", u)
		}
	}
	fmt.Fprintf(w, "\nUsers (password %s):\n", sandbox.DemoPassword)
	for _, u := range r.Users() {
		fmt.Fprintf(w, "  %-36s %s\n", u.Username, u.Role)
	}
	fmt.Fprintf(w, "\nQA admin page (this computer only): %s\nPress Ctrl+C to stop.\n", r.AdminURL())
}

// modeFlag collects --auto-approve CLIENT=MODE flags.
type modeFlag map[string]sandbox.AutoApproveMode

func (m modeFlag) String() string { return "" }

func (m modeFlag) Set(v string) error {
	client, mode, ok := strings.Cut(v, "=")
	if !ok {
		return errors.New("want CLIENT=MODE, e.g. desktop-ondemand.sandbox.cezannehr.com=Automatic")
	}
	parsed, err := sandbox.ParseAutoApproveMode(mode)
	if err != nil {
		return err
	}
	m[client] = parsed
	return nil
}

// runApprove plays the person in the browser against a sandbox tenant: QA
// scripts and the tests use it as a stand-in for xdg-open.
func runApprove(args []string) int {
	fs := flag.NewFlagSet("cezanne-desktop sandbox approve", flag.ContinueOnError)
	user := fs.String("user", "hrprof@sandbox.cezannehr.com", "demo user to sign in as")
	password := fs.String("password", sandbox.DemoPassword, "the user's password")
	deny := fs.Bool("deny", false, "deny instead of approving on the consent page")
	handOff := fs.Bool("hand-off", false, "when the tenant redirects to a custom scheme (x-cez://), hand the link to the OS with xdg-open, as a browser does")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: cezanne-desktop sandbox approve [--user U] [--password P] [--deny] AUTHORIZE_URL")
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := (&sandbox.Robot{Username: *user, Password: *password, Deny: *deny}).Run(ctx, fs.Arg(0))
	var ep *sandbox.ErrorPageError
	switch {
	case errors.As(err, &ep):
		fmt.Fprintln(os.Stderr, "approve:", ep)
		return 1
	case err != nil:
		fmt.Fprintln(os.Stderr, "approve:", err)
		return 1
	}
	fmt.Printf("login shown: %v, consent shown: %v, app answered: HTTP %d\n", res.LoginShown, res.ConsentShown, res.AppStatus)
	if *handOff && res.AppStatus == 0 && res.RedirectURL != "" {
		// The link itself carries the code: it is never printed.
		if err := exec.Command("xdg-open", res.RedirectURL).Run(); err != nil {
			fmt.Fprintln(os.Stderr, "approve: handing the link to the OS:", err)
			return 1
		}
		fmt.Println("handed the redirect link to the OS")
	}
	return 0
}
