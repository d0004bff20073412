package sandbox

import (
	"embed"
	"html/template"
	"net/http"
	"net/url"
)

//go:embed templates/*.html
var templateFS embed.FS

var pages = template.Must(template.New("").ParseFS(templateFS, "templates/*.html"))

type pageData struct {
	Title        string
	Message      string
	Request      string
	ClientName   string
	ClientID     string
	Scopes       []string
	Users        []*User
	User         *User
	Password     string
	Clients      []*OAuthClient
	BaseURL      string
	PeopleCount  int
	AutoApprove  string
	AutoApproveM AutoApproveMode
	Admin        adminState
	AdminToken   string
	Modes        []AutoApproveMode
	Requests     []RequestRecord
	// RedirectURI is where a login or consent form's answer may redirect.
	RedirectURI string
}

func (s *Server) render(w http.ResponseWriter, status int, name string, d pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// The sandbox's pages must never be framed: clickjacking a consent page is
	// an attack Cezanne's real pages defend against too.
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"+formTarget(d.RedirectURI)+"; frame-ancestors 'none'")
	w.WriteHeader(status)
	if err := pages.ExecuteTemplate(w, name, d); err != nil {
		s.cfg.Logger.Error("render page", "page", name, "err", err)
	}
}

// formTarget adds the client's redirect URI to form-action: browsers apply
// form-action to the redirect that answers a form too, so without it the
// browser would refuse to go back to the app after Sign in or Allow.
func formTarget(redirectURI string) string {
	u, err := url.Parse(redirectURI)
	if redirectURI == "" || err != nil || u.Scheme == "" {
		return ""
	}
	if u.Host == "" {
		return " " + u.Scheme + ":"
	}
	return " " + u.Scheme + "://" + u.Host
}

func (s *Server) loginPage(w http.ResponseWriter, p *pendingAuthorization, msg string) {
	status := http.StatusOK
	if msg != "" {
		status = http.StatusUnauthorized
	}
	s.render(w, status, "login.html", pageData{
		Title: "Sign in", Message: msg, Request: p.id, ClientName: p.client.Name,
		Users: s.Users(), Password: DemoPassword, RedirectURI: p.redirectURI,
	})
}

func (s *Server) consentPage(w http.ResponseWriter, p *pendingAuthorization, u *User) {
	s.render(w, http.StatusOK, "consent.html", pageData{
		Title: "Allow access", Request: p.id, ClientName: p.client.Name, ClientID: p.client.ID,
		Scopes: scopeNames(p.scopes), User: u, AutoApprove: p.autoApprove, AutoApproveM: s.AutoApproveMode(p.client.ID),
		RedirectURI: p.redirectURI,
	})
}

func (s *Server) errorPage(w http.ResponseWriter, status int, title, msg string) {
	s.render(w, status, "error.html", pageData{Title: title, Message: msg})
}

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "home.html", pageData{
		Title: "Cezanne sandbox tenant", Clients: s.OAuthClients(), Users: s.Users(), Password: DemoPassword,
		BaseURL: "http://" + r.Host + RootPath, PeopleCount: len(s.people),
	})
}
