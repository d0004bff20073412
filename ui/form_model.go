package ui

import (
	"net/url"
	"slices"
	"strings"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
)

const (
	choiceDemo = "Demo tenant (built-in sandbox)"
	choiceNew  = "New profile…"

	callbackLoopback = "Loopback listener (http://127.0.0.1)"
	callbackScheme   = "Custom scheme (x-cez://)"

	kindBrowser = "Sign in in the browser"
	kindService = "Service account (the application signs in as itself)"
)

// Auto-approve choices as shown; the profile stores omit/true/false.
var autoApproveChoices = []string{"Omit", "true", "false"}

// defaultRedirect is offered for new profiles: a loopback URI with a fixed
// port, which is what Cezanne support registers for desktop apps here.
const defaultRedirect = "http://127.0.0.1:47613/oauth-callback/"

// formModel is what the profile form holds. Widgets write into it; one
// render shows it. Its methods are pure: they return a changed copy.
type formModel struct {
	choice      string // choiceDemo, choiceNew or a profile's name
	kind        string // kindBrowser or kindService
	name        string
	tenant      string // a subdomain, or a base URL
	clientID    string
	secret      string
	redirect    string
	scopeRead   bool
	scopeWrite  bool
	autoApprove string // one of autoApproveChoices
	pkce        bool
	callback    string // callbackLoopback or callbackScheme

	// Advanced options: an OData root of its own, and the person's
	// confirmation that it may receive the sign-in when it is elsewhere.
	dataService          string
	dataServiceConfirmed bool

	// QA options for one sign-in; not saved with the profile.
	qaScopes string
	qaState  string

	// from is the profile shown (nil for the demo). Signing in starts
	// from it, so that what the form has no field for (a scope of the
	// tenant's own, a key added later) and what the person left alone
	// (the tenant as the file gives it, PKCE not mentioned) stay as the
	// file has them.
	from *auth.Profile
}

// withProfile is m showing profile p as choice; nil means the demo
// tenant. What is not part of a profile (the QA options, and the demo's
// callback choice) stays as it was in m.
func (m formModel) withProfile(choice string, p *auth.Profile) formModel {
	demo := p == nil || p.Demo
	if demo {
		p = &auth.Profile{Scopes: []string{auth.ScopeRead}, RedirectURI: defaultRedirect}
	}
	n := formModel{
		choice: choice, name: p.Name, clientID: p.ClientID, redirect: p.RedirectURI,
		scopeRead: slices.Contains(p.Scopes, auth.ScopeRead), scopeWrite: slices.Contains(p.Scopes, auth.ScopeWrite),
		autoApprove: "Omit", pkce: p.UsePKCE(), kind: kindBrowser,
		callback: m.callback, qaScopes: m.qaScopes, qaState: m.qaState,
		dataService: p.DataServiceURL, dataServiceConfirmed: p.DataServiceConfirmed,
		tenant: tenantText(p),
	}
	if !demo {
		n.from = p
	}
	if n.redirect == "" {
		n.redirect = defaultRedirect
	}
	if p.AutoApprove == auth.AutoApproveTrue || p.AutoApprove == auth.AutoApproveFalse {
		n.autoApprove = p.AutoApprove
	}
	if p.ServiceAccount() {
		n.kind = kindService
	}
	return n.syncCallback()
}

// tenantText is p's tenant as the form shows it: its base URL, or its
// subdomain.
func tenantText(p *auth.Profile) string {
	if p.BaseURL != "" {
		return p.BaseURL
	}
	return p.Subdomain
}

// modelFor is a fresh form showing p as choice.
func modelFor(choice string, p *auth.Profile) formModel {
	return formModel{}.withProfile(choice, p)
}

func (m formModel) demo() bool { return m.choice == choiceDemo || m.choice == "" }

// syncCallback shows the redirect URI's kind on the callback switch; the
// demo keeps its switch (loopback unless QA chose otherwise).
func (m formModel) syncCallback() formModel {
	if m.demo() {
		if m.callback == "" {
			m.callback = callbackLoopback
		}
		return m
	}
	m.callback = callbackLoopback
	if isCustomScheme(m.redirect) {
		m.callback = callbackScheme
	}
	return m
}

// withRedirect is m with a redirect URI typed in.
func (m formModel) withRedirect(uri string) formModel {
	m.redirect = uri
	return m.syncCallback()
}

