package sandbox

import (
	"slices"
	"strings"
)

// Scopes Cezanne documents for its APIs.
const (
	ScopeRead  = "http://www.cezannehr.com/auth-scope/APIRead"
	ScopeWrite = "http://www.cezannehr.com/auth-scope/APIWrite"
)

// AutoApproveMode is the per-client "Auto approve mode" that Cezanne support
// sets when it registers an application.
type AutoApproveMode string

const (
	// AutoApproveDisabled always shows the consent page and ignores auto_approve.
	AutoApproveDisabled AutoApproveMode = "Disabled"
	// AutoApproveAutomatic shows the consent page only the first time a user
	// authorises the client and ignores auto_approve.
	AutoApproveAutomatic AutoApproveMode = "Automatic"
	// AutoApproveOnDemand shows the consent page the first time; afterwards
	// auto_approve=true skips it, false or absent shows it.
	AutoApproveOnDemand AutoApproveMode = "OnDemand"
)

// Grant types a client may be registered for.
const (
	GrantAuthorizationCode = "authorization_code"
	GrantRefreshToken      = "refresh_token"
	GrantClientCredentials = "client_credentials"
	GrantImplicit          = "implicit"
)

// DefaultLoopbackRedirect is the loopback redirect URI the demo installed-app
// clients are registered with unless the sandbox is told otherwise.
const DefaultLoopbackRedirect = "http://127.0.0.1:47613/oauth-callback/"

// CustomSchemeRedirect is Cezanne's documented redirect for desktop apps.
const CustomSchemeRedirect = "x-cez://oauth-callback/"

// OAuthClient is an OAuth application registered with the tenant.
type OAuthClient struct {
	ID           string          `json:"client_id"`
	Secret       string          `json:"client_secret,omitempty"`
	Name         string          `json:"name"`
	RedirectURIs []string        `json:"redirect_uris"`
	AutoApprove  AutoApproveMode `json:"auto_approve_mode"`
	GrantTypes   []string        `json:"grant_types"`
	Scopes       []string        `json:"scopes"`
	// ServiceAccount is the username the client acts as for client_credentials.
	ServiceAccount string `json:"service_account,omitempty"`
}

func (c *OAuthClient) allowsGrant(g string) bool { return slices.Contains(c.GrantTypes, g) }

// allowsRedirect compares exactly, as Cezanne does: case and trailing '/' count.
func (c *OAuthClient) allowsRedirect(uri string) bool { return slices.Contains(c.RedirectURIs, uri) }

func (c *OAuthClient) allowsScopes(scopes []string) bool {
	for _, s := range scopes {
		if !slices.Contains(c.Scopes, s) {
			return false
		}
	}
	return true
}

// User is a demo account that can sign in on the sandbox's login page.
type User struct {
	Username      string   `json:"username"`
	Password      string   `json:"password"`
	Role          string   `json:"role"`
	FirstName     string   `json:"-"`
	LastName      string   `json:"-"`
	FormattedName string   `json:"formatted_name"`
	CountryID     int      `json:"-"`
	CountryName   string   `json:"-"`
	LocaleID      int      `json:"-"`
	LocaleName    string   `json:"-"`
	TimeZone      string   `json:"-"`
	PersonGUID    string   `json:"-"`
	UserGUID      string   `json:"-"`
	RoleGUID      string   `json:"-"`
	RoleHierarchy []string `json:"-"`
	// Sees lists the countries whose people this user may see; empty means all,
	// mirroring how API access follows the user's rights in the main application.
	Sees []string `json:"sees_countries,omitempty"`
}

// canSee reports whether the user's rights include a person in country.
func (u *User) canSee(country string) bool {
	return len(u.Sees) == 0 || slices.Contains(u.Sees, country)
}

// TenantGUID identifies the sandbox tenant in TokenInfo.
const TenantGUID = "5a0d3c1e-7f42-4b8e-9d61-0c2a8e5f4b17"

// DemoPassword is shown on the login page; the sandbox holds no real data.
const DemoPassword = "demo1234"

