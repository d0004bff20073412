package consent

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/trace"
)

// mdEscaper keeps every value text in a Markdown table: a server's or a
// callback's value cannot add HTML, a link, or a column (the same rules as
// the trace's Markdown export).
var mdEscaper = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;", "|", "\\|", "`", "&#96;",
	"*", "\\*", "[", "\\[", "]", "\\]", "\r", " ", "\n", " ",
)

func md(s string) string { return mdEscaper.Replace(s) }

// WriteMarkdown writes the report for a ticket: the facts, the verdict, the
// table of cells against each mode, the flags, then each run's trace steps.
func (r *Report) WriteMarkdown(w io.Writer) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "# Consent check: %s\n\n", md(r.Verdict.Summary))
	fmt.Fprintf(b, "| | |\n|---|---|\n")
	for _, kv := range r.facts() {
		fmt.Fprintf(b, "| %s | %s |\n", kv[0], md(kv[1]))
	}
	fmt.Fprintf(b, "\n## Verdict\n\n**%s**\n\n", md(r.Verdict.Summary))
	fmt.Fprintf(b, "| Run | auto_approve | Authorisation | Consent page shown | Answered by | %s |\n",
		strings.Join(modeNames(), " | "))
	fmt.Fprintf(b, "|---|---|---|---|---|%s\n", strings.Repeat("---|", len(Modes)))
	for _, c := range r.Cells {
		fmt.Fprintf(b, "| %d | %s | %s | %s | %s |", c.Run, c.AutoApprove.Label(), c.Authorisation, md(observedText(c)), c.AnsweredBy)
		for _, m := range Modes {
			fmt.Fprintf(b, " %s |", expectedText(c, m))
		}
		b.WriteString("\n")
	}
	b.WriteString("\nEach mode's column is what Cezanne's docs expect (✗ marks a counted cell that differs).\n")
	r.markdownFlags(b)
	for _, run := range r.Runs {
		fmt.Fprintf(b, "\n## %s, attempt %d: %s\n\n", md(run.Step.Title(r.Planned)), run.Attempt, md(runResult(run)))
		markdownSteps(b, run.Steps)
	}
	return b.Flush()
}

func (r *Report) markdownFlags(b *bufio.Writer) {
	b.WriteString("\n## Worth a look\n\n")
	if len(r.Verdict.Flags) == 0 {
		b.WriteString("Nothing: every run echoed the state, granted the scopes requested, and returned a refresh token and expires_in.\n")
		return
	}
	for _, f := range r.Verdict.Flags {
		fmt.Fprintf(b, "- Run %d, %s: %s\n", f.Run, f.Kind, md(f.Detail))
	}
}

func markdownSteps(b *bufio.Writer, steps []trace.Step) {
	if len(steps) == 0 {
		b.WriteString("No trace: the run was not started.\n")
		return
	}
	b.WriteString("| At | Step | Status | Details |\n|---|---|---|---|\n")
	for _, s := range steps {
		status := ""
		if s.Status != 0 {
			status = fmt.Sprint(s.Status)
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s |\n", trace.Clock(s.At), md(s.Title), status, md(stepDetails(s)))
	}
}

// stepDetails is one line of a step's fields (already redacted by the trace).
func stepDetails(s trace.Step) string {
	parts := make([]string, 0, len(s.Fields)+2)
	if s.URL != "" && s.Kind != trace.StepAuthorize {
		parts = append(parts, s.Method+" "+s.URL)
	}
	for _, f := range s.Fields {
		parts = append(parts, f.Name+"="+f.Value)
	}
	if s.Error != "" {
		parts = append(parts, "error: "+s.Error)
	}
	return strings.Join(parts, "; ")
}

// facts are the report's header lines, the same in every format.
func (r *Report) facts() [][2]string {
	f := [][2]string{
		{"Tenant", r.Tenant}, {"Client ID", r.ClientID}, {"Scopes", strings.Join(r.Scopes, " ")},
		{"App version", r.AppVersion}, {"Date", r.Date.UTC().Format("2006-01-02 15:04:05 UTC")},
	}
	f = append(f, [2]string{"Answers", r.answeredBy()})
	if r.Cancelled {
		f = append(f, [2]string{"Note", "the check was cancelled before every run was done"})
	}
	return f
}

// answeredBy says who answered "was the consent page shown?", from the
// runs themselves: a check against a sandbox tenant may still have been
// answered by the person (a guided check shows the log's answer as a hint).
func (r *Report) answeredBy() string {
	var person, sandbox int
	for _, c := range r.Cells {
		switch c.AnsweredBy {
		case ByPerson:
			person++
		case BySandbox:
			sandbox++
		}
	}
	switch {
	case person > 0 && sandbox > 0:
		return fmt.Sprintf("given by the person running the check (%s) and read from the sandbox tenant's consent log (%s)", runs(person), runs(sandbox))
	case sandbox > 0:
		return "read from the sandbox tenant's consent log"
	case person > 0 || !r.Sandbox:
		return "given by the person running the check"
	}
	return "none yet: no run was answered"
}

func runs(n int) string {
	if n == 1 {
		return "1 run"
	}
	return fmt.Sprintf("%d runs", n)
}

func modeNames() []string {
	out := make([]string, len(Modes))
	for i, m := range Modes {
		out[i] = string(m)
	}
	return out
}

// observedText is a cell's observation in words.
func observedText(c Cell) string {
	var s string
	switch {
	case c.ConsentShown == nil:
		s = "not observed (" + string(c.Outcome) + ")"
	case *c.ConsentShown:
		s = "yes"
	default:
		s = "no"
	}
	if c.Outcome == Denied {
		s += ", access denied"
	}
	if !c.Counted && c.ConsentShown != nil {
		s += " (not counted)"
	}
	return s
}

// expectedText is a mode's expectation for a cell, marked when it differs.
func expectedText(c Cell, m Mode) string {
	want := Expected(m, c.AutoApprove, c.Authorisation)
	s := "no"
	if want {
		s = "yes"
	}
	if c.DiffersFrom(m) {
		s += " ✗"
	}
	return s
}

func runResult(run RunRecord) string {
	s := string(run.Outcome)
	if run.ConsentShown != nil {
		s += ", consent page shown: " + map[bool]string{true: "yes", false: "no"}[*run.ConsentShown]
	}
	if run.Repeated {
		s += " (repeated)"
	}
	if run.Error != "" {
		s += "; " + run.Error
	}
	return s
}
