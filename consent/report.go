package consent

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/atomicfile"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/trace"
)

// Format names the report's JSON layout so later versions can tell it apart.
const Format = "cezanne-desktop-consent/1"

// RunRecord is one attempt of one step, as the report keeps it. A repeated
// step has several; only the last one's cell is counted.
type RunRecord struct {
	Step Step `json:"step"`
	// Attempt counts the attempts of this step from 1.
	Attempt int     `json:"attempt"`
	Outcome Outcome `json:"outcome"`
	// ConsentShown is the answer given (nil when skipped or not answered).
	ConsentShown *bool      `json:"consent_shown"`
	AnsweredBy   AnsweredBy `json:"answered_by,omitempty"`
	// Repeated says the person chose Repeat after this attempt.
	Repeated bool   `json:"repeated,omitempty"`
	Error    string `json:"error,omitempty"`
	// Steps is the attempt's trace, already redacted by internal/trace.
	Steps []trace.Step `json:"trace"`
}

// Report is everything a ticket needs about one check. It holds no secret
// and no token: the client secret is never copied into it, and each run's
// trace steps are redacted when they are recorded.
type Report struct {
	Format     string    `json:"format"`
	Tenant     string    `json:"tenant"`
	ClientID   string    `json:"client_id"`
	Scopes     []string  `json:"scopes"`
	AppVersion string    `json:"app_version"`
	Date       time.Time `json:"date"`
	// Sandbox says a sandbox tenant answered (unattended, or as a hint).
	Sandbox bool `json:"sandbox"`
	// Planned is how many runs the plan had.
	Planned int         `json:"planned_runs"`
	Verdict Verdict     `json:"verdict"`
	Cells   []Cell      `json:"cells"`
	Runs    []RunRecord `json:"runs"`
	// Cancelled says the check was stopped before every step was done.
	Cancelled bool `json:"cancelled,omitempty"`
}

// WriteJSON writes the report as indented JSON (Format).
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// ReadJSON reads a report written by WriteJSON (tests and tools).
func ReadJSON(rd io.Reader) (*Report, error) {
	var r Report
	if err := json.NewDecoder(io.LimitReader(rd, 64<<20)).Decode(&r); err != nil {
		return nil, fmt.Errorf("not a consent report: %w", err)
	}
	if r.Format != Format {
		return nil, fmt.Errorf("not a consent report (format %q, expected %q)", r.Format, Format)
	}
	return &r, nil
}

// Save writes the report to path by its extension: .html or .htm for the
// self-contained page, .md for Markdown, JSON otherwise. The file is
// written whole or not at all, readable by the person only.
func (r *Report) Save(path string) error {
	return atomicfile.Write(path, 0o600, func(w io.Writer) error {
		switch strings.ToLower(filepath.Ext(path)) {
		case ".html", ".htm":
			return r.WriteHTML(w)
		case ".md", ".markdown":
			return r.WriteMarkdown(w)
		}
		return r.WriteJSON(w)
	})
}