// withCallback switches where the callback is received: for the demo
// tenant its loopback or x-cez client, for a profile the redirect URI.
func (m formModel) withCallback(choice string) formModel {
	m.callback = choice
	if m.demo() {
		return m
	}
	r, _ := auth.ParseRedirectURI(m.redirect)
	isScheme := r != nil && r.Kind == auth.RedirectCustomScheme
	switch {
	case choice == callbackScheme && !isScheme:
		m.redirect = defaultCustomRedirect
	case choice == callbackLoopback && (isScheme || r == nil):
		m.redirect = defaultRedirect
	}
	return m.syncCallback()
}

func isCustomScheme(uri string) bool {
	r, err := auth.ParseRedirectURI(uri)
	return err == nil && r.Kind == auth.RedirectCustomScheme
}

// qaChoices are the QA options a person set for one profile, remembered
// with it. auto_approve, PKCE and the callback belong to a saved profile
// itself; the demo, which has none, keeps them here.
type qaChoices struct {
	ExtraScopes string `json:"extra_scopes,omitempty"`
	State       string `json:"state,omitempty"`
	AutoApprove string `json:"auto_approve,omitempty"`
	NoPKCE      bool   `json:"no_pkce,omitempty"`
	Scheme      bool   `json:"scheme,omitempty"`
}

// qa is what m's QA options hold apart from the profile.
func (m formModel) qa() qaChoices {
	q := qaChoices{ExtraScopes: m.qaScopes, State: m.qaState}
	if m.demo() {
		if m.autoApprove != "Omit" {
			q.AutoApprove = m.autoApprove
		}
		q.NoPKCE, q.Scheme = !m.pkce, m.callback == callbackScheme
	}
	return q
}

// withQA is m with the QA choices q remembered for its profile.
func (m formModel) withQA(q qaChoices) formModel {
	m.qaScopes, m.qaState = q.ExtraScopes, q.State
	if m.demo() {
		m.autoApprove, m.pkce, m.callback = "Omit", !q.NoPKCE, callbackLoopback
		if slices.Contains(autoApproveChoices, q.AutoApprove) {
			m.autoApprove = q.AutoApprove
		}
		if q.Scheme {
			m.callback = callbackScheme
		}
	}
	return m
}

// qaSet reports whether m sends anything but what QA options send by
// default: the options then show, so nobody signs in with them unawares.
func (m formModel) qaSet() bool {
	return m.qa() != qaChoices{} || (!m.demo() && (m.autoApprove != "Omit" || !m.pkce))
}

// formVisibility is which parts of the form show.
type formVisibility struct {
	demoNote     bool // the demo tenant's explanation
	tenantForm   bool // sign-in type, name, tenant, client ID and secret
	redirectForm bool
	browserForm  bool // auto_approve and PKCE
	profileFile  bool // export and delete are enabled
	// dataServiceConfirm is the tick that lets a data service at another
	// origin than the tenant receive the sign-in.
	dataServiceConfirm bool
}

// visible is which parts of the form m shows: the demo needs no tenant,
// and a service account no browser settings.
func (m formModel) visible() formVisibility {
	demo, service := m.demo(), m.kind == kindService
	return formVisibility{
		demoNote:     demo,
		tenantForm:   !demo,
		redirectForm: !demo && !service,
		browserForm:  demo || !service,
		profileFile:  !demo,

		dataServiceConfirm: m.dataServiceElsewhere() != "",
	}
}

// dataServiceElsewhere is the origin of the data service typed when it is
// not the tenant's ("" otherwise): it would receive the sign-in too.
func (m formModel) dataServiceElsewhere() string {
	data := strings.TrimSpace(m.dataService)
	if m.demo() || data == "" {
		return ""
	}
	p := m.tenantOf()
	p.DataServiceURL = data
	if !p.CrossOriginDataService() {
		return ""
	}
	return p.DataServiceOrigin()
}

// tenantOf is the tenant typed: a subdomain, or what a person pastes from
// the address bar (a host, or any address on the tenant).
func (m formModel) tenantOf() *auth.Profile { return parseTenant(m.tenant) }

// cezanneHost is where Cezanne's hosted tenants live, one subdomain each.
const cezanneHost = ".cezanneondemand.com"

