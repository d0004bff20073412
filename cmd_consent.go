package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/consent"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

// Exit statuses of --consent-check. 2 is kept for the verdict alone, so a
// script can tell "no documented mode" from a check that could not run.
const (
	consentMatched = 0
	consentFailed  = 1
	consentNoMatch = 2
)

const consentUsage = `Usage: cezanne-desktop --consent-check --profile FILE [--report OUT.json|OUT.md|OUT.html] [--timeout 1m]
       cezanne-desktop --consent-check --demo [--client ID] [--report OUT] [--timeout 1m]

Runs Cezanne's consent check without a person: auto_approve omitted, true and
false, each as a first and a second authorisation, and says which documented
"Auto approve mode" the tenant's client behaves as. Only for a sandbox tenant
(one started with "cezanne-desktop sandbox", or the built-in demo with --demo),
whose consent log the app reads on loopback; for a real tenant run the check
from the app (QA options, Consent check...).

Exit status: 0 when the runs match a documented mode, 2 when they match none,
1 when the check could not run or no run could be observed.

`

// isConsentCheck says the command line asks for the consent check.
func isConsentCheck(args []string) bool {
	return slices.Contains(args, "--consent-check") || slices.Contains(args, "-consent-check")
}

// consentOptions is --consent-check's command line.
type consentOptions struct {
	profilePath string
	demo        bool   // the built-in demo tenant instead of a profile
	client      string // with demo: which of its clients
	reportPath  string
	timeout     time.Duration
}

func parseConsentFlags(args []string, output io.Writer) (consentOptions, error) {
	var o consentOptions
	fs := flag.NewFlagSet("cezanne-desktop --consent-check", flag.ContinueOnError)
	fs.SetOutput(output)
	fs.Bool("consent-check", true, "run the consent check")
	fs.StringVar(&o.profilePath, "profile", "", "the tenant profile (JSON `file`) whose client is checked")
	fs.BoolVar(&o.demo, "demo", false, "check the built-in demo tenant (started in this process) instead of a profile's tenant")
	fs.StringVar(&o.client, "client", "", "with --demo: the demo `client ID` to check (default its OnDemand client)")
	fs.StringVar(&o.reportPath, "report", "", "write the report to this `file`: HTML for .html, Markdown for .md, JSON otherwise")
	fs.DurationVar(&o.timeout, "timeout", time.Minute, "give up on a run whose callback has not arrived after this long")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), consentUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case fs.NArg() > 0:
		return o, usageError(fs, "unexpected argument %q", fs.Arg(0))
	case o.profilePath == "" && !o.demo:
		return o, usageError(fs, "--consent-check needs --profile FILE or --demo")
	case o.profilePath != "" && o.demo:
		return o, usageError(fs, "--profile and --demo name two tenants; give one")
	case o.client != "" && !o.demo:
		return o, usageError(fs, "--client chooses a demo client; with --profile the profile names the client")
	case o.timeout <= 0:
		return o, usageError(fs, "--timeout must be positive")
	}
	return o, nil
}

func usageError(fs *flag.FlagSet, format string, a ...any) error {
	err := fmt.Errorf(format, a...)
	fmt.Fprintln(fs.Output(), "cezanne-desktop:", err)
	return err
}

// runConsentCheck is `cezanne-desktop --consent-check`.
func runConsentCheck(args []string, stdout, stderr io.Writer) int {
	opts, err := parseConsentFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return consentMatched
	}
	if err != nil {
		return consentFailed
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := consentCheck(ctx, opts, stdout)
	if rep != nil && opts.reportPath != "" {
		if serr := rep.Save(opts.reportPath); serr != nil {
			fmt.Fprintln(stderr, "cezanne-desktop: the report could not be written:", serr)
			return consentFailed
		}
		fmt.Fprintln(stdout, "Report written to", opts.reportPath)
	}
	if err != nil {
		fmt.Fprintln(stderr, "cezanne-desktop: consent check:", err)
		if errors.Is(err, consent.ErrNotSandbox) {
			// Only a sandbox's log can answer unattended; a person answers
			// for a real tenant, in the window.
			fmt.Fprintln(stderr, "A real tenant's check is guided: run cezanne-desktop --consent-check --window --profile", opts.profilePath,
				"(or press Consent check… under the sign-in form's QA options) and answer after each run.")
		}
		return consentFailed
	}
	return consentStatus(rep.Verdict, stderr)
}

// consentStatus is the exit status the verdict gives. A check whose every
// run was skipped or failed observed nothing: Decide then lets every mode
// match, which a script must not read as a verdict.
func consentStatus(v consent.Verdict, stderr io.Writer) int {
	switch {
	case v.Counted == 0:
		fmt.Fprintln(stderr, "cezanne-desktop: consent check: no run could be observed, so there is no verdict; each run's error is in the report")
		return consentFailed
	case v.NoMatch():
		return consentNoMatch
	}
	return consentMatched
}

