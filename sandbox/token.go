package sandbox

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

type authCode struct {
	user          *User
	client        *OAuthClient
	redirectURI   string
	scopes        []string
	codeChallenge string // S256: the authorize endpoint takes no other method
	expires       time.Time
	used          bool
	grantID       string // set once exchanged, so a replay can revoke it
}

type accessToken struct {
	value   string
	ttl     time.Duration
	user    *User
	client  *OAuthClient
	scopes  []string
	expires time.Time
	grantID string
}

type refreshToken struct {
	grantID string
	current bool // false once rotated away; using it again is reuse
}

// grant is one user's authorisation of one client: the chain of refresh
// tokens and access tokens that came from a single code.
type grant struct {
	id      string
	user    *User
	client  *OAuthClient
	scopes  []string
	revoked bool
}

func (s *Server) issueCode(u *User, p *pendingAuthorization) string {
	code := randomToken("Pzw5!I", 32)
	s.mu.Lock()
	s.codes[code] = &authCode{
		user: u, client: p.client, redirectURI: p.redirectURI, scopes: p.scopes,
		codeChallenge: p.codeChallenge,
		expires:       s.cfg.Now().Add(s.cfg.CodeTTL),
	}
	s.mu.Unlock()
	return code
}

func (s *Server) issueAccess(u *User, c *OAuthClient, scopes []string, grantID string) *accessToken {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issueAccessLocked(u, c, scopes, grantID)
}

func (s *Server) issueAccessLocked(u *User, c *OAuthClient, scopes []string, grantID string) *accessToken {
	t := &accessToken{
		value: randomToken("gAAAA", 48), ttl: s.accessTTL, user: u, client: c, scopes: scopes,
		expires: s.cfg.Now().Add(s.accessTTL), grantID: grantID,
	}
	s.access[t.value] = t
	return t
}

func (s *Server) accessResponse(t *accessToken, refresh string) *tokenResponse {
	return &tokenResponse{
		AccessToken: t.value, TokenType: "bearer", ExpiresIn: int(t.ttl / time.Second),
		RefreshToken: refresh, Scope: strings.Join(t.scopes, " "),
	}
}

// tokenResponse is the documented JSON body of a successful token request.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope,omitempty"`
}

type oauthError struct {
	status int
	code   string
	desc   string
}

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, &oauthError{http.StatusBadRequest, "invalid_request", "The request body could not be read."})
		return
	}
	var resp *tokenResponse
	var oerr *oauthError
	switch gt := r.PostForm.Get("grant_type"); gt {
	case GrantAuthorizationCode:
		resp, oerr = s.exchangeCode(r)
	case GrantRefreshToken:
		resp, oerr = s.refreshGrant(r)
	case GrantClientCredentials:
		resp, oerr = s.clientCredentials(r)
	case "":
		oerr = &oauthError{http.StatusBadRequest, "invalid_request", "grant_type is missing."}
	default:
		oerr = &oauthError{http.StatusBadRequest, "unsupported_grant_type", "grant_type " + strconv.Quote(gt) + " is not supported."}
	}
	if oerr != nil {
		writeOAuthError(w, oerr)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, resp)
}

// authenticateClient accepts the credentials in the body, as Cezanne documents
// for the code and refresh grants, or in a Basic header.
func (s *Server) authenticateClient(r *http.Request, requireBasic bool) (*OAuthClient, *oauthError) {
	id, secret, basic := r.BasicAuth()
	if !basic {
		if requireBasic {
			return nil, &oauthError{http.StatusUnauthorized, "invalid_client", "The Authorization: Basic header with the client credentials is required."}
		}
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	c, ok := s.clients[id]
	if !ok || c.Secret == "" || subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) != 1 {
		return nil, &oauthError{http.StatusUnauthorized, "invalid_client", "Client authentication failed."}
	}
	return c, nil
}

