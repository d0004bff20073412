package sandbox

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// RootPath is where Cezanne serves a tenant: https://host/CezanneOnDemand.
const RootPath = "/CezanneOnDemand"

// Config sets up a sandbox tenant. Zero values mean the documented defaults.
type Config struct {
	// People is the size of the generated population (default 500, at most 100,000).
	People int
	// AccessTokenTTL is the access token lifetime (default 600 s, as documented).
	AccessTokenTTL time.Duration
	// CodeTTL is how long an authorization code may be exchanged (default 60 s).
	CodeTTL time.Duration
	// PageSize is the server-driven page size of entity sets (default 200).
	PageSize int
	// LoopbackRedirect is the loopback redirect URI the desktop demo clients are
	// registered with (default DefaultLoopbackRedirect).
	LoopbackRedirect string
	// NoRotation keeps a refresh token valid across refreshes instead of issuing
	// a new one each time (rotation is on by default).
	NoRotation bool
	// ODataVersion is the DataService's protocol version and JSON dialect:
	// 2 (verbose, the default), 3 (JSON light) or 4.
	ODataVersion int
	// AutoApprove overrides demo clients' auto-approve modes by client ID.
	AutoApprove map[string]AutoApproveMode
	// Faults are injected from the start (see the admin page).
	Faults Faults
	// State, when set, is restored before the tenant serves (see State).
	State *State
	// Logger receives one line per request, secrets redacted (default: discard).
	Logger *slog.Logger
	// Now is the clock (default time.Now); tests move it forward.
	Now func() time.Time
}

// MaxPeople bounds the population so a typo cannot exhaust memory.
const MaxPeople = 100_000

func (c Config) withDefaults() (Config, error) {
	if c.People == 0 {
		c.People = 500
	}
	if c.People < 0 || c.People > MaxPeople {
		return c, fmt.Errorf("people must be between 1 and %d, got %d", MaxPeople, c.People)
	}
	if c.AccessTokenTTL == 0 {
		c.AccessTokenTTL = 600 * time.Second
	}
	if c.CodeTTL == 0 {
		c.CodeTTL = 60 * time.Second
	}
	if c.PageSize == 0 {
		c.PageSize = 200
	}
	if c.ODataVersion == 0 {
		c.ODataVersion = ODataV2
	}
	if c.ODataVersion < ODataV2 || c.ODataVersion > ODataV4 {
		return c, fmt.Errorf("OData version must be 2, 3 or 4, not %d", c.ODataVersion)
	}
	if c.LoopbackRedirect == "" {
		c.LoopbackRedirect = DefaultLoopbackRedirect
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c, nil
}

// Server is one simulated tenant. It is safe for concurrent use.
type Server struct {
	cfg     Config
	clients map[string]*OAuthClient
	order   []*OAuthClient
	users   map[string]*User
	people  []Person
	handler http.Handler

	mu       sync.Mutex
	pending  map[string]*pendingAuthorization
	sessions map[string]string // browser session cookie -> username
	consents map[consentKey]map[string]bool
	codes    map[string]*authCode
	access   map[string]*accessToken
	refresh  map[string]*refreshToken
	grants   map[string]*grant

	// Settings QA can change while the tenant runs (the admin page).
	accessTTL time.Duration
	rotation  bool
	modes     map[string]AutoApproveMode
	faults    Faults
	// timeoutHold is how long a Timeout fault holds a call at most.
	timeoutHold time.Duration
	// stats count refreshes and reuse, kept across restarts with State.
	stats Stats
	log   requestLog
	// consentLog is what each authorize request showed (consent.go).
	consentLog consentLog
	// adminToken guards the admin page's forms against cross-site posts.
	adminToken   string
	odataVersion int

	viewMu sync.Mutex
	views  map[string][]*Person
}

// New builds a tenant with the demo clients, users and a generated population.
func New(cfg Config) (*Server, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:      cfg,
		clients:  map[string]*OAuthClient{},
		users:    map[string]*User{},
		people:   generatePeople(cfg.People),
		pending:  map[string]*pendingAuthorization{},
		sessions: map[string]string{},
		consents: map[consentKey]map[string]bool{},
		codes:    map[string]*authCode{},
		access:   map[string]*accessToken{},
		refresh:  map[string]*refreshToken{},
		grants:   map[string]*grant{},

		accessTTL:   cfg.AccessTokenTTL,
		rotation:    !cfg.NoRotation,
		modes:       map[string]AutoApproveMode{},
		faults:      cfg.Faults,
		timeoutHold: timeoutHold,
		log:         requestLog{max: 500},

		adminToken:   randomToken("", 18),
		odataVersion: cfg.ODataVersion,
		views:        map[string][]*Person{},
	}
	for _, c := range defaultClients(cfg.LoopbackRedirect) {
		if m, ok := cfg.AutoApprove[c.ID]; ok {
			if !validMode(m) {
				return nil, fmt.Errorf("auto-approve mode for %s must be Disabled, Automatic or OnDemand, not %q", c.ID, m)
			}
			c.AutoApprove = m
		}
		s.clients[c.ID] = c
		s.order = append(s.order, c)
		s.modes[c.ID] = c.AutoApprove
	}
	for id := range cfg.AutoApprove {
		if _, ok := s.clients[id]; !ok {
			return nil, fmt.Errorf("no client %q to set an auto-approve mode for", id)
		}
	}
	for _, u := range append(defaultUsers(), serviceAccountUser()) {
		s.users[u.Username] = u
	}
	if cfg.State != nil {
		if err := s.Restore(*cfg.State); err != nil {
			return nil, err
		}
	}
	s.handler = s.routes()
	return s, nil
}

