package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

func TestPeopleExportWritesTheChosenColumns(t *testing.T) {
	_, v := signedInDemo(t)
	v.setColumns([]string{"LastName", "FirstName", "Department"})
	path := filepath.Join(t.TempDir(), "people.csv")
	v.exportTo(path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("export: %v (status %q)", err, v.status.Text)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if !strings.HasPrefix(lines[0], "\uFEFFLast name,First name,Department") || len(lines) != 501 {
		t.Fatalf("%d lines, header %q", len(lines), lines[0])
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*.part")); len(left) > 0 {
		t.Fatalf("temporary file left behind: %v", left)
	}
	if !strings.HasPrefix(v.status.Text, "Exported to ") {
		t.Fatalf("status %q", v.status.Text)
	}
}

// A failed export leaves neither the file nor its temporary file behind.
func TestPeopleExportFailureLeavesNoFile(t *testing.T) {
	h, v := signedInDemo(t)
	h.srv.SetFaults(sandbox.Faults{Fail500: 100})
	path := filepath.Join(t.TempDir(), "people.csv")
	v.exportTo(path)
	if !strings.HasPrefix(v.status.Text, "Export failed: ") {
		t.Fatalf("status %q", v.status.Text)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*")); len(left) > 0 {
		t.Fatalf("files left behind: %v", left)
	}
}