// consentCheck loads the profile, finds its sandbox and runs the check,
// printing each run as it is decided.
func consentCheck(ctx context.Context, opts consentOptions, stdout io.Writer) (*consent.Report, error) {
	var p *auth.Profile
	var secret string
	var err error
	if opts.demo {
		demo := &demoTenant{logger: slog.New(slog.DiscardHandler)}
		defer demo.close()
		p, secret, err = demoClient(ctx, demo, opts.client)
	} else {
		p, err = auth.LoadProfile(opts.profilePath)
	}
	if err != nil {
		return nil, err
	}
	oracle, err := consent.NewSandboxOracle(ctx, p, nil)
	if err != nil {
		// runConsentCheck says how to run a real tenant's check instead.
		return nil, err
	}
	if secret == "" {
		if secret, err = consentSecret(p, oracle); err != nil {
			return nil, err
		}
	}
	inbox := &auth.SchemeInbox{}
	r := &consent.Runner{
		Profile: p, ClientSecret: secret, OpenBrowser: oracle.Browser(inbox, opts.timeout), SchemeInbox: inbox,
		Oracle: oracle, Timeout: opts.timeout, AppVersion: appVersion(),
		OnProgress: func(pr consent.Progress) { printProgress(stdout, pr) },
	}
	fmt.Fprintf(stdout, "Consent check of %s at %s\n", p.ClientID, p.Root())
	rep, err := r.Run(ctx)
	if rep != nil && err == nil {
		fmt.Fprintln(stdout, "Verdict:", rep.Verdict.Summary)
		for _, f := range rep.Verdict.Flags {
			fmt.Fprintf(stdout, "Worth a look (run %d): %s\n", f.Run, f.Detail)
		}
	}
	return rep, err
}

// demoClient starts the demo tenant and makes a profile for one of its
// clients (its OnDemand one unless told).
func demoClient(ctx context.Context, demo *demoTenant, clientID string) (*auth.Profile, string, error) {
	p, secret, err := demo.start(ctx, false)
	if err != nil {
		return nil, "", fmt.Errorf("the demo tenant did not start: %w", err)
	}
	if clientID == "" || clientID == p.ClientID {
		return p, secret, nil
	}
	c, ok := demo.running.OAuthClient(clientID)
	if !ok || len(c.RedirectURIs) == 0 || !slices.Contains(c.GrantTypes, sandbox.GrantAuthorizationCode) {
		return nil, "", fmt.Errorf("the demo tenant has no browser client %q; its desktop clients are %s, %s, %s and %s",
			clientID, sandbox.ClientDesktopOnDemand, sandbox.ClientDesktopAutomatic, sandbox.ClientDesktopDisabled, sandbox.ClientDesktopScheme)
	}
	p.ClientID, p.RedirectURI = c.ID, c.RedirectURIs[0]
	return p, c.Secret, p.Normalize()
}

// consentSecret is the client secret from $CEZANNE_CLIENT_SECRET, else the
// one the sandbox publishes. The keyring is not read: a check run from a
// script must not wait on a keyring prompt, and a sandbox's secrets are
// public anyway.
func consentSecret(p *auth.Profile, o *consent.SandboxOracle) (string, error) {
	if v, _, err := auth.ClientSecret(keyring.NewMemoryStore(), p); err == nil {
		return v, nil
	}
	if v, ok := o.ClientSecret(p.ClientID); ok {
		return v, nil
	}
	return "", fmt.Errorf("no client secret for %s: set $%s, or use one of the sandbox's clients", p.ClientID, auth.SecretEnv)
}

// printProgress prints one line per decided run.
func printProgress(w io.Writer, pr consent.Progress) {
	if pr.Phase != consent.PhaseDone || pr.Cell == nil {
		return
	}
	c := pr.Cell
	seen := "not observed (" + string(c.Outcome) + ")"
	if c.ConsentShown != nil {
		seen = map[bool]string{true: "consent page shown", false: "no consent page"}[*c.ConsentShown]
	}
	if c.Error != "" {
		seen += "; " + c.Error
	}
	fmt.Fprintf(w, "%s: %s\n", pr.Step.Title(pr.Total), seen)
}

// appVersion is the version and build FyneApp.toml gives this binary.
func appVersion() string {
	m, err := appMetadata(fyneAppTOML)
	if err != nil {
		return "unknown"
	}
	return fmt.Sprintf("%s (build %d)", m.Version, m.Build)
}