func (s *Server) exchangeCode(r *http.Request) (*tokenResponse, *oauthError) {
	client, oerr := s.authenticateClient(r, false)
	if oerr != nil {
		return nil, oerr
	}
	if !client.allowsGrant(GrantAuthorizationCode) {
		return nil, &oauthError{http.StatusBadRequest, "unauthorized_client", "This client may not use the authorization_code grant."}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	code := s.codes[r.PostForm.Get("code")]
	switch {
	case code == nil:
		return nil, &oauthError{http.StatusBadRequest, "invalid_grant", "The authorization code is not valid."}
	case code.used:
		// A replayed code means it leaked: revoke what it produced (RFC 6749 §4.1.2).
		if g := s.grants[code.grantID]; g != nil {
			g.revoked = true
		}
		return nil, &oauthError{http.StatusBadRequest, "invalid_grant", "The authorization code has already been used."}
	case s.cfg.Now().After(code.expires):
		return nil, &oauthError{http.StatusBadRequest, "invalid_grant", "The authorization code has expired."}
	case code.client != client:
		return nil, &oauthError{http.StatusBadRequest, "invalid_grant", "The authorization code was issued to another client."}
	case code.redirectURI != r.PostForm.Get("redirect_uri"):
		return nil, &oauthError{http.StatusBadRequest, "invalid_grant", "redirect_uri does not match the one used to get the code."}
	}
	if why := pkceProblem(code, r.PostForm); why != "" {
		return nil, &oauthError{http.StatusBadRequest, "invalid_grant", why}
	}
	code.used = true
	s.stats.CodeExchanges++
	g := &grant{id: randomToken("g_", 12), user: code.user, client: client, scopes: code.scopes}
	s.grants[g.id] = g
	code.grantID = g.id
	return s.tokensForGrantLocked(g), nil
}

// pkceProblem says why the exchange's code_verifier does not fit the code,
// or "". A verifier for a code requested without a challenge is refused
// (RFC 9700 §2.1.1): that is what a PKCE downgrade looks like, and a
// server that took it could not tell a client that stopped sending the
// challenge from one that never did. The authorize endpoint accepts S256
// only, so that is the one method checked here.
func pkceProblem(code *authCode, form url.Values) string {
	verifier := form.Get("code_verifier")
	switch {
	case code.codeChallenge == "" && form.Has("code_verifier"):
		return "A code_verifier was sent, but the authorization request had no code_challenge."
	case code.codeChallenge == "":
		// Cezanne documents no PKCE: a plain request without it still works.
		return ""
	case verifier == "":
		return "The code_verifier is missing; the authorization request had a code_challenge."
	}
	sum := sha256.Sum256([]byte(verifier))
	if subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(code.codeChallenge)) != 1 {
		return "The code_verifier does not match the code_challenge."
	}
	return ""
}

// tokensForGrantLocked issues a fresh access token and refresh token for g.
func (s *Server) tokensForGrantLocked(g *grant) *tokenResponse {
	at := s.issueAccessLocked(g.user, g.client, g.scopes, g.id)
	rt := randomToken("qZR6!I", 40)
	s.refresh[rt] = &refreshToken{grantID: g.id, current: true}
	return s.accessResponse(at, rt)
}

