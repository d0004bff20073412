package trace

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/atomicfile"
)

// file is the JSON form of a trace: what a bug tracker or a script reads.
type file struct {
	Format       string    `json:"format"`
	Meta         Meta      `json:"meta"`
	Started      time.Time `json:"started"`
	TotalMS      float64   `json:"total_ms"`
	DroppedCalls int       `json:"dropped_calls,omitempty"`
	Steps        []Step    `json:"steps"`
}

// Format names the JSON layout so later versions can tell it apart.
const Format = "cezanne-desktop-trace/1"

// WriteJSON writes the trace as indented JSON. Secrets are redacted in the
// steps themselves, so nothing here can leak one.
func (t *Trace) WriteJSON(w io.Writer) error {
	steps := t.Steps()
	f := file{Format: Format, Meta: t.runMeta(), Started: t.started, DroppedCalls: t.Dropped(), Steps: steps}
	if n := len(steps); n > 0 {
		last := steps[n-1]
		f.TotalMS = last.OffsetMS + last.DurationMS
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(f)
}

// ReadJSON reads a trace written by WriteJSON (tests and tools).
func ReadJSON(r io.Reader) (Meta, []Step, error) {
	var f file
	if err := json.NewDecoder(io.LimitReader(r, 64<<20)).Decode(&f); err != nil {
		return Meta{}, nil, fmt.Errorf("not a trace file: %w", err)
	}
	if f.Format != Format {
		return Meta{}, nil, fmt.Errorf("not a trace file (format %q)", f.Format)
	}
	return f.Meta, f.Steps, nil
}

// WriteMarkdown writes the trace for a bug report: a summary table, then
// each step's fields and its curl command.
func (t *Trace) WriteMarkdown(w io.Writer) error {
	m := t.runMeta()
	steps := t.Steps()
	var b strings.Builder
	b.WriteString("# Cezanne HR Desktop flow trace\n\n")
	fmt.Fprintf(&b, "| | |\n|---|---|\n| App | %s %s |\n| OS | %s |\n| Go | %s |\n| Started | %s |\n",
		mdCell(m.App), mdCell(m.Version), mdCell(m.OS), mdCell(m.GoVersion), t.started.Format(time.RFC3339))
	if p := m.Profile; p != nil {
		fmt.Fprintf(&b, "| Profile | %s |\n| Tenant | %s |\n| Client ID | %s |\n| Redirect URI | %s |\n| Scopes | %s |\n| auto_approve | %s |\n| PKCE | %s |\n",
			mdCell(p.Name), mdCell(p.BaseURL+p.Subdomain), mdCell(p.ClientID), mdCell(p.RedirectURI),
			mdCell(strings.Join(p.Scopes, " ")), mdCell(p.AutoApprove), yesNo(p.UsePKCE()))
	}
	if n := t.Dropped(); n > 0 {
		fmt.Fprintf(&b, "\n%d earlier API calls and token refreshes were left out to keep the trace small.\n", n)
	}
	b.WriteString("\n## Steps\n\n| # | At | After start | Took | Step | Status | Result |\n|---|---|---:|---:|---|---|---|\n")
	for i, s := range steps {
		fmt.Fprintf(&b, "| %d | %s | %s | %s | %s | %s | %s |\n", i+1, Clock(s.At), Duration(s.OffsetMS), tookCell(s.DurationMS),
			mdCell(s.Title), statusCell(s.Status), mdCell(resultText(s)))
	}
	for i, s := range steps {
		if len(s.Fields) == 0 && s.URL == "" && s.Error == "" {
			continue
		}
		fmt.Fprintf(&b, "\n### %d. %s\n\n", i+1, mdCell(s.Title))
		if s.URL != "" {
			fmt.Fprintf(&b, "`%s %s`", mdCode(s.Method), mdCode(s.URL))
			if s.Size > 0 {
				fmt.Fprintf(&b, " · %d bytes", s.Size)
			}
			b.WriteString("\n\n")
		}
		if s.Error != "" {
			fmt.Fprintf(&b, "**%s**\n\n", mdCell(s.Error))
		}
		if len(s.Fields) > 0 {
			b.WriteString("| Field | Value | Note |\n|---|---|---|\n")
			for _, f := range s.Fields {
				fmt.Fprintf(&b, "| %s | %s | %s |\n", mdCell(f.Name), mdCell(f.Value), mdCell(f.Note))
			}
			b.WriteString("\n")
		}
		if s.Curl != "" {
			fence := mdFence(s.Curl)
			fmt.Fprintf(&b, "%ssh\n%s\n%s\n", fence, s.Curl, fence)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// resultText is a step's outcome in a few words.
func resultText(s Step) string {
	switch {
	case s.Error != "":
		return s.Error
	case s.Kind == StepCallback:
		return "state matched"
	case s.Kind == StepTokenResponse:
		if v := s.Field("expires_in"); v != "" {
			return "expires_in " + v + ", scope " + s.Field("scope")
		}
	case s.Kind == StepTokenInfo:
		return s.Field("Username")
	case s.Size > 0:
		return fmt.Sprintf("%d bytes", s.Size)
	}
	return "ok"
}

func statusCell(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprint(n)
}

func tookCell(v float64) string {
	if v == 0 {
		return ""
	}
	return Duration(v)
}

// mdCellEscaper keeps text chosen by a server or a forged callback as text:
// no raw HTML, no extra table cell, no code span.
var mdCellEscaper = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;", "|", `\|`, "`", "\\`", `\`, `\\`, "\r", "", "\n", "<br>")

// mdCell keeps a value inside one Markdown table cell (or one line).
func mdCell(s string) string { return mdCellEscaper.Replace(s) }

// mdCodeEscaper keeps a value inside one code span: a backtick would end
// it and a new line start a new paragraph.
var mdCodeEscaper = strings.NewReplacer("`", "%60", "\r", "%0D", "\n", "%0A")

// mdCode keeps a value inside one code span.
func mdCode(s string) string { return mdCodeEscaper.Replace(s) }

// mdFence is a code fence longer than any run of backticks in s, so that
// nothing in s can close the block early (CommonMark §4.5).
func mdFence(s string) string {
	longest, run := 0, 0
	for _, c := range s {
		if c != '`' {
			run = 0
			continue
		}
		run++
		longest = max(longest, run)
	}
	return strings.Repeat("`", max(3, longest+1))
}

// placeholder is the shell variable a secret form field stands for.
func placeholder(name string) string {
	return "$" + strings.ToUpper(strings.NewReplacer("-", "_", ".", "_").Replace(name))
}

// curlForm repeats a form POST (a token request) with curl; credentials are
// shell variables the tester sets first.
func curlForm(req *http.Request, form url.Values) string {
	parts := []string{"curl -X " + req.Method + " " + shellQuote(redactURL(req.URL)),
		"-H " + shellQuote("Content-Type: application/x-www-form-urlencoded")}
	if id, _, ok := basicAuth(req); ok {
		parts = append(parts, `-u "`+shellDQ(id)+`:$CLIENT_SECRET"`)
	}
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range form[k] {
			if secretParam(k) {
				parts = append(parts, `--data-urlencode "`+shellDQ(k)+"="+placeholder(k)+`"`)
			} else {
				parts = append(parts, "--data-urlencode "+shellQuote(k+"="+v))
			}
		}
	}
	return strings.Join(parts, " \\\n  ")
}

// curlBearer repeats a call made with the access token.
func curlBearer(req *http.Request) string {
	parts := []string{"curl " + shellQuote(redactURL(req.URL))}
	if req.Method != http.MethodGet {
		parts[0] = "curl -X " + req.Method + " " + shellQuote(redactURL(req.URL))
	}
	parts = append(parts, `-H "Authorization: Bearer $ACCESS_TOKEN"`)
	names := make([]string, 0, len(req.Header))
	for k := range req.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if k == "Authorization" || k == "User-Agent" || k == "Cookie" {
			continue
		}
		for _, v := range req.Header[k] {
			parts = append(parts, "-H "+shellQuote(k+": "+v))
		}
	}
	return strings.Join(parts, " \\\n  ")
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// shellDQ escapes text for the inside of a double-quoted shell word.
func shellDQ(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`").Replace(s)
}

// Save writes the trace to path: Markdown for a .md file, JSON otherwise.
// The file is written whole or not at all, so a crash never leaves half a
// trace, and is readable by the person only.
func (t *Trace) Save(path string) error {
	return atomicfile.Write(path, 0o600, func(w io.Writer) error {
		if strings.EqualFold(filepath.Ext(path), ".md") {
			return t.WriteMarkdown(w)
		}
		return t.WriteJSON(w)
	})
}