// parseTenant understands "acme", "acme.cezanneondemand.com" and addresses
// copied from the browser ("https://acme.cezanneondemand.com/CezanneOnDemand/Home"):
// a hosted tenant becomes its subdomain; another address keeps its path up
// to the CezanneOnDemand folder. What it cannot read is passed on as typed,
// for Normalize to explain.
func parseTenant(typed string) *auth.Profile {
	t := strings.TrimSpace(typed)
	if t == "" || !strings.ContainsAny(t, ".:/") {
		return &auth.Profile{Subdomain: strings.ToLower(t)}
	}
	raw := t
	if !strings.Contains(t, "://") {
		raw = "https://" + t
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return &auth.Profile{BaseURL: t}
	}
	host := strings.ToLower(u.Hostname())
	if sub, ok := strings.CutSuffix(host, cezanneHost); ok && u.Scheme == "https" && u.Port() == "" && !strings.Contains(sub, ".") {
		return &auth.Profile{Subdomain: sub}
	}
	path := u.EscapedPath()
	if i := strings.Index(strings.ToLower(path+"/"), "/cezanneondemand/"); i >= 0 {
		path = path[:i+len("/CezanneOnDemand")]
	}
	// The query and fragment of a pasted page address say nothing about
	// the tenant; a user name would, and is refused by Normalize.
	base := &url.URL{Scheme: u.Scheme, User: u.User, Host: u.Host, Path: strings.TrimRight(path, "/")}
	return &auth.Profile{BaseURL: base.String()}
}

// tenantHint says where the tenant typed signs in, once it can be read.
func (m formModel) tenantHint() string {
	p := m.tenantOf()
	typed := strings.TrimRight(strings.TrimSpace(m.tenant), "/")
	if typed == "" || normalized(p) != nil || typed == p.Root() {
		return "" // nothing to add to what is typed
	}
	return "Signs in at " + p.Root()
}

// normalized is p's own error (its tenant, data service or extra scopes),
// with the fields that are not being checked filled in validly.
func normalized(p *auth.Profile) error {
	q := *p
	if q.Subdomain == "" && q.BaseURL == "" {
		q.Subdomain = "w3"
	}
	if q.ClientID == "" {
		q.ClientID = "client"
	}
	q.RedirectURI, q.Scopes = defaultRedirect, append([]string{auth.ScopeRead}, p.Scopes...)
	return q.Normalize()
}

// field is one of the form's inputs that can be filled in wrongly.
type field int

const (
	fieldTenant field = iota
	fieldClientID
	fieldSecret
	fieldRedirect
	fieldScopes
	fieldDataService
	fieldQAScopes
	fieldCount
)

// fieldNames are the fields as the form labels them, for the summary.
var fieldNames = [fieldCount]string{"Tenant", "Client ID", "Client secret", "Redirect URI", "Permissions", "Data service URL", "Extra scopes"}

// fieldProblems say what is wrong with each field ("" when it is fine).
type fieldProblems [fieldCount]string

// names are the fields with a problem, in the form's order.
func (p fieldProblems) names() []string {
	var out []string
	for i, msg := range p {
		if msg != "" {
			out = append(out, fieldNames[i])
		}
	}
	return out
}

// problems are what stops m from being signed in with, field by field.
// secretKnown says the client secret needs no typing: it was saved for
// this tenant and client, or comes from the environment.
func (m formModel) problems(secretKnown bool) fieldProblems {
	var out fieldProblems
	say := func(f field, err error) {
		if err != nil {
			out[f] = errorText(err)
		}
	}
	if len(m.scopes()) == 0 {
		out[fieldScopes] = "Choose at least one: the app needs to read people's details, change them, or both."
	}
	if extra := strings.Fields(m.qaScopes); len(extra) > 0 {
		say(fieldQAScopes, normalized(&auth.Profile{Scopes: extra}))
	}
	if m.demo() {
		return out
	}
	if t := m.tenantOf(); t.Subdomain == "" && t.BaseURL == "" {
		out[fieldTenant] = "Enter your tenant: its subdomain (the part before .cezanneondemand.com) or its address."
	} else {
		say(fieldTenant, normalized(t))
	}
	if strings.TrimSpace(m.clientID) == "" {
		out[fieldClientID] = "Enter the client ID that Cezanne support gave you for this application."
	}
	if !secretKnown && strings.TrimSpace(m.secret) == "" {
		out[fieldSecret] = "Enter the client secret that Cezanne support gave you for this application; it is kept in your system keyring."
	}
	if m.kind != kindService {
		_, err := auth.ParseRedirectURI(strings.TrimSpace(m.redirect))
		say(fieldRedirect, err)
	}
	if data := strings.TrimSpace(m.dataService); data != "" {
		say(fieldDataService, normalized(&auth.Profile{DataServiceURL: data}))
	}
	return out
}

