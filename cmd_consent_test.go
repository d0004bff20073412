package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/consent"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox/sandboxtest"
)

// TestConsentCheckCLI runs `--consent-check` as a script would: exit 0
// with the verdict when the tenant's client matches a documented mode, 2
// when it matches none, 1 with the reason in words when the check cannot
// run; and the report written in the format asked for.
func TestConsentCheckCLI(t *testing.T) {
	redirect := sandbox.FreeLoopbackRedirect(0, "/oauth-callback/")
	tenant := sandboxtest.Start(t, sandbox.Config{LoopbackRedirect: redirect, People: 20,
		AutoApprove: map[string]sandbox.AutoApproveMode{sandbox.ClientDesktopAutomatic: sandbox.AutoApproveAutomatic}})
	if err := tenant.UseUndocumentedMode(sandbox.ClientDesktopDisabled, sandbox.AutoApproveOmittedMeansTrue); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	profile := func(name, base, client, redirect string) string {
		path := filepath.Join(dir, name+".json")
		b, _ := json.Marshal(map[string]any{"name": name, "base_url": base, "client_id": client, "redirect_uri": redirect,
			"scopes": []string{sandbox.ScopeRead}})
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	automatic := profile("automatic", tenant.BaseURL(), sandbox.ClientDesktopAutomatic, redirect)
	undocumented := profile("undocumented", tenant.BaseURL(), sandbox.ClientDesktopDisabled, redirect)
	real := profile("real", "https://w3.cezanneondemand.com/CezanneOnDemand", "oauth2democlient.app.cezannehr.com", redirect)
	tests := []struct {
		name    string
		args    []string
		code    int
		stdout  []string
		stderr  string
		report  string   // file name under dir, when one must be written
		matches []string // its verdict.matches
	}{
		{name: "documented mode", args: []string{"--consent-check", "--profile", automatic, "--report", "a.json"}, code: 0,
			stdout: []string{"Run 2 of 6: auto_approve omitted, second authorisation: no consent page", "Verdict: behaves as Automatic"},
			report: "a.json", matches: []string{"Automatic"}},
		{name: "no documented mode", args: []string{"--profile", undocumented, "--consent-check", "--report", "u.json"}, code: 2,
			stdout: []string{"Verdict: matches no documented mode: Automatic differs at run 6", "OnDemand differs at run 2"},
			report: "u.json", matches: []string{}},
		{name: "HTML report", args: []string{"--consent-check", "--profile", automatic, "--report", "a.html"}, code: 0,
			stdout: []string{"Report written to"}, report: "a.html"},
		{name: "demo tenant", args: []string{"--consent-check", "--demo", "--client", sandbox.ClientDesktopDisabled}, code: 0,
			stdout: []string{"Verdict: behaves as Disabled"}},
		{name: "demo x-cez client", args: []string{"--consent-check", "--demo", "--client", sandbox.ClientDesktopScheme}, code: 0,
			stdout: []string{"Verdict: behaves as OnDemand"}},
		{name: "real tenant", args: []string{"--consent-check", "--profile", real}, code: 1,
			stderr: "A real tenant's check is guided: run cezanne-desktop --consent-check --window --profile"},
		{name: "unknown demo client", args: []string{"--consent-check", "--demo", "--client", sandbox.ClientService}, code: 1,
			stderr: "the demo tenant has no browser client"},
		{name: "no profile", args: []string{"--consent-check"}, code: 1, stderr: "needs --profile FILE or --demo"},
		{name: "two tenants", args: []string{"--consent-check", "--demo", "--profile", automatic}, code: 1, stderr: "give one"},
		{name: "missing file", args: []string{"--consent-check", "--profile", filepath.Join(dir, "nope.json")}, code: 1, stderr: "cannot open the profile file"},
		{name: "help", args: []string{"--consent-check", "--help"}, code: 0, stderr: "Exit status: 0 when the runs match"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("CEZANNE_CLIENT_SECRET", "")
			args := append([]string(nil), tc.args...)
			for i, a := range args {
				if i > 0 && args[i-1] == "--report" {
					args[i] = filepath.Join(dir, a)
				}
			}
			var stdout, stderr bytes.Buffer
			if !isConsentCheck(args) {
				t.Fatalf("%q is not dispatched to the consent check", args)
			}
			code := runConsentCheck(args, &stdout, &stderr)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout.String(), stderr.String())
			}
			for _, s := range tc.stdout {
				if !strings.Contains(stdout.String(), s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout.String())
				}
			}
			if !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, stderr.String())
			}
			if tc.report != "" {
				checkReportFile(t, filepath.Join(dir, tc.report), tc.matches)
			}
		})
	}
}

func checkReportFile(t *testing.T, path string, matches []string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(path, ".html") {
		if !bytes.HasPrefix(b, []byte("<!DOCTYPE html>")) {
			t.Errorf("%s is not the HTML report", path)
		}
		return
	}
	var raw struct {
		Format  string `json:"format"`
		Verdict struct {
			Matches []string `json:"matches"`
		} `json:"verdict"`
		Cells []json.RawMessage `json:"cells"`
	}
	if err := json.Unmarshal(b, &raw); err != nil || raw.Format != consent.Format || len(raw.Cells) != 6 {
		t.Fatalf("report %s: %v, %+v", path, err, raw)
	}
	if strings.Join(raw.Verdict.Matches, ",") != strings.Join(matches, ",") || raw.Verdict.Matches == nil {
		t.Errorf("verdict.matches = %#v, want %#v", raw.Verdict.Matches, matches)
	}
}

// TestConsentStatus: a check that observed nothing exits 1 and says so,
// although Decide lets every mode match an empty set of cells.
func TestConsentStatus(t *testing.T) {
	shown, notShown := true, false
	for _, tc := range []struct {
		name  string
		cells []consent.Cell
		code  int
	}{
		{"nothing observed", []consent.Cell{{Run: 1, Outcome: consent.Skipped}}, consentFailed},
		{"a match", []consent.Cell{{Run: 1, AutoApprove: consent.AutoApproveOmitted, Authorisation: consent.First, ConsentShown: &shown, Counted: true}}, consentMatched},
		{"no match", []consent.Cell{{Run: 1, AutoApprove: consent.AutoApproveOmitted, Authorisation: consent.First, ConsentShown: &notShown, Counted: true}}, consentNoMatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			if got := consentStatus(consent.Decide(tc.cells, nil), &stderr); got != tc.code {
				t.Errorf("exit %d, want %d (%s)", got, tc.code, stderr.String())
			}
			if (tc.code == consentFailed) != strings.Contains(stderr.String(), "no run could be observed") {
				t.Errorf("stderr: %q", stderr.String())
			}
		})
	}
}
