package auth

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// Scopes Cezanne grants to API clients.
const (
	ScopeRead  = "http://www.cezannehr.com/auth-scope/APIRead"
	ScopeWrite = "http://www.cezannehr.com/auth-scope/APIWrite"
)

// Values of Profile.GrantType.
const (
	// GrantBrowser is the installed-application flow: a person signs in in
	// the browser and the app keeps a refresh token.
	GrantBrowser = "authorization_code"
	// GrantServiceAccount is client_credentials: the client acts as its
	// service account, with no browser and no refresh token.
	GrantServiceAccount = "client_credentials"
)

// Values of Profile.AutoApprove.
const (
	AutoApproveOmit  = "omit"
	AutoApproveTrue  = "true"
	AutoApproveFalse = "false"
)

// Profile is everything needed to sign in to one tenant with one client,
// except the client secret, which lives in the keyring or the environment.
// Its JSON form is the --profile file IT hands to staff.
type Profile struct {
	Name           string   `json:"name"`
	Subdomain      string   `json:"subdomain,omitempty"`
	BaseURL        string   `json:"base_url,omitempty"`
	DataServiceURL string   `json:"data_service_url,omitempty"`
	ClientID       string   `json:"client_id"`
	GrantType      string   `json:"grant_type,omitempty"`
	RedirectURI    string   `json:"redirect_uri,omitempty"`
	Scopes         []string `json:"scopes"`
	AutoApprove    string   `json:"auto_approve,omitempty"`
	PKCE           *bool    `json:"pkce,omitempty"`
	// Demo marks the built-in sandbox tenant, whose address is only known
	// once it has started.
	Demo bool `json:"demo,omitempty"`
	// DataServiceConfirmed says the person agreed that a data service at
	// another origin than the tenant may receive their sign-in. It is
	// never read from or written to a profile's JSON: only the person
	// gives it, on the form, and the app keeps it apart from profiles.
	DataServiceConfirmed bool `json:"-"`
}

// ServiceAccount reports whether the profile signs in with client_credentials.
func (p *Profile) ServiceAccount() bool { return p.GrantType == GrantServiceAccount }

// UsePKCE reports whether to send a PKCE challenge (on unless switched off).
func (p *Profile) UsePKCE() bool { return p.PKCE == nil || *p.PKCE }

var subdomainRE = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)

// Normalize fills defaults and validates, returning an error a person can act on.
func (p *Profile) Normalize() error {
	p.Name = strings.TrimSpace(p.Name)
	p.Subdomain = strings.ToLower(strings.TrimSpace(p.Subdomain))
	p.BaseURL = trimURL(p.BaseURL)
	p.DataServiceURL = trimURL(p.DataServiceURL)
	p.ClientID = strings.TrimSpace(p.ClientID)
	p.RedirectURI = strings.TrimSpace(p.RedirectURI)

	if err := p.normalizeTenant(); err != nil {
		return err
	}
	if p.Name == "" {
		p.Name = p.defaultName()
	}
	if p.ClientID == "" {
		return errors.New("enter the client ID that Cezanne support gave you for this application")
	}
	if err := p.normalizeGrant(); err != nil {
		return err
	}
	scopes, err := normalizeScopes(p.Scopes)
	if err != nil {
		return err
	}
	p.Scopes = scopes
	switch p.AutoApprove {
	case "", AutoApproveOmit:
		if !p.ServiceAccount() {
			p.AutoApprove = AutoApproveOmit
		}
	case AutoApproveTrue, AutoApproveFalse:
	default:
		return fmt.Errorf("auto_approve must be \"omit\", \"true\" or \"false\", not %q", p.AutoApprove)
	}
	return nil
}

// normalizeTenant checks where the tenant is: a subdomain or a base URL
// (the demo tenant's is only known once it runs), and the data service.
func (p *Profile) normalizeTenant() error {
	switch {
	case p.Subdomain != "" && p.BaseURL != "":
		return errors.New("give either a tenant subdomain or a base URL, not both")
	case p.Subdomain != "":
		if !subdomainRE.MatchString(p.Subdomain) {
			return fmt.Errorf("%q is not a tenant subdomain: use the part before .cezanneondemand.com, e.g. w3", p.Subdomain)
		}
	case p.BaseURL != "":
		if err := checkServiceURL("base URL", p.BaseURL); err != nil {
			return err
		}
	case !p.Demo:
		return errors.New("enter your tenant: its subdomain (the part before .cezanneondemand.com) or its base URL")
	}
	if p.DataServiceURL != "" {
		if err := checkServiceURL("data service URL", p.DataServiceURL); err != nil {
			return err
		}
	}
	return nil
}

