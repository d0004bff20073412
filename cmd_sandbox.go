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
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

// sandboxOptions is the sandbox subcommand's command line.
type sandboxOptions struct {
	addr     string
	config   sandbox.Config // without its Logger, which quiet decides
	describe bool
	quiet    bool
	// state is the file that keeps grants, tokens and consents across
	// restarts ("" keeps nothing).
	state string
}

const sandboxUsage = "Usage: cezanne-desktop sandbox [flags]\n       cezanne-desktop sandbox approve [--user U] [--password P] [--deny] AUTHORIZE_URL\n\nServes a simulated Cezanne tenant.\n\n"

// errNotLoopback refuses other addresses: the sandbox's users, secrets and
// admin page are public knowledge.
var errNotLoopback = errors.New("--addr must be a loopback address such as 127.0.0.1:8765: the sandbox has no real security")

// parseSandboxFlags reads the sandbox's command line. Usage errors, and the
// usage itself for --help, are written to output and returned.
func parseSandboxFlags(args []string, output io.Writer) (sandboxOptions, error) {
	var opts sandboxOptions
	c := &opts.config
	modes := modeFlag{}
	c.AutoApprove = modes
	fs := flag.NewFlagSet("cezanne-desktop sandbox", flag.ContinueOnError)
	fs.SetOutput(output)
	fs.StringVar(&opts.addr, "addr", "127.0.0.1:8765", "listen on this `host:port` (loopback only)")
	fs.IntVar(&c.People, "people", 500, "size of the generated population (1 to 100000)")
	fs.StringVar(&c.LoopbackRedirect, "redirect-uri", sandbox.DefaultLoopbackRedirect, "loopback redirect `URI` the desktop demo clients are registered with")
	fs.DurationVar(&c.AccessTokenTTL, "token-ttl", 600*time.Second, "access token lifetime")
	fs.BoolVar(&c.NoRotation, "no-rotation", false, "keep refresh tokens valid across refreshes instead of rotating them")
	fs.Var(modes, "auto-approve", "set a client's auto-approve mode, `CLIENT=MODE` (Disabled, Automatic, OnDemand); repeatable")
	fs.DurationVar(&c.Faults.Latency, "latency", 0, "add this latency to every token and API call")
	fs.IntVar(&c.Faults.Fail500, "fail-500", 0, "answer the next `N` API calls with HTTP 500")
	fs.IntVar(&c.Faults.Fail401, "fail-401", 0, "answer the next `N` API calls with HTTP 401")
	fs.IntVar(&c.Faults.Malformed, "malformed", 0, "answer the next `N` API calls with malformed JSON")
	fs.IntVar(&c.Faults.Timeout, "timeout", 0, "give no answer to the next `N` API calls (held until the client gives up, then dropped)")
	fs.IntVar(&c.Faults.Token500, "token-500", 0, "answer the next `N` token requests with HTTP 500, unread")
	fs.IntVar(&c.Faults.Spike, "spike", 0, "delay the next `N` token and API calls by --spike-latency more")
	fs.DurationVar(&c.Faults.SpikeLatency, "spike-latency", 0, "the extra latency of --spike")
	fs.StringVar(&opts.state, "state", "", "keep grants, tokens, consents and browser sessions in this `file` across restarts: loaded at start when it exists, saved every 2 s while they change and when the sandbox stops")
	fs.IntVar(&c.ODataVersion, "odata-version", 2, "DataService protocol version and JSON dialect: 2 (verbose), 3 (JSON light) or 4")
	fs.BoolVar(&opts.describe, "describe", false, "print one JSON object describing the tenant on the first line of output")
	fs.BoolVar(&opts.quiet, "quiet", false, "do not log requests")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), sandboxUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return sandboxOptions{}, err
	}
	if !isLoopback(opts.addr) {
		fmt.Fprintln(output, "sandbox:", errNotLoopback)
		return sandboxOptions{}, errNotLoopback
	}
	return opts, nil
}

// isLoopback reports whether host:port names this computer only.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}

// runSandbox serves the tenant until Ctrl+C or SIGTERM.
func runSandbox(opts sandboxOptions) int {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if opts.quiet {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg := opts.config
	cfg.Logger = logger
	srv, err := newSandbox(cfg, opts.state)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sandbox:", err)
		return 2
	}
	// Signals are caught before the port opens, so a SIGTERM that comes
	// as soon as the tenant answers still saves its state.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	running, err := srv.Start(opts.addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ctx, stopKeeping := context.WithCancel(context.Background())
	kept := make(chan struct{})
	go func() {
		defer close(kept)
		if opts.state != "" {
			srv.KeepState(ctx, opts.state, 2*time.Second)
		}
	}()
	if opts.describe {
		b, _ := json.Marshal(running.Describe())
		fmt.Println(string(b))
	}
	printSandbox(os.Stdout, running)
	<-sig
	// Requests in flight finish first (a refresh answered and then
	// forgotten would look like reuse after the restart), then the state
	// is saved one last time.
	_ = running.Close()
	stopKeeping()
	<-kept
	return 0
}

// newSandbox builds the tenant, from the state file when there is one.
func newSandbox(cfg sandbox.Config, statePath string) (*sandbox.Server, error) {
	if statePath != "" {
		st, found, err := sandbox.LoadState(statePath)
		if err != nil {
			return nil, err
		}
		if found {
			cfg.State = &st
		}
	}
	return sandbox.New(cfg)
}

// printSandbox tells QA what to type: the clients, users and password.
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
