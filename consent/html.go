package consent

import (
	"html/template"
	"io"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/trace"
)

// htmlPage is the self-contained report people attach to tickets: inline
// style, no script, no remote resource, so it reads the same offline and
// in a ticket system's preview. html/template escapes every value.
var htmlPage = template.Must(template.New("report").Funcs(template.FuncMap{
	"observed": observedText,
	"expected": expectedText,
	"modes":    func() []Mode { return Modes },
	"clock":    trace.Clock,
	"details":  stepDetails,
	"result":   runResult,
	"differs":  Cell.DiffersFrom,
	"title":    func(s Step, total int) string { return s.Title(total) },
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Consent check: {{.Verdict.Summary}}</title>
<style>
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1d2430;margin:0;background:#f5f6f8}
main{max-width:1100px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 10px}h3{font-size:16px;margin:24px 0 8px}
.sub{color:#5a6372;margin:0 0 20px}
.verdict{padding:14px 18px;border-radius:8px;font-size:18px;font-weight:600;margin:16px 0}
.verdict::first-letter{text-transform:uppercase}
.verdict ul{font-size:15px;font-weight:400;margin:8px 0 0;padding-left:22px}.verdict li{margin:3px 0}
.ok{background:#e4f4e8;border:1px solid #9bd3a8;color:#14532d}.bad{background:#fde8e8;border:1px solid #f1a3a3;color:#7f1d1d}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #d9dde3;border-radius:6px}
th,td{text-align:left;padding:7px 10px;border-bottom:1px solid #e6e9ee;vertical-align:top}
th{background:#eef1f5;font-weight:600}
table.facts th{width:160px;background:#fff}
td.diff{background:#fde8e8;color:#7f1d1d;font-weight:600}
td.mode{text-align:center}
.steps td{font-size:13px}.steps td.d{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;word-break:break-all}
ul.flags li{margin:4px 0}
.muted{color:#5a6372}
</style></head>
<body><main>
<h1>Consent check</h1>
<p class="sub">Cezanne's "Auto approve mode" for one client, observed with auto_approve omitted, true and false, each as a first and a second authorisation.</p>
<div class="verdict {{if and .Verdict.Matches .Verdict.Counted}}ok{{else}}bad{{end}}">{{.Verdict.Headline}}{{if .Verdict.Details}}
<ul>{{range .Verdict.Details}}<li>{{.}}</li>{{end}}</ul>{{end}}</div>
<table class="facts">{{range .Facts}}<tr><th>{{index . 0}}</th><td>{{index . 1}}</td></tr>{{end}}</table>
<h2>Observed against the documented modes</h2>
<table><tr><th>Run</th><th>auto_approve</th><th>Authorisation</th><th>Consent page shown</th><th>Answered by</th>{{range modes}}<th class="mode">{{.}}</th>{{end}}</tr>
{{range $c := .Cells}}<tr><td>{{$c.Run}}</td><td>{{$c.AutoApprove.Label}}</td><td>{{$c.Authorisation}}</td><td>{{observed $c}}{{if $c.Note}}<br><span class="muted">{{$c.Note}}</span>{{end}}</td><td>{{$c.AnsweredBy}}</td>{{range modes}}<td class="mode{{if differs $c .}} diff{{end}}">{{expected $c .}}</td>{{end}}</tr>
{{end}}</table>
<p class="muted">Each mode's column is what Cezanne's docs expect; ✗ marks a counted cell that differs. Disabled always shows the page; Automatic only the first time; OnDemand the first time, then unless auto_approve is true.</p>
<h2>Worth a look</h2>
{{if .Verdict.Flags}}<ul class="flags">{{range .Verdict.Flags}}<li>Run {{.Run}} ({{.Kind}}): {{.Detail}}</li>{{end}}</ul>
{{else}}<p>Nothing: every run echoed the state, granted the scopes requested, and returned a refresh token and expires_in.</p>{{end}}
<h2>Runs</h2>
{{range .Runs}}<h3>{{title .Step $.Planned}}, attempt {{.Attempt}}</h3>
<p>{{result .}}</p>
{{if .Steps}}<table class="steps"><tr><th>At</th><th>Step</th><th>Status</th><th>Details (secrets redacted)</th></tr>
{{range .Steps}}<tr><td>{{clock .At}}</td><td>{{.Title}}</td><td>{{if .Status}}{{.Status}}{{end}}</td><td class="d">{{details .}}</td></tr>
{{end}}</table>{{else}}<p class="muted">No trace: the run was not started.</p>{{end}}
{{end}}
</main></body></html>
`))

// WriteHTML writes the report as one self-contained HTML page.
func (r *Report) WriteHTML(w io.Writer) error {
	return htmlPage.Execute(w, struct {
		*Report
		Facts [][2]string
	}{r, r.facts()})
}
