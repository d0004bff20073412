package sandbox

import (
	"encoding/json"
	"errors"
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
	Stats          Stats           `json:"stats"`
	Requests       []RequestRecord `json:"requests,omitempty"`
	// ConsentLog is sent when asked for (?consent_log=1): the consent check
	// reads it on loopback instead of asking the person.
	ConsentLog []ConsentEvent `json:"consent_log,omitempty"`
}

func (s *Server) adminState(withLog bool) adminState {
	st := adminState{
		Clients: s.OAuthClients(), Users: s.Users(), Consents: s.Consents(), Grants: s.Grants(),
		AccessTokenTTL: int(s.AccessTokenTTL() / time.Second), Rotation: s.Rotation(), Faults: s.Faults(),
		ODataVersion: s.ODataVersion(), Stats: s.Stats(),
	}
	if withLog {
		st.Requests = s.Requests()
	}
	return st
}

// adminOnly admits requests from this computer only, and for changes also
// requires the page's token, so that a web page in the tester's browser
// cannot drive the sandbox (CSRF). The peer address alone is not enough: a
// page whose DNS name is rebound to 127.0.0.1 is a loopback peer too, so
// Host must name the listener itself and Origin, when sent, must be it.
func (s *Server) adminOnly(change bool, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if msg := adminRefusal(r); msg != "" {
			http.Error(w, msg, http.StatusForbidden)
			return
		}
		if change {
			r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
			if err := r.ParseForm(); err != nil {
				http.Error(w, "bad form", http.StatusBadRequest)
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

// adminRefusal says why a request may not reach the admin page, or "".
func adminRefusal(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return "The sandbox admin page is available from this computer only."
	}
	if !namesListener(r, r.Host) {
		return "The sandbox admin page answers only at http://127.0.0.1, http://[::1] or http://localhost with its own port."
	}
	if o := r.Header.Get("Origin"); o != "" {
		rest, ok := strings.CutPrefix(o, "http://")
		if !ok || strings.ContainsAny(rest, "/@?#") || !namesListener(r, rest) {
			return "cross-origin request refused"
		}
	}
	return ""
}

// namesListener reports whether hostport is a loopback name of the
// connection's own listener. Only the three names a person types are
// accepted: any other name may be a rebound one, and 127.0.0.2 is not
// where the listener was announced.
func namesListener(r *http.Request, hostport string) bool {
	la, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return false
	}
	_, lport, err := net.SplitHostPort(la.String())
	if err != nil {
		return false
	}
	name, port, err := net.SplitHostPort(hostport)
	if err != nil || port != lport {
		return false
	}
	switch strings.ToLower(name) {
	case "127.0.0.1", "::1", "localhost":
		return true
	}
	return false
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
	st := s.adminState(r.URL.Query().Get("log") == "1")
	if r.URL.Query().Get("consent_log") == "1" {
		st.ConsentLog = s.ConsentLog()
	}
	writeJSON(w, http.StatusOK, st)
}

// handleAdminChange applies one form of the admin page, then goes back to
// it (or answers JSON for scripts that ask for it).
func (s *Server) handleAdminChange(w http.ResponseWriter, r *http.Request) {
	done, err := s.adminChange(r.PathValue("action"), r.PostForm)
	if errors.Is(err, errNoAdminAction) {
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

var errNoAdminAction = errors.New("no such admin action")

// adminChange applies one admin form and says what it did.
func (s *Server) adminChange(action string, f url.Values) (string, error) {
	switch action {
	case "mode":
		m, err := ParseAutoApproveMode(f.Get("mode"))
		if err == nil {
			err = s.SetAutoApproveMode(f.Get("client_id"), m)
		}
		return "Auto-approve mode of " + f.Get("client_id") + " is now " + string(m) + ".", err
	case "clear-consents":
		if c := f.Get("client_id"); c != "" {
			return "Cleared " + strconv.Itoa(s.ClearClientConsents(c)) + " remembered consent(s) of " + c + ".", nil
		}
		return "Cleared " + strconv.Itoa(s.ClearConsents(f.Get("username"))) + " remembered consent(s).", nil
	case "undocumented-mode":
		// For tests of the consent check only; not on the admin page.
		return "Client " + f.Get("client_id") + " now behaves as no documented mode.", s.UseUndocumentedMode(f.Get("client_id"), AutoApproveMode(f.Get("mode")))
	case "revoke":
		return "Revoked " + strconv.Itoa(s.RevokeGrants(f.Get("username"))) + " grant(s).", nil
	case "settings":
		ttl, err := strconv.Atoi(strings.TrimSpace(f.Get("ttl")))
		if err == nil {
			err = s.SetAccessTokenTTL(time.Duration(ttl) * time.Second)
		}
		if err == nil {
			s.SetRotation(f.Get("rotation") == "on")
		}
		return "Settings saved.", err
	case "odata":
		v, err := strconv.Atoi(f.Get("version"))
		if err == nil {
			err = s.SetODataVersion(v)
		}
		return "The DataService now speaks OData " + strconv.Itoa(v) + ".", err
	case "faults":
		fl, err := parseFaultsForm(f)
		if err == nil {
			err = s.SetFaults(fl)
		}
		return "Faults set: " + fl.String() + ".", err
	}
	return "", errNoAdminAction
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
	for _, d := range []struct {
		name string
		dst  *time.Duration
	}{{"latency_ms", &fl.Latency}, {"spike_latency_ms", &fl.SpikeLatency}} {
		ms, err := num(d.name)
		if err != nil {
			return fl, err
		}
		*d.dst = time.Duration(ms) * time.Millisecond
	}
	var err error
	for _, c := range []struct {
		name string
		dst  *int
	}{
		{"fail_500", &fl.Fail500}, {"fail_401", &fl.Fail401}, {"malformed", &fl.Malformed},
		{"timeout", &fl.Timeout}, {"spike", &fl.Spike}, {"token_500", &fl.Token500},
	} {
		if *c.dst, err = num(c.name); err != nil {
			return fl, err
		}
	}
	return fl, nil
}

// MarshalJSON shows latencies in milliseconds for scripts.
func (f Faults) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]int64{
		"latency_ms": f.Latency.Milliseconds(), "fail_500": int64(f.Fail500),
		"fail_401": int64(f.Fail401), "malformed_json": int64(f.Malformed),
		"timeout": int64(f.Timeout), "spike": int64(f.Spike),
		"spike_latency_ms": f.SpikeLatency.Milliseconds(), "token_500": int64(f.Token500),
	})
}
