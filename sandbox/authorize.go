package sandbox

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// pendingAuthorization is an /OAuth/Authorize request waiting for the person in
// the browser to log in and consent. Its ID travels in the forms' hidden field.
type pendingAuthorization struct {
	id            string
	client        *OAuthClient
	redirectURI   string
	responseType  string
	scopes        []string
	state         string
	hasState      bool
	autoApprove   string // "", "true" or "false", as sent
	codeChallenge string
	challengeMeth string
	expires       time.Time
}

type consentKey struct{ user, client string }

const sessionCookie = "CezanneSandboxSession"

// pendingTTL bounds how long a person may take over the login and consent pages.
const pendingTTL = 15 * time.Minute

func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	clientID := q.Get("client_id")
	client, ok := s.clients[clientID]
	if !ok {
		s.errorPage(w, http.StatusBadRequest, "Unknown application",
			"No application with client_id “"+clientID+"” is registered with this tenant. Ask your administrator to check the client ID.")
		return
	}
	redirectURI := q.Get("redirect_uri")
	if !client.allowsRedirect(redirectURI) {
		// Never redirect to an address the client did not register: that is how
		// codes get stolen. Say what was expected instead.
		s.errorPage(w, http.StatusBadRequest, "Redirect URI not registered",
			"The redirect_uri “"+redirectURI+"” does not match the one registered for “"+client.Name+
				"”. It must match exactly, including case and the trailing “/”. Registered: "+strings.Join(client.RedirectURIs, ", "))
		return
	}
	responseType := q.Get("response_type")
	switch {
	case responseType == "code" && client.allowsGrant(GrantAuthorizationCode):
	case responseType == "token" && client.allowsGrant(GrantImplicit):
	default:
		s.errorPage(w, http.StatusBadRequest, "Unsupported response type",
			"This application may not use response_type “"+responseType+"”.")
		return
	}
	p := &pendingAuthorization{
		id:            randomToken("req_", 18),
		client:        client,
		redirectURI:   redirectURI,
		responseType:  responseType,
		scopes:        splitScope(q.Get("scope")),
		state:         q.Get("state"),
		hasState:      q.Has("state"),
		autoApprove:   q.Get("auto_approve"),
		codeChallenge: q.Get("code_challenge"),
		challengeMeth: q.Get("code_challenge_method"),
		expires:       s.cfg.Now().Add(pendingTTL),
	}
	if len(p.scopes) == 0 || !client.allowsScopes(p.scopes) {
		s.redirectError(w, r, p, "invalid_scope", "The requested scope is missing or not allowed for this application.")
		return
	}
	if why := pkceRequestProblem(p); why != "" {
		s.redirectError(w, r, p, "invalid_request", why)
		return
	}
	s.mu.Lock()
	s.pending[p.id] = p
	user := s.sessionUserLocked(r)
	s.mu.Unlock()
	if user == nil {
		s.loginPage(w, p, "")
		return
	}
	s.afterLogin(w, r, p, user)
}

// handleAuthorizePost receives the login and consent forms.
func (s *Server) handleAuthorizePost(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, http.StatusBadRequest, "Bad request", "The form could not be read.")
		return
	}
	s.mu.Lock()
	p := s.pending[r.PostForm.Get("request")]
	if p != nil && s.cfg.Now().After(p.expires) {
		delete(s.pending, p.id)
		p = nil
	}
	user := s.sessionUserLocked(r)
	s.mu.Unlock()
	if p == nil {
		s.errorPage(w, http.StatusBadRequest, "This sign-in has expired",
			"Go back to the application and start signing in again.")
		return
	}
	switch r.PostForm.Get("action") {
	case "login":
		u := s.users[strings.TrimSpace(r.PostForm.Get("username"))]
		if u == nil || u.Password == "" || u.Password != r.PostForm.Get("password") {
			s.loginPage(w, p, "The user name or password is incorrect.")
			return
		}
		sid := randomToken("", 24)
		s.mu.Lock()
		s.sessions[sid] = u.Username
		s.mu.Unlock()
		http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sid, Path: RootPath, HttpOnly: true, SameSite: http.SameSiteLaxMode})
		s.afterLogin(w, r, p, u)
	case "switch-user":
		if c, err := r.Cookie(sessionCookie); err == nil {
			s.mu.Lock()
			delete(s.sessions, c.Value)
			s.mu.Unlock()
		}
		http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: RootPath, MaxAge: -1})
		s.loginPage(w, p, "")
	case "approve", "deny":
		if user == nil {
			s.loginPage(w, p, "Your session ended. Please sign in again.")
			return
		}
		s.mu.Lock()
		delete(s.pending, p.id)
		s.mu.Unlock()
		if r.PostForm.Get("action") == "deny" {
			s.noteConsent(user, p, true, true)
			s.redirectError(w, r, p, "access_denied", "The user denied access to the application.")
			return
		}
		s.noteConsent(user, p, true, false)
		s.rememberConsent(user, p)
		s.complete(w, r, p, user)
	default:
		s.errorPage(w, http.StatusBadRequest, "Bad request", "Unknown action.")
	}
}

