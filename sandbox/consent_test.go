package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// TestConsentLog: every authorize request that reaches a decision is
// logged with whether the consent page was shown and whether it was
// denied, found by the hash of its state, never the state itself.
func TestConsentLog(t *testing.T) {
	h := newHarness(t, Config{})
	steps := []struct {
		state, autoApprove string
		deny               bool
		shown              bool
	}{
		{"first-state", "", false, true},       // first authorisation: consent page
		{"second-state", "true", false, false}, // OnDemand with auto_approve=true: none
		{"third-state", "false", true, true},   // shown, and denied
		{"", "true", false, false},             // no state at all
	}
	for _, s := range steps {
		extra := url.Values{}
		if s.state != "" {
			extra.Set("state", s.state)
		}
		if s.autoApprove != "" {
			extra.Set("auto_approve", s.autoApprove)
		}
		h.authorize(&Robot{Deny: s.deny}, h.authorizeURL(ClientDesktopOnDemand, extra))
	}
	log := h.srv.ConsentLog()
	if len(log) != len(steps) {
		t.Fatalf("%d decisions logged, want %d", len(log), len(steps))
	}
	for i, s := range steps {
		if e := log[i]; e.Shown != s.shown || e.Denied != s.deny || e.AutoApprove != s.autoApprove || e.StateSHA256 != StateHash(s.state) ||
			e.ClientID != ClientDesktopOnDemand || e.Username != "hrprof@sandbox.cezannehr.com" || e.Mode != "OnDemand" {
			t.Errorf("decision %d = %+v, want %+v", i+1, e, s)
		}
	}
	var states []string
	for _, s := range steps {
		states = append(states, s.state)
	}
	wantConsentLogJSON(t, h, len(steps), states)
}

// wantConsentLogJSON checks state.json's consent log: sent only when asked
// for, with n decisions, and none of the states in clear.
func wantConsentLogJSON(t *testing.T, h *harness, n int, states []string) {
	t.Helper()
	status, body := adminGet(t, h, adminPath+"/state.json?consent_log=1")
	if status != 200 {
		t.Fatalf("state.json: %d", status)
	}
	var st struct {
		ConsentLog []ConsentEvent `json:"consent_log"`
	}
	if err := json.Unmarshal(body, &st); err != nil || len(st.ConsentLog) != n {
		t.Fatalf("state.json consent_log: %v, %d", err, len(st.ConsentLog))
	}
	for _, s := range states {
		if s != "" && strings.Contains(string(body), s) {
			t.Errorf("state.json shows the state %q", s)
		}
	}
	if _, plain := adminGet(t, h, adminPath+"/state.json"); strings.Contains(string(plain), "consent_log") {
		t.Error("state.json sends the consent log unasked")
	}
}

