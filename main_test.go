package main

import "testing"

// TestDispatchRefusesBadCommandLines covers only lines that end before
// anything starts: the rest opens a window or serves a tenant.
func TestDispatchRefusesBadCommandLines(t *testing.T) {
	for _, args := range [][]string{
		{"bogus"},
		{"--help"},
		{"--profile"},
		{"sandbox", "--addr", "0.0.0.0:1"},
		{"sandbox", "--help"},
		{"sandbox", "approve"},
		{"sandbox", "approve", "--bogus", "http://127.0.0.1/authorize"},
	} {
		if code := dispatch(args); code != 2 {
			t.Errorf("%q: exit status %d, want 2", args, code)
		}
	}
}