// afterLogin applies the client's auto-approve mode: show the consent page, or
// complete the authorization straight away.
func (s *Server) afterLogin(w http.ResponseWriter, r *http.Request, p *pendingAuthorization, u *User) {
	if s.consentNeeded(u, p) {
		s.consentPage(w, p, u)
		return
	}
	s.mu.Lock()
	delete(s.pending, p.id)
	s.mu.Unlock()
	s.noteConsent(u, p, false, false)
	s.complete(w, r, p, u)
}

// consentNeeded follows Cezanne's three documented auto-approve modes, or
// the undocumented one a test put the client in (consent.go). Remembered consent is per user, per client, per scope: asking for a scope
// not granted before counts as a first authorisation.
func (s *Server) consentNeeded(u *User, p *pendingAuthorization) bool {
	s.mu.Lock()
	granted := s.consents[consentKey{u.Username, p.client.ID}]
	known := granted != nil
	for _, sc := range p.scopes {
		known = known && granted[sc]
	}
	mode := s.modes[p.client.ID]
	s.mu.Unlock()
	if show, ok := s.undocumentedConsent(mode, u, p, known); ok {
		return show
	}
	switch mode {
	case AutoApproveAutomatic:
		return !known
	case AutoApproveOnDemand:
		return !known || p.autoApprove != "true"
	default:
		return true
	}
}

func (s *Server) rememberConsent(u *User, p *pendingAuthorization) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := consentKey{u.Username, p.client.ID}
	if s.consents[k] == nil {
		s.consents[k] = map[string]bool{}
	}
	for _, sc := range p.scopes {
		s.consents[k][sc] = true
	}
}

// complete issues a code (or, for response_type=token, an access token in the
// fragment) and redirects the browser to the registered redirect URI.
func (s *Server) complete(w http.ResponseWriter, r *http.Request, p *pendingAuthorization, u *User) {
	if p.responseType == "token" {
		tok := s.issueAccess(u, p.client, p.scopes, "")
		frag := url.Values{}
		frag.Set("token_type", "bearer")
		frag.Set("access_token", tok.value)
		frag.Set("scope", strings.Join(p.scopes, " "))
		frag.Set("expires_in", strconv.Itoa(int(tok.ttl/time.Second)))
		if p.hasState {
			frag.Set("state", p.state)
		}
		http.Redirect(w, r, stripFragment(p.redirectURI)+"#"+frag.Encode(), http.StatusFound)
		return
	}
	code := s.issueCode(u, p)
	params := url.Values{}
	params.Set("code", code)
	if p.hasState {
		params.Set("state", p.state)
	}
	http.Redirect(w, r, withQuery(p.redirectURI, params), http.StatusFound)
}

// redirectError returns an OAuth error to the client's (already validated)
// redirect URI, echoing state unchanged when it was sent.
func (s *Server) redirectError(w http.ResponseWriter, r *http.Request, p *pendingAuthorization, code, desc string) {
	params := url.Values{}
	params.Set("error", code)
	params.Set("error_description", desc)
	if p.hasState {
		params.Set("state", p.state)
	}
	if p.responseType == "token" {
		http.Redirect(w, r, stripFragment(p.redirectURI)+"#"+params.Encode(), http.StatusFound)
		return
	}
	http.Redirect(w, r, withQuery(p.redirectURI, params), http.StatusFound)
}

// pkceRequestProblem refuses what a strict server refuses (RFC 9700
// §2.1.1): plain, or a challenge without a method (plain by default),
// lets anyone who sees the Authorize URL redeem the code.
func pkceRequestProblem(p *pendingAuthorization) string {
	switch {
	case p.codeChallenge == "" && p.challengeMeth != "":
		return "code_challenge_method was sent without a code_challenge."
	case p.codeChallenge != "" && p.challengeMeth != "S256":
		return "Only code_challenge_method S256 is supported; send code_challenge_method=S256."
	}
	return ""
}

func (s *Server) sessionUserLocked(r *http.Request) *User {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	return s.users[s.sessions[c.Value]]
}

// withQuery appends params to a redirect URI that may already carry a query.
func withQuery(base string, params url.Values) string {
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return stripFragment(base) + sep + params.Encode()
}

func stripFragment(u string) string {
	if i := strings.IndexByte(u, '#'); i >= 0 {
		return u[:i]
	}
	return u
}

func scopeNames(scopes []string) []string {
	out := make([]string, 0, len(scopes))
	for _, s := range scopes {
		switch s {
		case ScopeRead:
			out = append(out, "Read your HR data through the API (APIRead)")
		case ScopeWrite:
			out = append(out, "Change your HR data through the API (APIWrite)")
		default:
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}