// OAuthClient returns a registered client by ID.
func (s *Server) OAuthClient(id string) (*OAuthClient, bool) {
	c, ok := s.clients[id]
	return c, ok
}

// OAuthClients lists the registered clients in a stable order, each a copy
// showing its current auto-approve mode.
func (s *Server) OAuthClients() []*OAuthClient {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*OAuthClient, len(s.order))
	for i, c := range s.order {
		cp := *c
		cp.AutoApprove = s.modes[c.ID]
		out[i] = &cp
	}
	return out
}

// Users lists the demo users who can sign in interactively.
func (s *Server) Users() []*User {
	var out []*User
	for _, u := range defaultUsers() {
		out = append(out, s.users[u.Username])
	}
	return out
}

// PeopleCount is the size of the generated population.
func (s *Server) PeopleCount() int { return len(s.people) }

// Handler serves the tenant; mount it at the server root (paths include RootPath).
func (s *Server) Handler() http.Handler { return s.handler }

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+RootPath+"/OAuth/Authorize", s.handleAuthorize)
	mux.HandleFunc("POST "+RootPath+"/OAuth/Authorize", s.handleAuthorizePost)
	mux.HandleFunc("POST "+RootPath+"/OAuth/Token", s.faultAPI(false, s.handleToken))
	mux.HandleFunc("GET "+RootPath+"/OAuth/TokenInfo", s.faultAPI(true, s.handleTokenInfo))
	mux.HandleFunc("GET "+RootPath+"/DataService.svc/{$}", s.faultAPI(true, s.handleServiceDocument))
	mux.HandleFunc("GET "+RootPath+"/DataService.svc/$metadata", s.faultAPI(true, s.handleMetadata))
	mux.HandleFunc("GET "+RootPath+"/DataService.svc/People", s.faultAPI(true, s.handlePeople))
	mux.HandleFunc(RootPath+"/DataService.svc/People", s.faultAPI(true, s.handlePeopleWrite))
	mux.HandleFunc("GET "+adminPath, s.adminOnly(false, s.handleAdminPage))
	mux.HandleFunc("GET "+adminPath+"/log", s.adminOnly(false, s.handleAdminLog))
	mux.HandleFunc("GET "+adminPath+"/state.json", s.adminOnly(false, s.handleAdminState))
	mux.HandleFunc("POST "+adminPath+"/{action}", s.adminOnly(true, s.handleAdminChange))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, RootPath+"/", http.StatusFound)
	})
	mux.HandleFunc("GET "+RootPath+"/{$}", s.handleHome)
	return s.logRequests(mux)
}

// Running is a sandbox serving on a real listener.
type Running struct {
	*Server
	srv      *http.Server
	listener net.Listener
	baseURL  string
}

// Start serves s on addr (e.g. "127.0.0.1:0") until Close.
func (s *Server) Start(addr string) (*Running, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox: listen on %s: %w", addr, err)
	}
	r := &Running{
		Server:   s,
		listener: ln,
		baseURL:  "http://" + ln.Addr().String() + RootPath,
		srv: &http.Server{
			Handler:           s.handler,
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      2 * time.Minute,
			MaxHeaderBytes:    64 << 10,
		},
	}
	go func() {
		if err := r.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.cfg.Logger.Error("sandbox stopped", "err", err)
		}
	}()
	return r, nil
}

// BaseURL is the tenant root, e.g. http://127.0.0.1:8765/CezanneOnDemand.
func (r *Running) BaseURL() string { return r.baseURL }

// AdminURL is the QA admin page.
func (r *Running) AdminURL() string {
	return "http://" + r.listener.Addr().String() + adminPath
}

// Close stops serving, waiting briefly for requests in flight.
func (r *Running) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return r.srv.Shutdown(ctx)
}

// randomToken returns an unguessable URL-safe string with a recognisable prefix.
func randomToken(prefix string, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("sandbox: no randomness: " + err.Error())
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// Description is the machine-readable summary QA scripts read from
// "cezanne-desktop sandbox --describe".
type Description struct {
	BaseURL string         `json:"base_url"`
	Clients []*OAuthClient `json:"clients"`
	Users   []*User        `json:"users"`
}

// Describe lists the tenant's address, clients (with secrets) and users.
func (r *Running) Describe() Description {
	return Description{BaseURL: r.BaseURL(), Clients: r.OAuthClients(), Users: r.Users()}
}
