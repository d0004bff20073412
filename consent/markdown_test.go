package consent

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/trace"
)

// craftedReport holds values a tenant or a callback chooses, made to break
// a report: HTML, table pipes, backticks, new lines.
func craftedReport() *Report {
	evil := "<img src=x onerror=alert(1)> | `rm -rf` \n# heading"
	y := boolp(true)
	cells := cellsFor(y, y, y, boolp(false), y, nil)
	cells[0].Error, cells[0].Note = evil, evil
	flags := []Flag{{Run: 1, Kind: FlagScopesDiffer, Detail: "granted beyond the request: " + evil}}
	r := &Report{
		Format: Format, Tenant: "https://acme.cezanneondemand.com/CezanneOnDemand", ClientID: "client|<b>x</b>",
		Scopes: []string{"APIRead"}, AppVersion: "1.0 (build 2)", Date: time.Date(2026, 12, 1, 13, 0, 0, 0, time.UTC),
		Planned: 6, Cells: cells,
		Runs: []RunRecord{{Step: NewPlan(false).Steps[0], Attempt: 1, Outcome: Failed, Error: evil,
			Steps: []trace.Step{{Kind: trace.StepCallback, Title: "Callback " + evil, At: time.Date(2026, 12, 1, 13, 0, 1, 0, time.UTC),
				Fields: []trace.Field{{Name: "error_description", Value: evil}}}}}},
	}
	r.Verdict = Decide(cells, flags)
	return r
}

// TestMarkdownKeepsValuesAsText: a crafted value cannot add HTML, a table
// column, code or a heading to the Markdown report.
func TestMarkdownKeepsValuesAsText(t *testing.T) {
	var b bytes.Buffer
	if err := craftedReport().WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, bad := range []string{"<img", "<b>", "`rm", "\n# heading", "| `"} {
		if strings.Contains(md, bad) {
			t.Errorf("the Markdown holds %q unescaped", bad)
		}
	}
	for _, want := range []string{
		"# Consent check: behaves as OnDemand",
		"| Client ID | client\\|&lt;b&gt;x&lt;/b&gt; |",
		"| Run | auto_approve | Authorisation | Consent page shown | Answered by | Disabled | Automatic | OnDemand |",
		"| 4 | true | second | no |  | yes ✗ | no | no |",
		"| 6 | false | second | not observed (skipped) |",
		"- Run 1, scopes_differ: granted beyond the request: &lt;img",
		"## Run 1 of 6: auto_approve omitted, first authorisation, attempt 1: failed; &lt;img",
		"| 13:00:01.000 | Callback &lt;img",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown lacks %q:\n%s", want, md)
		}
	}
	// Every table row keeps its column count.
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "| 1 | omitted") && strings.Count(strings.ReplaceAll(line, `\|`, ""), "|") != 9 {
			t.Errorf("row broken: %q", line)
		}
	}
}

// The report names who answered from the runs, not from the tenant's kind:
// a person may answer a guided check against a sandbox tenant.
func TestReportSaysWhoAnswered(t *testing.T) {
	tests := []struct {
		name    string
		sandbox bool
		by      []AnsweredBy
		want    string
	}{
		{"the sandbox's log", true, []AnsweredBy{BySandbox, BySandbox}, "read from the sandbox tenant's consent log"},
		{"a person against a sandbox tenant", true, []AnsweredBy{ByPerson, ByPerson}, "given by the person running the check"},
		{"a person against a real tenant", false, []AnsweredBy{ByPerson}, "given by the person running the check"},
		{"both", true, []AnsweredBy{ByPerson, BySandbox, BySandbox, ""}, "given by the person running the check (1 run) and read from the sandbox tenant's consent log (2 runs)"},
		{"nothing answered on a sandbox", true, []AnsweredBy{""}, "none yet: no run was answered"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Report{Sandbox: tt.sandbox}
			for _, b := range tt.by {
				r.Cells = append(r.Cells, Cell{AnsweredBy: b})
			}
			var got string
			for _, f := range r.facts() {
				if f[0] == "Answers" {
					got = f[1]
				}
			}
			if got != tt.want {
				t.Errorf("Answers = %q, want %q", got, tt.want)
			}
		})
	}
}