// normalizeGrant checks the grant type and what it needs: a redirect URI
// for the browser, nothing browser-related for a service account.
func (p *Profile) normalizeGrant() error {
	switch p.GrantType {
	case "", GrantBrowser:
		p.GrantType = ""
		if _, err := ParseRedirectURI(p.RedirectURI); err != nil {
			return err
		}
	case GrantServiceAccount:
		// A service account has no browser step: nothing to redirect to.
		p.RedirectURI, p.AutoApprove, p.PKCE = "", "", nil
	default:
		return fmt.Errorf("grant_type must be %q (sign in in the browser) or %q (service account), not %q", GrantBrowser, GrantServiceAccount, p.GrantType)
	}
	return nil
}

// trimURL drops spaces and trailing slashes in any mix ("https://h/x /"),
// so that normalizing a normalized profile changes nothing.
func trimURL(s string) string {
	return strings.TrimRightFunc(strings.TrimSpace(s), func(r rune) bool { return r == '/' || unicode.IsSpace(r) })
}

func (p *Profile) defaultName() string {
	switch {
	case p.Demo:
		return "Demo tenant"
	case p.Subdomain != "":
		return p.Subdomain
	}
	if u, err := url.Parse(p.BaseURL); err == nil {
		return u.Host
	}
	return p.BaseURL
}

// normalizeScopes accepts full scope URIs or their short names (APIRead).
func normalizeScopes(in []string) ([]string, error) {
	var out []string
	for _, s := range in {
		s = strings.TrimSpace(s)
		switch strings.ToLower(s) {
		case "":
			continue
		case "apiread":
			s = ScopeRead
		case "apiwrite":
			s = ScopeWrite
		}
		if strings.ContainsAny(s, " \t\"\\") {
			return nil, fmt.Errorf("scope %q may not contain spaces or quotes", s)
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("choose at least one scope (APIRead to read people)")
	}
	return out, nil
}

// checkServiceURL allows https anywhere and plain http only on this computer,
// so that tokens never cross a network unencrypted.
func checkServiceURL(what, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("the %s %q is not a web address like https://w3.cezanneondemand.com/CezanneOnDemand", what, raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopbackHost(u.Hostname()) {
			return fmt.Errorf("the %s must use https (http is allowed only for 127.0.0.1 or localhost): %s", what, raw)
		}
	default:
		return fmt.Errorf("the %s must start with https://: %s", what, raw)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("the %s may not contain a query, fragment or user name: %s", what, raw)
	}
	return nil
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Root is the tenant root, e.g. https://w3.cezanneondemand.com/CezanneOnDemand.
func (p *Profile) Root() string {
	if p.BaseURL != "" {
		return p.BaseURL
	}
	return "https://" + p.Subdomain + ".cezanneondemand.com/CezanneOnDemand"
}

// AuthorizeEndpoint, TokenEndpoint and TokenInfoEndpoint are the documented
// OAuth endpoints below the tenant root.
func (p *Profile) AuthorizeEndpoint() string { return p.Root() + "/OAuth/Authorize" }

func (p *Profile) TokenEndpoint() string { return p.Root() + "/OAuth/Token" }

func (p *Profile) TokenInfoEndpoint() string { return p.Root() + "/OAuth/TokenInfo" }

// DataService is the OData service root.
func (p *Profile) DataService() string {
	if p.DataServiceURL != "" {
		return p.DataServiceURL
	}
	return p.Root() + "/DataService.svc"
}

// DataServiceOrigin is the scheme, host and port of the data service.
func (p *Profile) DataServiceOrigin() string { return canonicalOrigin(p.DataService()) }

// CrossOriginDataService reports whether the data service is elsewhere
// than the tenant: it then receives the bearer token too.
func (p *Profile) CrossOriginDataService() bool { return p.DataServiceOrigin() != p.TenantOrigin() }

// CheckDataService refuses a data service at another origin than the
// tenant unless the person has confirmed it.
func (p *Profile) CheckDataService() error {
	if p.CrossOriginDataService() && !p.DataServiceConfirmed {
		return &DataServiceError{Profile: p.Name, Tenant: p.TenantOrigin(), DataService: p.DataServiceOrigin()}
	}
	return nil
}

// DataServiceError is a profile whose data service is at another address
// than its tenant, not confirmed by the person: signing in would hand
// that address the sign-in.
type DataServiceError struct {
	Profile, Tenant, DataService string
}

func (e *DataServiceError) Error() string {
	return fmt.Sprintf("the profile %s sends your sign-in to a data service at %s, which is not your tenant's address (%s); "+
		"if that is right, confirm it under Advanced options on the sign-in form, otherwise ask whoever gave you the profile",
		e.Profile, DisplayOrigin(e.DataService), DisplayOrigin(e.Tenant))
}