func defaultUsers() []*User {
	hr := "00000000-0000-0000-0000-000000000111"
	mgr := "00000000-0000-0000-0000-000000000222"
	emp := "00000000-0000-0000-0000-000000000333"
	return []*User{
		{
			Username: "hrprof@sandbox.cezannehr.com", Password: DemoPassword, Role: "HR Professional",
			FirstName: "Cheryl", LastName: "Abrahams", FormattedName: "Cheryl Abrahams",
			CountryID: 1, CountryName: "United Kingdom", LocaleID: 2057, LocaleName: "en-GB",
			TimeZone: "GMT Standard Time", PersonGUID: "7ab6ef7a-43cd-472f-852a-bbee3992ad19",
			UserGUID: "85feff6b-4d94-47c3-b429-6713ac346196", RoleGUID: hr, RoleHierarchy: []string{hr},
		},
		{
			Username: "uk.manager@sandbox.cezannehr.com", Password: DemoPassword, Role: "Line Manager (UK)",
			FirstName: "Tom", LastName: "Whitfield", FormattedName: "Tom Whitfield",
			CountryID: 1, CountryName: "United Kingdom", LocaleID: 2057, LocaleName: "en-GB",
			TimeZone: "GMT Standard Time", PersonGUID: "1d3c5b77-9a0e-4f0b-8c2d-6e4a1b9f0c33",
			UserGUID: "c2a4e6f8-0b1d-4c3e-9f5a-7b8c9d0e1f22", RoleGUID: mgr, RoleHierarchy: []string{mgr, emp},
			Sees: []string{"United Kingdom"},
		},
		{
			Username: "fr.manager@sandbox.cezannehr.com", Password: DemoPassword, Role: "Line Manager (France)",
			FirstName: "Amélie", LastName: "Laurent", FormattedName: "Amélie Laurent",
			CountryID: 4, CountryName: "France", LocaleID: 1036, LocaleName: "fr-FR",
			TimeZone: "Romance Standard Time", PersonGUID: "4f6e8d0c-2b1a-4e3d-8c7b-5a9f0e1d2c44",
			UserGUID: "e9d8c7b6-a5f4-4e3d-9c2b-1a0f9e8d7c55", RoleGUID: mgr, RoleHierarchy: []string{mgr, emp},
			Sees: []string{"France"},
		},
	}
}

// ServiceAccountUsername is the account the service-account client acts as.
const ServiceAccountUsername = "integration.service@sandbox.cezannehr.com"

func serviceAccountUser() *User {
	g := "00000000-0000-0000-0000-000000000999"
	return &User{
		Username: ServiceAccountUsername, Role: "Service Account",
		FirstName: "Integration", LastName: "Service", FormattedName: "Integration Service",
		CountryID: 1, CountryName: "United Kingdom", LocaleID: 2057, LocaleName: "en-GB",
		TimeZone: "GMT Standard Time", UserGUID: "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9",
		RoleGUID: g, RoleHierarchy: []string{g},
	}
}

// Demo client IDs. The desktop clients share one loopback redirect so that the
// auto-approve matrix can be walked without changing the app's settings.
const (
	ClientDesktopOnDemand  = "desktop-ondemand.sandbox.cezannehr.com"
	ClientDesktopAutomatic = "desktop-automatic.sandbox.cezannehr.com"
	ClientDesktopDisabled  = "desktop-disabled.sandbox.cezannehr.com"
	ClientDesktopScheme    = "desktop-xcez.sandbox.cezannehr.com"
	ClientService          = "service.sandbox.cezannehr.com"
	ClientJavaScript       = "js.sandbox.cezannehr.com"
)

func defaultClients(loopbackRedirect string) []*OAuthClient {
	both := []string{ScopeRead, ScopeWrite}
	desktop := func(id, name string, mode AutoApproveMode, secret string) *OAuthClient {
		return &OAuthClient{
			ID: id, Secret: secret, Name: name, RedirectURIs: []string{loopbackRedirect},
			AutoApprove: mode, GrantTypes: []string{GrantAuthorizationCode, GrantRefreshToken}, Scopes: both,
		}
	}
	return []*OAuthClient{
		desktop(ClientDesktopOnDemand, "Cezanne HR Desktop (OnDemand)", AutoApproveOnDemand, "A8KbQe6YmLtrhR3WV4Tbz6eqEyWyeaDy"),
		desktop(ClientDesktopAutomatic, "Cezanne HR Desktop (Automatic)", AutoApproveAutomatic, "Mv4cPq7TzR2sWn8YkBd3HfLx6JcVe9Ga"),
		desktop(ClientDesktopDisabled, "Cezanne HR Desktop (Disabled)", AutoApproveDisabled, "Xr5uNb2QmW8eTk4ZsJy7DpFh3GcLv6Ra"),
		{
			ID: ClientDesktopScheme, Secret: "Kd9wRt3YpZ6mQx2BvNc8JfHs5LgTe4Ua", Name: "Cezanne HR Desktop (x-cez)",
			RedirectURIs: []string{CustomSchemeRedirect}, AutoApprove: AutoApproveOnDemand,
			GrantTypes: []string{GrantAuthorizationCode, GrantRefreshToken}, Scopes: both,
		},
		{
			ID: ClientService, Secret: "Sv7cFw2HkQ9pLm4XzTb6RgNy3JdVe8Ea", Name: "Nightly payroll sync",
			RedirectURIs: nil, AutoApprove: AutoApproveDisabled,
			GrantTypes: []string{GrantClientCredentials}, Scopes: []string{ScopeRead},
			ServiceAccount: ServiceAccountUsername,
		},
		{
			ID: ClientJavaScript, Name: "Org chart widget (JavaScript)",
			RedirectURIs: []string{"http://127.0.0.1:47614/org-chart/"}, AutoApprove: AutoApproveAutomatic,
			GrantTypes: []string{GrantImplicit}, Scopes: []string{ScopeRead},
		},
	}
}

// splitScope splits a space-delimited scope parameter, ignoring repeated spaces.
func splitScope(s string) []string { return strings.Fields(s) }
