package consent

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

// checkedReport runs an unattended check whose token requests pass through
// a tap, and returns the report with every secret the run saw.
func checkedReport(t *testing.T, client string) (*Report, []string) {
	t.Helper()
	tn := startTenant(t)
	r := tn.runner(t, client)
	tap := &tokenTap{}
	r.HTTPClient = tap.client()
	rep, err := r.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rep, append(tap.all(), r.ClientSecret)
}

// TestReportJSON: the layout scripts read (format, verdict.matches, one
// cell per run with auto_approve, authorisation, consent_shown and the
// expectation per mode), and a round trip.
func TestReportJSON(t *testing.T) {
	rep, _ := checkedReport(t, sandbox.ClientDesktopAutomatic)
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	raw := decodeReport(t, buf.Bytes())
	if raw.Format != "cezanne-desktop-consent/1" || len(raw.Verdict.Matches) != 1 || raw.Verdict.Matches[0] != "Automatic" || raw.Verdict.Summary != "behaves as Automatic" {
		t.Errorf("format %q, verdict %+v", raw.Format, raw.Verdict)
	}
	wantJSONCells(t, raw.Cells, []jsonCellWant{{"omitted", "first", true}, {"omitted", "second", false}, {"true", "first", true},
		{"true", "second", false}, {"false", "first", true}, {"false", "second", false}})
	if len(raw.Runs) != 6 || len(raw.Runs[0].Trace) < 4 {
		t.Errorf("runs lack their traces: %d runs", len(raw.Runs))
	}
	back, err := ReadJSON(bytes.NewReader(buf.Bytes()))
	if err != nil || back.Verdict.Summary != rep.Verdict.Summary || len(back.Cells) != 6 || back.Cells[1].AutoApprove != AutoApproveOmitted {
		t.Fatalf("ReadJSON = %+v, %v", back, err)
	}
	if _, err := ReadJSON(strings.NewReader(`{"format":"cezanne-desktop-trace/1"}`)); err == nil || !strings.Contains(err.Error(), "not a consent report") {
		t.Errorf("a trace file read as a report: %v", err)
	}
}

// TestReportHoldsNoSecret: no format of the report holds the client secret,
// a code, a PKCE verifier, an access token or a refresh token, as the trace
// export's test checks for a trace.
func TestReportHoldsNoSecret(t *testing.T) {
	rep, secrets := checkedReport(t, sandbox.ClientDesktopOnDemand)
	dir := t.TempDir()
	exports := map[string]string{}
	for _, name := range []string{"report.json", "report.md", "report.html"} {
		path := filepath.Join(dir, name)
		if err := rep.Save(path); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		exports[name] = string(b)
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
			t.Errorf("%s is readable by others (%v)", name, fi.Mode().Perm())
		}
	}
	// 6 runs: a code, a verifier, an access and a refresh token each.
	if len(secrets) < 6*4 {
		t.Fatalf("only %d secrets seen", len(secrets))
	}
	wantNoSecret(t, exports, secrets...)
	for name, want := range map[string]string{"report.json": `"format": "cezanne-desktop-consent/1"`, "report.md": "# Consent check: behaves as OnDemand", "report.html": "<!DOCTYPE html>"} {
		if !strings.Contains(exports[name], want) {
			t.Errorf("%s was not written in its format (no %q)", name, want)
		}
	}
}

// rawReport is the JSON report as a script reads it, without this
// package's types.
type rawReport struct {
	Format  string `json:"format"`
	Verdict struct {
		Matches []string `json:"matches"`
		Summary string   `json:"summary"`
	} `json:"verdict"`
	Cells []rawCell `json:"cells"`
	Runs  []struct {
		Trace []json.RawMessage `json:"trace"`
	} `json:"runs"`
}

type rawCell struct {
	Run           int             `json:"run"`
	AutoApprove   string          `json:"auto_approve"`
	Authorisation string          `json:"authorisation"`
	ConsentShown  *bool           `json:"consent_shown"`
	Expected      map[string]bool `json:"expected"`
}

func decodeReport(t *testing.T, b []byte) rawReport {
	t.Helper()
	var raw rawReport
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	return raw
}

type jsonCellWant struct {
	aa, auth string
	shown    bool
}

// wantJSONCells checks the cells of an Automatic client's report.
func wantJSONCells(t *testing.T, cells []rawCell, want []jsonCellWant) {
	t.Helper()
	if len(cells) != len(want) {
		t.Fatalf("%d cells, want %d", len(cells), len(want))
	}
	for i, w := range want {
		c := cells[i]
		if c.Run != i+1 || c.AutoApprove != w.aa || c.Authorisation != w.auth || c.ConsentShown == nil || *c.ConsentShown != w.shown ||
			len(c.Expected) != 3 || c.Expected["Automatic"] != w.shown || !c.Expected["Disabled"] {
			t.Errorf("cell %d = %+v, want %+v", i+1, c, w)
		}
	}
}