// scheme is the custom scheme the form would sign in with, or "".
func (m formModel) scheme() string {
	if m.demo() {
		if m.callback == callbackScheme {
			return "x-cez"
		}
		return ""
	}
	r, err := auth.ParseRedirectURI(m.redirect)
	if err != nil || r.Kind != auth.RedirectCustomScheme || m.kind == kindService {
		return ""
	}
	return r.URL.Scheme
}

// redirectWarning is what to say about a redirect URI that works but is
// not recommended (localhost), when the redirect shows.
func (m formModel) redirectWarning() string {
	if !m.visible().redirectForm {
		return ""
	}
	if r, err := auth.ParseRedirectURI(m.redirect); err == nil {
		return r.Warning
	}
	return ""
}

// profile is the form as a validated profile: the profile shown, with
// what the form's fields say.
func (m formModel) profile() (*auth.Profile, error) {
	pkce := m.pkce
	p := &auth.Profile{}
	if m.from != nil && m.choice != choiceDemo {
		*p = *m.from
	}
	p.Name, p.ClientID, p.RedirectURI = m.name, m.clientID, m.redirect
	p.AutoApprove, p.Scopes = strings.ToLower(m.autoApprove), m.scopes()
	if m.from == nil || pkce != m.from.UsePKCE() {
		p.PKCE = &pkce // a file that does not mention PKCE keeps not mentioning it
	}
	if m.choice == choiceDemo {
		p.Demo, p.ClientID, p.RedirectURI = true, "demo", defaultRedirect
		if m.callback == callbackScheme {
			p.RedirectURI = defaultCustomRedirect
		}
		return p, p.Normalize()
	}
	p.GrantType = ""
	if m.kind == kindService {
		p.GrantType = auth.GrantServiceAccount
	}
	if m.from == nil || m.tenant != tenantText(m.from) {
		// Typed: read as a person types it (a page's address, a host).
		// Untouched, the file's base URL stays a base URL.
		t := m.tenantOf()
		p.BaseURL, p.Subdomain = t.BaseURL, t.Subdomain
	}
	p.DataServiceURL, p.DataServiceConfirmed = m.dataService, false
	if err := p.Normalize(); err != nil {
		return p, err
	}
	// Only a tick for a data service elsewhere counts; one left from
	// another address must not confirm this one.
	p.DataServiceConfirmed = m.dataServiceConfirmed && p.CrossOriginDataService()
	return p, nil
}

// scopes are the scopes ticked, with the profile's other scopes (ones
// of the tenant's own, which the form has no tick for) kept, in the
// profile's order.
func (m formModel) scopes() []string {
	ticked := map[string]bool{auth.ScopeRead: m.scopeRead, auth.ScopeWrite: m.scopeWrite}
	var out []string
	if m.from != nil && m.choice != choiceDemo {
		for _, s := range m.from.Scopes {
			if on, tick := ticked[s]; on || !tick {
				out = append(out, s)
			}
		}
	}
	for _, s := range []string{auth.ScopeRead, auth.ScopeWrite} {
		if ticked[s] && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// qaOptions are the per-run QA settings: scopes to add to the profile's,
// and a state to send instead of a random one.
func (m formModel) qaOptions() (extraScopes []string, state string) {
	return strings.Fields(m.qaScopes), strings.TrimSpace(m.qaState)
}

// schemeCheck is what is known of whether a scheme opens this app.
type schemeCheck struct {
	done       bool // false while the check runs
	registered bool
	err        error
}

// schemeNote is what the form says about signing in through a custom
// scheme (or about a loopback redirect's warning): whether the row shows,
// its text, and whether Register is offered. canRegister is false when
// the build cannot receive custom-scheme links at all.
type schemeNote struct {
	show, register bool
	text           string
}

func (m formModel) schemeNote(canRegister bool, check schemeCheck) schemeNote {
	scheme := m.scheme()
	if scheme == "" {
		w := m.redirectWarning()
		return schemeNote{show: w != "", text: w}
	}
	switch {
	case !canRegister:
		return schemeNote{show: true, text: scheme + ":// links cannot be received by this build."}
	case !check.done:
		return schemeNote{show: true, text: "Checking whether " + scheme + ":// links open this app…"}
	case check.err != nil:
		return schemeNote{show: true, register: true, text: "Could not check whether " + scheme + ":// links open this app: " + errorText(check.err)}
	case check.registered:
		return schemeNote{show: true, text: scheme + ":// links open Cezanne HR Desktop on this computer."}
	default:
		return schemeNote{show: true, register: true,
			text: scheme + ":// links do not open Cezanne HR Desktop on this computer yet; the browser could not hand back the sign-in."}
	}
}
