package consent

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// TestHTMLIsSelfContainedAndEscaped: the page a ticket gets loads nothing
// from elsewhere, runs no script, and shows crafted values as text.
func TestHTMLIsSelfContainedAndEscaped(t *testing.T) {
	var b bytes.Buffer
	if err := craftedReport().WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if regexp.MustCompile(`(?i)<script|<img|<link|<iframe|<[^>]*\s(src|href)=|@import|url\(`).MatchString(page) {
		t.Errorf("the page loads or runs something:\n%s", page)
	}
	for _, want := range []string{
		`<div class="verdict ok">behaves as OnDemand</div>`,
		"<th>Client ID</th><td>client|&lt;b&gt;x&lt;/b&gt;</td>",
		"&lt;img src=x onerror=alert(1)&gt;",
		`<td class="mode diff">yes ✗</td>`,
		"Run 1 of 6: auto_approve omitted, first authorisation, attempt 1",
		"not observed (skipped)",
		"Run 1 (scopes_differ): granted beyond the request:",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

// TestHTMLNoMatchStandsOut: a verdict of no documented mode, or no verdict
// at all, is shown as one, in its own colour.
func TestHTMLNoMatchStandsOut(t *testing.T) {
	tests := []struct {
		name  string
		shown []*bool
		class string
	}{
		{"match", []*bool{boolp(true), boolp(false), boolp(true), boolp(false), boolp(true), boolp(false)}, `class="verdict ok"`},
		{"no match", []*bool{boolp(false), boolp(false), boolp(false), boolp(false), boolp(false), boolp(false)}, `class="verdict bad">matches no documented mode
<ul><li>Automatic differs at runs 1, 3 and 5</li><li>OnDemand differs at runs 1, 2, 3, 5 and 6</li>`},
		// Every mode "matches" when nothing was counted: that is no verdict.
		{"nothing observed", make([]*bool, 6), `class="verdict bad">nothing was observed`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cells := cellsFor(tc.shown...)
			r := &Report{Format: Format, Planned: 6, Cells: cells, Verdict: Decide(cells, nil)}
			var b bytes.Buffer
			if err := r.WriteHTML(&b); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), tc.class) {
				t.Errorf("the page lacks %q", tc.class)
			}
		})
	}
}
