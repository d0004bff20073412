package sandbox

import (
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// adminPath is the QA control page. It is outside the tenant root because
// no real Cezanne tenant has it.
const adminPath = "/sandbox/admin"

// adminState is what the admin page and its JSON show.
type adminState struct {
	Clients        []*OAuthClient  `json:"clients"`
	Users          []*User         `json:"users"`
	Consents       []Consent       `json:"consents"`
	Grants         []GrantSummary  `json:"grants"`
	AccessTokenTTL int             `json:"access_token_ttl_seconds"`
	Rotation       bool            `json:"rotation"`
	Faults         Faults          `json:"faults"`
	ODataVersion   int             `json:"odata_version"`
	Requests       []RequestRecord `json:"requests,omitempty"`
}

func (s *Server) adminState(withLog bool) adminState {
	st := adminState{
		Clients: s.OAuthClients(), Users: s.Users(), Consents: s.Consents(), Grants: s.Grants(),
		AccessTokenTTL: int(s.AccessTokenTTL() / time.Second), Rotation: s.Rotation(), Faults: s.Faults(),
		ODataVersion: s.ODataVersion(),
	}
	if withLog {
		st.Requests = s.Requests()
	}
	return st
}

// adminOnly admits requests from this computer only, and for changes also
// requires the page's token and a same-origin request, so that a web page
// in the tester's browser cannot drive the sandbox (CSRF).
func (s *Server) adminOnly(change bool, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			http.Error(w, "The sandbox admin page is available from this computer only.", http.StatusForbidden)
			return
		}
		if change {
			r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
			if err := r.ParseForm(); err != nil {
				http.Error(w, "bad form", http.StatusBadRequest)
				return
			}
			if o := r.Header.Get("Origin"); o != "" && o != "http://"+r.Host {
				http.Error(w, "cross-origin request refused", http.StatusForbidden)
				return
			}
			if r.PostForm.Get("token") != s.adminToken {
				http.Error(w, "missing or wrong admin token; reload the admin page", http.StatusForbidden)
				return
			}
		}
		w.Header().Set("Cache-Control", "no-store")
		h(w, r)
	}
}

func (s *Server) handleAdminPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "admin.html", pageData{
		Title: "Sandbox admin", Message: r.URL.Query().Get("done"), Admin: s.adminState(false),
		AdminToken: s.adminToken, Modes: []AutoApproveMode{AutoApproveDisabled, AutoApproveAutomatic, AutoApproveOnDemand},
		BaseURL: "http://" + r.Host + RootPath,
	})
}

func (s *Server) handleAdminLog(w http.ResponseWriter, r *http.Request) {
	recs := s.Requests()
	// Newest first, as a live log reads.
	for i, j := 0, len(recs)-1; i < j; i, j = i+1, j-1 {
		recs[i], recs[j] = recs[j], recs[i]
	}
	s.render(w, http.StatusOK, "adminlog.html", pageData{Title: "Sandbox request log", Requests: recs})
}

func (s *Server) handleAdminState(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.adminState(r.URL.Query().Get("log") == "1"))
}

// handleAdminChange applies one form of the admin page, then goes back to
// it (or answers JSON for scripts that ask for it).
func (s *Server) handleAdminChange(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	var done string
	var err error
	switch r.PathValue("action") {
	case "mode":
		var m AutoApproveMode
		if m, err = ParseAutoApproveMode(f.Get("mode")); err == nil {
			if err = s.SetAutoApproveMode(f.Get("client_id"), m); err == nil {
				done = "Auto-approve mode of " + f.Get("client_id") + " is now " + string(m) + "."
			}
		}
	case "clear-consents":
		n := s.ClearConsents(f.Get("username"))
		done = "Cleared " + strconv.Itoa(n) + " remembered consent(s)."
	case "revoke":
		n := s.RevokeGrants(f.Get("username"))
		done = "Revoked " + strconv.Itoa(n) + " grant(s)."
	case "settings":
		var ttl int
		if ttl, err = strconv.Atoi(strings.TrimSpace(f.Get("ttl"))); err == nil {
			if err = s.SetAccessTokenTTL(time.Duration(ttl) * time.Second); err == nil {
				s.SetRotation(f.Get("rotation") == "on")
				done = "Settings saved."
			}
		}
	case "odata":
		var v int
		if v, err = strconv.Atoi(f.Get("version")); err == nil {
			if err = s.SetODataVersion(v); err == nil {
				done = "The DataService now speaks OData " + strconv.Itoa(v) + "."
			}
		}
	case "faults":
		var fl Faults
		fl, err = parseFaultsForm(f)
		if err == nil {
			if err = s.SetFaults(fl); err == nil {
				done = "Faults set: " + fl.String() + "."
			}
		}
	default:
		http.NotFound(w, r)
		return
	}
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, s.adminState(false))
		return
	}
	if err != nil {
		done = "Not changed: " + err.Error()
	}
	http.Redirect(w, r, adminPath+"?done="+url.QueryEscape(done), http.StatusSeeOther)
}

func parseFaultsForm(f url.Values) (Faults, error) {
	var fl Faults
	num := func(name string) (int, error) {
		v := strings.TrimSpace(f.Get(name))
		if v == "" {
			return 0, nil
		}
		return strconv.Atoi(v)
	}
	ms, err := num("latency_ms")
	if err != nil {
		return fl, err
	}
	fl.Latency = time.Duration(ms) * time.Millisecond
	for _, c := range []struct {
		name string
		dst  *int
	}{{"fail_500", &fl.Fail500}, {"fail_401", &fl.Fail401}, {"malformed", &fl.Malformed}} {
		if *c.dst, err = num(c.name); err != nil {
			return fl, err
		}
	}
	return fl, nil
}

// MarshalJSON shows latency in milliseconds for scripts.
func (f Faults) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]int64{
		"latency_ms": f.Latency.Milliseconds(), "fail_500": int64(f.Fail500),
		"fail_401": int64(f.Fail401), "malformed_json": int64(f.Malformed),
	})
}