func (s *Server) refreshGrant(r *http.Request) (*tokenResponse, *oauthError) {
	client, oerr := s.authenticateClient(r, false)
	if oerr != nil {
		return nil, oerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rt := s.refresh[r.PostForm.Get("refresh_token")]
	var g *grant
	if rt != nil {
		g = s.grants[rt.grantID]
	}
	switch {
	case rt == nil || g == nil || g.client != client:
		return nil, &oauthError{http.StatusBadRequest, "invalid_grant", "The refresh token is not valid."}
	case g.revoked:
		return nil, &oauthError{http.StatusBadRequest, "invalid_grant", "Access for this application has been revoked."}
	case !rt.current:
		// Reuse of a rotated-away refresh token: someone else has a copy.
		g.revoked = true
		s.stats.ReuseDetected++
		return nil, &oauthError{http.StatusBadRequest, "invalid_grant", "The refresh token has already been used; access has been revoked."}
	}
	s.stats.Refreshes++
	if !s.rotation {
		at := s.issueAccessLocked(g.user, g.client, g.scopes, g.id)
		return s.accessResponse(at, r.PostForm.Get("refresh_token")), nil
	}
	rt.current = false
	return s.tokensForGrantLocked(g), nil
}

func (s *Server) clientCredentials(r *http.Request) (*tokenResponse, *oauthError) {
	client, oerr := s.authenticateClient(r, true)
	if oerr != nil {
		return nil, oerr
	}
	if !client.allowsGrant(GrantClientCredentials) || client.ServiceAccount == "" {
		return nil, &oauthError{http.StatusBadRequest, "unauthorized_client", "This client has no enabled service account."}
	}
	scopes := splitScope(r.PostForm.Get("scope"))
	if len(scopes) == 0 {
		scopes = client.Scopes
	}
	if !client.allowsScopes(scopes) {
		return nil, &oauthError{http.StatusBadRequest, "invalid_scope", "The requested scope is not granted to this client."}
	}
	at := s.issueAccess(s.users[client.ServiceAccount], client, scopes, "")
	return s.accessResponse(at, ""), nil
}

// bearer authenticates an API request. Cezanne accepts the token in the
// Authorization header or, discouraged, in the access_token query parameter.
func (s *Server) bearer(r *http.Request) (*accessToken, string) {
	value := ""
	if h := r.Header.Get("Authorization"); len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		value = strings.TrimSpace(h[7:])
	} else if v := r.URL.Query().Get("access_token"); v != "" {
		value = v
	}
	if value == "" {
		return nil, "No access token was sent. Send it in the Authorization: Bearer header."
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.access[value]
	switch {
	case t == nil:
		return nil, "The access token is not valid."
	case s.cfg.Now().After(t.expires):
		return nil, "The access token has expired."
	case t.grantID != "" && s.grants[t.grantID] != nil && s.grants[t.grantID].revoked:
		return nil, "Access for this application has been revoked."
	}
	return t, ""
}

// tokenInfo is the documented TokenInfo body.
type tokenInfo struct {
	PersonGUID    string   `json:"PersonGuid"`
	TenantGUID    string   `json:"TenantGuid"`
	RoleGUID      string   `json:"RoleGuid"`
	UserGUID      string   `json:"UserGuid"`
	Username      string   `json:"Username"`
	CountryID     int      `json:"CountryId"`
	CountryName   string   `json:"CountryName"`
	EmailAddress  string   `json:"EmailAddress"`
	FirstName     string   `json:"FirstName"`
	FormattedName string   `json:"FormattedName"`
	LastName      string   `json:"LastName"`
	LocaleID      int      `json:"LocaleId"`
	LocaleName    string   `json:"LocaleName"`
	RoleHierarchy []string `json:"RoleHierarchy"`
	TimeZone      string   `json:"TimeZone"`
}

func (s *Server) handleTokenInfo(w http.ResponseWriter, r *http.Request) {
	t, why := s.bearer(r)
	if t == nil {
		unauthorized(w, why)
		return
	}
	u := t.user
	personGUID := u.PersonGUID
	if personGUID == "" {
		personGUID = "00000000-0000-0000-0000-000000000000"
	}
	writeJSON(w, http.StatusOK, tokenInfo{
		PersonGUID: personGUID, TenantGUID: TenantGUID, RoleGUID: u.RoleGUID, UserGUID: u.UserGUID,
		Username: u.Username, CountryID: u.CountryID, CountryName: u.CountryName, EmailAddress: u.Username,
		FirstName: u.FirstName, FormattedName: u.FormattedName, LastName: u.LastName,
		LocaleID: u.LocaleID, LocaleName: u.LocaleName, RoleHierarchy: u.RoleHierarchy, TimeZone: u.TimeZone,
	})
}

func writeOAuthError(w http.ResponseWriter, e *oauthError) {
	if e.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="Cezanne OnDemand"`)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, e.status, map[string]string{"error": e.code, "error_description": e.desc})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
