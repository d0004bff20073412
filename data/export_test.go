package data

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

func TestExportCSV(t *testing.T) {
	c, srv := sandboxClient(t, sandbox.Config{People: 1234})
	m, _ := c.Metadata(context.Background())
	et, _ := m.EntitySet(PeopleSet)
	var cols []Property
	for _, n := range []string{"FormattedName", "LastName", "StartDate", "IsActive", "FullTimeEquivalent"} {
		p, _ := et.Property(n)
		cols = append(cols, p)
	}
	var buf bytes.Buffer
	var last [2]int
	err := c.ExportCSV(context.Background(), PeopleSet, Query{OrderBy: []Order{{Property: "PersonCode"}}}, cols, &buf, func(d, t int) { last = [2]int{d, t} })
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\uFEFFName,Last name,Start date,Is active,Full time equivalent\n") {
		t.Fatalf("header: %q", out[:min(len(out), 120)])
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 1235 || last != [2]int{1234, 1234} {
		t.Fatalf("%d lines, progress %v", len(lines), last)
	}
	if !strings.Contains(out, "O'Brien") || !strings.Contains(lines[1], ",Yes,") && !strings.Contains(lines[1], ",No,") {
		t.Fatalf("values: %s", lines[1])
	}
	// Only the chosen columns were asked for.
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/People") && !strings.Contains(r.Query, "%24select=FormattedName%2CLastName") {
			t.Fatalf("export request without $select: %s", r.Query)
		}
	}
	if got := csvValue("=HYPERLINK(\"x\")", Property{Type: "Edm.String"}); got != "'=HYPERLINK(\"x\")" {
		t.Fatalf("formula not neutralised: %s", got)
	}
}