// TestStateHash: no state, no hash; else hex SHA-256.
func TestStateHash(t *testing.T) {
	for in, want := range map[string]string{"": "", "abc": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"} {
		if got := StateHash(in); got != want {
			t.Errorf("StateHash(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestUndocumentedModes: the two behaviours no Cezanne mode has, which the
// consent check's tests use, each over the check's six runs.
func TestUndocumentedModes(t *testing.T) {
	type run struct {
		clear       bool
		autoApprove string
	}
	plan := []run{{true, ""}, {false, ""}, {true, "true"}, {false, "true"}, {true, "false"}, {false, "false"}}
	tests := []struct {
		mode  AutoApproveMode
		shown []bool
	}{
		{AutoApproveEverySecondRun, []bool{false, true, false, true, false, true}},
		{AutoApproveOmittedMeansTrue, []bool{true, false, true, false, true, true}},
		{AutoApproveOnDemand, []bool{true, true, true, false, true, true}},
	}
	for _, tc := range tests {
		t.Run(string(tc.mode), func(t *testing.T) {
			h := newHarness(t, Config{})
			if tc.mode != AutoApproveOnDemand {
				if err := h.srv.UseUndocumentedMode(ClientDesktopOnDemand, tc.mode); err != nil {
					t.Fatal(err)
				}
			}
			rb := &Robot{}
			for i, r := range plan {
				if r.clear {
					h.srv.ClearClientConsents(ClientDesktopOnDemand)
				}
				extra := url.Values{}
				if r.autoApprove != "" {
					extra.Set("auto_approve", r.autoApprove)
				}
				_, res := h.authorize(rb, h.authorizeURL(ClientDesktopOnDemand, extra))
				if res.ConsentShown != tc.shown[i] {
					t.Errorf("run %d: consent shown %v, want %v", i+1, res.ConsentShown, tc.shown[i])
				}
			}
		})
	}
}

// TestUndocumentedModesStayHidden: the admin page offers only Cezanne's
// three modes, the documented ways of setting a mode refuse the others,
// and UseUndocumentedMode refuses anything but its own.
func TestUndocumentedModesStayHidden(t *testing.T) {
	h := newHarness(t, Config{})
	_, page := adminGet(t, h, adminPath)
	for _, m := range undocumentedModes {
		if strings.Contains(string(page), string(m)) {
			t.Errorf("the admin page offers %s", m)
		}
		if _, err := ParseAutoApproveMode(string(m)); err == nil {
			t.Errorf("ParseAutoApproveMode accepts %s", m)
		}
		if err := h.srv.SetAutoApproveMode(ClientDesktopOnDemand, m); err == nil {
			t.Errorf("SetAutoApproveMode accepts %s", m)
		}
	}
	for _, tc := range []struct {
		client string
		mode   AutoApproveMode
	}{{ClientDesktopOnDemand, AutoApproveAutomatic}, {ClientDesktopOnDemand, "Sometimes"}, {"nobody", AutoApproveEverySecondRun}} {
		if err := h.srv.UseUndocumentedMode(tc.client, tc.mode); err == nil {
			t.Errorf("UseUndocumentedMode(%s, %s) accepted", tc.client, tc.mode)
		}
	}
}

// TestAdminConsentActions: clearing one client's consents and choosing an
// undocumented mode through the admin API, as the consent check and tests
// of a sandbox in its own process do.
func TestAdminConsentActions(t *testing.T) {
	h := newHarness(t, Config{})
	h.authorize(&Robot{}, h.authorizeURL(ClientDesktopOnDemand, nil))
	h.authorize(&Robot{}, h.authorizeURL(ClientDesktopAutomatic, nil))
	_, page := adminGet(t, h, adminPath)
	token := firstMatch(adminTokenRE, string(page))
	tests := []struct {
		name string
		form url.Values
		want int
	}{
		{"clear one client", url.Values{"token": {token}, "client_id": {ClientDesktopOnDemand}}, 200},
		{"undocumented mode", url.Values{"token": {token}, "client_id": {ClientDesktopAutomatic}, "mode": {string(AutoApproveEverySecondRun)}}, 200},
		{"documented mode refused", url.Values{"token": {token}, "client_id": {ClientDesktopAutomatic}, "mode": {"OnDemand"}}, 400},
		{"no token", url.Values{"client_id": {ClientDesktopAutomatic}, "mode": {string(AutoApproveEverySecondRun)}}, 403},
	}
	for _, tc := range tests {
		action := "undocumented-mode"
		if tc.form.Get("mode") == "" {
			action = "clear-consents"
		}
		if got := adminCall(t, h.ts.URL+adminPath+"/"+action, tc.form, "", ""); got != tc.want {
			t.Errorf("%s: HTTP %d, want %d", tc.name, got, tc.want)
		}
	}
	var left []string
	for _, c := range h.srv.Consents() {
		left = append(left, c.ClientID)
	}
	if !slices.Equal(left, []string{ClientDesktopAutomatic}) {
		t.Errorf("consents left %v, want the other client's only", left)
	}
	if m := h.srv.AutoApproveMode(ClientDesktopAutomatic); m != AutoApproveEverySecondRun {
		t.Errorf("mode %s", m)
	}
}

// adminGet reads an admin page or its JSON from this computer.
func adminGet(t *testing.T, h *harness, path string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(h.ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}
