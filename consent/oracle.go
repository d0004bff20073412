package consent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

// SandboxOracle answers the consent check's question from a sandbox tenant
// (the built-in demo, or one started with `cezanne-desktop sandbox`): it
// reads the tenant's consent log and clears consents through its admin API.
// Both are served on loopback only, so it refuses any other tenant.
type SandboxOracle struct {
	admin string // http://127.0.0.1:PORT/sandbox/admin
	hc    *http.Client
	// token is the admin page's form token, read once from the page.
	token string
	// users and clients are what the sandbox publishes: its demo users'
	// passwords and its clients' secrets are no secret on a sandbox.
	users   []sandboxUser
	clients []sandboxClient
}

type sandboxUser struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type sandboxClient struct {
	ID     string `json:"client_id"`
	Secret string `json:"client_secret"`
}

// sandboxState is the part of the admin state.json the oracle reads.
type sandboxState struct {
	Users      []sandboxUser          `json:"users"`
	Clients    []sandboxClient        `json:"clients"`
	ConsentLog []sandbox.ConsentEvent `json:"consent_log"`
}

// ErrNotSandbox means the profile's tenant is not a sandbox the app can
// read: the check then needs a person to answer.
var ErrNotSandbox = errors.New("the tenant is not a sandbox tenant on this computer")

// NewSandboxOracle connects to the sandbox serving p's tenant. It returns
// an error wrapping ErrNotSandbox when the tenant is not on loopback or
// does not answer as a sandbox does.
func NewSandboxOracle(ctx context.Context, p *auth.Profile, hc *http.Client) (*SandboxOracle, error) {
	root, err := url.Parse(p.Root())
	if err != nil || root.Scheme != "http" {
		return nil, fmt.Errorf("%w (%s)", ErrNotSandbox, p.Root())
	}
	if ip := net.ParseIP(root.Hostname()); (ip == nil || !ip.IsLoopback()) && !strings.EqualFold(root.Hostname(), "localhost") {
		return nil, fmt.Errorf("%w (%s is not on this computer)", ErrNotSandbox, root.Host)
	}
	if hc == nil {
		hc = &http.Client{Timeout: 15 * time.Second}
	}
	o := &SandboxOracle{admin: "http://" + root.Host + "/sandbox/admin", hc: hc}
	st, err := o.state(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotSandbox, err)
	}
	o.users, o.clients = st.Users, st.Clients
	return o, nil
}

// ClientSecret is the secret the sandbox publishes for clientID.
func (o *SandboxOracle) ClientSecret(clientID string) (string, bool) {
	for _, c := range o.clients {
		if c.ID == clientID && c.Secret != "" {
			return c.Secret, true
		}
	}
	return "", false
}

// robotBound is how long the robot may take over one run when the run
// gives no bound of its own.
const robotBound = 2 * time.Minute

// Browser returns an OpenBrowser that plays the person with a sandbox
// Robot: it signs in as the sandbox's first user (the HR professional),
// approves the consent page, and delivers the redirect (an x-cez:// one to
// inbox). The robot keeps its cookies between runs, as a browser would.
// It gives up after bound (the run's own timeout; 0: robotBound), so a
// robot stuck on a run that already timed out cannot deliver its answer
// into a later run.
func (o *SandboxOracle) Browser(inbox *auth.SchemeInbox, bound time.Duration) func(string) error {
	rb := &sandbox.Robot{}
	if len(o.users) > 0 {
		rb.Username, rb.Password = o.users[0].Username, o.users[0].Password
	}
	if bound <= 0 {
		bound = robotBound
	}
	return func(authorizeURL string) error {
		ctx, cancel := context.WithTimeout(context.Background(), bound)
		defer cancel()
		res, err := rb.Run(ctx, authorizeURL)
		if err != nil {
			return err
		}
		if inbox != nil && res.AppStatus == 0 && res.RedirectURL != "" {
			return inbox.Deliver(res.RedirectURL)
		}
		return nil
	}
}

// ClearConsents forgets the client's remembered consents on the sandbox.
func (o *SandboxOracle) ClearConsents(ctx context.Context, clientID string) error {
	if o.token == "" {
		tok, err := o.readToken(ctx)
		if err != nil {
			return err
		}
		o.token = tok
	}
	form := url.Values{"token": {o.token}, "client_id": {clientID}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.admin+"/clear-consents", strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := o.hc.Do(req)
	if err != nil {
		return fmt.Errorf("the sandbox did not answer: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("the sandbox refused to clear consents (HTTP %d: %s)", resp.StatusCode, strings.TrimSpace(string(body)))
	}
	return nil
}

// ConsentShown finds the decision on the authorize request that carried
// state, the newest first.
func (o *SandboxOracle) ConsentShown(ctx context.Context, clientID, state string) (shown, denied bool, err error) {
	st, err := o.state(ctx)
	if err != nil {
		return false, false, err
	}
	want := sandbox.StateHash(state)
	for i := len(st.ConsentLog) - 1; i >= 0; i-- {
		e := st.ConsentLog[i]
		if e.ClientID == clientID && want != "" && e.StateSHA256 == want {
			return e.Shown, e.Denied, nil
		}
	}
	return false, false, errors.New("the sandbox's consent log has no decision for this run (the sign-in never reached the login or consent page)")
}

func (o *SandboxOracle) state(ctx context.Context) (*sandboxState, error) {
	body, err := o.get(ctx, o.admin+"/state.json?consent_log=1")
	if err != nil {
		return nil, err
	}
	var st sandboxState
	if err := json.Unmarshal(body, &st); err != nil {
		return nil, fmt.Errorf("the sandbox's state is not JSON: %v", err)
	}
	return &st, nil
}

var adminToken = regexp.MustCompile(`name="token" value="([^"]+)"`)

// readToken reads the admin page's form token, as a person's browser does
// when it loads the page: it is only served on loopback.
func (o *SandboxOracle) readToken(ctx context.Context) (string, error) {
	body, err := o.get(ctx, o.admin)
	if err != nil {
		return "", err
	}
	m := adminToken.FindSubmatch(body)
	if m == nil {
		return "", errors.New("the sandbox's admin page has no form token")
	}
	return html.UnescapeString(string(m[1])), nil
}

func (o *SandboxOracle) get(ctx context.Context, target string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, err
	}
	resp, err := o.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("the sandbox did not answer: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s answered HTTP %d: %s", target, resp.StatusCode, strings.TrimSpace(string(body[:min(len(body), 300)])))
	}
	return body, nil
}
