package sandbox

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestAdminControls changes each setting QA has, in turn on one tenant: the
// request log check at the end reads what the others did.
func TestAdminControls(t *testing.T) {
	h := newHarness(t, Config{})
	c, _ := h.srv.OAuthClient(ClientDesktopOnDemand)
	for _, tt := range []struct {
		name  string
		check func(*testing.T, *harness, *OAuthClient)
	}{
		{"mode switch", checkModeSwitch},
		{"clear consents", checkClearConsents},
		{"revoke grants", checkRevokeGrants},
		{"token lifetime and rotation", checkTokenLifetimeAndRotation},
		{"faults", checkFaults},
		{"request log has no secrets", checkRequestLogHasNoSecrets},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, h, c) })
	}
}

// checkModeSwitch is TestAdminControls' "mode switch".
func checkModeSwitch(t *testing.T, h *harness, c *OAuthClient) {
	if err := h.srv.SetAutoApproveMode(ClientDesktopOnDemand, AutoApproveAutomatic); err != nil {
		t.Fatal(err)
	}
	defer h.srv.SetAutoApproveMode(ClientDesktopOnDemand, AutoApproveOnDemand)
	rb := &Robot{}
	h.authorize(rb, h.authorizeURL(ClientDesktopOnDemand, nil))
	if _, res := h.authorize(rb, h.authorizeURL(ClientDesktopOnDemand, nil)); res.ConsentShown {
		t.Fatal("Automatic mode still shows consent on the second authorisation")
	}
	if err := h.srv.SetAutoApproveMode("nobody", AutoApproveDisabled); err == nil {
		t.Fatal("unknown client accepted")
	}
	if err := h.srv.SetAutoApproveMode(ClientDesktopOnDemand, "Sometimes"); err == nil {
		t.Fatal("unknown mode accepted")
	}
}

// checkClearConsents is TestAdminControls' "clear consents".
func checkClearConsents(t *testing.T, h *harness, c *OAuthClient) {
	h.srv.SetAutoApproveMode(ClientDesktopAutomatic, AutoApproveAutomatic)
	rb := &Robot{}
	h.authorize(rb, h.authorizeURL(ClientDesktopAutomatic, nil))
	if n := h.srv.ClearConsents("hrprof@sandbox.cezannehr.com"); n == 0 {
		t.Fatal("nothing cleared")
	}
	if _, res := h.authorize(rb, h.authorizeURL(ClientDesktopAutomatic, nil)); !res.ConsentShown {
		t.Fatal("consent not shown after clearing")
	}
}

// checkRevokeGrants is TestAdminControls' "revoke grants".
func checkRevokeGrants(t *testing.T, h *harness, c *OAuthClient) {
	tok := h.signIn()
	if n := h.srv.RevokeGrants("hrprof@sandbox.cezannehr.com"); n == 0 {
		t.Fatal("nothing revoked")
	}
	if status, body := h.refresh(c, tok["refresh_token"].(string)); status != 400 || body["error"] != "invalid_grant" {
		t.Fatalf("refresh after revoke: %d %v", status, body)
	}
	if status, _ := h.get("/OAuth/TokenInfo", tok["access_token"].(string)); status != 401 {
		t.Fatalf("access token after revoke: %d", status)
	}
}

// checkTokenLifetimeAndRotation is TestAdminControls' "token lifetime and rotation".
func checkTokenLifetimeAndRotation(t *testing.T, h *harness, c *OAuthClient) {
	if err := h.srv.SetAccessTokenTTL(3 * time.Second); err != nil {
		t.Fatal(err)
	}
	h.srv.SetRotation(false)
	defer h.srv.SetRotation(true)
	tok := h.signIn()
	if tok["expires_in"] != float64(3) {
		t.Fatalf("expires_in %v", tok["expires_in"])
	}
	rt := tok["refresh_token"].(string)
	for i := 0; i < 2; i++ {
		if status, body := h.refresh(c, rt); status != 200 || body["refresh_token"] != rt {
			t.Fatalf("refresh without rotation: %d %v", status, body)
		}
	}
	h.clock.Add(4 * time.Second)
	if status, _ := h.get("/OAuth/TokenInfo", tok["access_token"].(string)); status != 401 {
		t.Fatal("3-second token still valid after 4 s")
	}
	if err := h.srv.SetAccessTokenTTL(0); err == nil {
		t.Fatal("zero lifetime accepted")
	}
	h.srv.SetAccessTokenTTL(600 * time.Second)
}

// checkFaults is TestAdminControls' "faults".
func checkFaults(t *testing.T, h *harness, c *OAuthClient) {
	at := h.signIn()["access_token"].(string)
	if err := h.srv.SetFaults(Faults{Fail401: 1, Fail500: 1, Malformed: 1}); err != nil {
		t.Fatal(err)
	}
	want := []int{401, 500}
	for _, w := range want {
		if status, _ := h.get("/OAuth/TokenInfo", at); status != w {
			t.Fatalf("fault: got %d, want %d", status, w)
		}
	}
	status, b := h.getRaw("/DataService.svc/People?$format=json", at)
	if status != 200 || !strings.HasPrefix(string(b), `{"d":{"results":[{`) || strings.HasSuffix(string(b), "}") {
		t.Fatalf("malformed fault: %d %s", status, b)
	}
	if status, _ := h.get("/OAuth/TokenInfo", at); status != 200 {
		t.Fatalf("faults did not run out: %d", status)
	}
	h.srv.SetFaults(Faults{Latency: 150 * time.Millisecond})
	start := time.Now()
	h.get("/OAuth/TokenInfo", at)
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("latency not injected: %v", d)
	}
	h.srv.SetFaults(Faults{})
	var sawFault bool
	for _, r := range h.srv.Requests() {
		sawFault = sawFault || r.Fault == "401"
	}
	if !sawFault {
		t.Fatal("request log does not say which fault fired")
	}
}

// checkRequestLogHasNoSecrets is TestAdminControls' "request log has no secrets".
func checkRequestLogHasNoSecrets(t *testing.T, h *harness, c *OAuthClient) {
	var all strings.Builder
	for _, r := range h.srv.Requests() {
		all.WriteString(r.Query + " " + r.Form + "\n")
	}
	for _, secret := range []string{c.Secret, "qZR6!I", "Pzw5!I", "gAAAA", DemoPassword} {
		if strings.Contains(all.String(), secret) || strings.Contains(all.String(), url.QueryEscape(secret)) {
			t.Fatalf("request log contains %.6s…", secret)
		}
	}
	if !strings.Contains(all.String(), "grant_type=refresh_token") {
		t.Fatal("request log lacks the token requests")
	}
}
