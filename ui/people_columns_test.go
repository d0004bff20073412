package ui

import (
	"strings"
	"testing"
)

func TestPeopleColumnsAreChosenAndRemembered(t *testing.T) {
	h, v := signedInDemo(t)
	v.setColumns([]string{"LastName", "FirstName", "Department", "Nonsense"})
	if len(v.columns) != 3 || cellText(t, v, 0, 0) == "" {
		t.Fatalf("columns %v", v.columns)
	}
	// The choice survives a relaunch.
	if got := h.app.fyneApp.Preferences().String(prefColumns); !strings.HasPrefix(got, "LastName,FirstName,Department") {
		t.Fatalf("columns not remembered: %q", got)
	}
}
