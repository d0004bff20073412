package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestCycloCheck runs .ci/cyclo (make vet's complexity check) with a
// stand-in for gocyclo that prints what gocyclo, through go run, prints in
// each case. A fresh machine's first run has go run announce the download
// on stderr; that once failed CI's vet.
func TestCycloCheck(t *testing.T) {
	exceptions := listedExceptions(t)
	if len(exceptions) < 2 {
		t.Fatalf(".gocyclo-exceptions lists %d functions; these cases need two", len(exceptions))
	}
	listed := strings.Join(exceptions, "\n")
	first, second := exceptions[0], exceptions[1]
	for _, tc := range []struct {
		name, stdout, stderr string
		status               int
		pass                 bool
		says                 string
	}{
		{"the listed ones", listed, "exit status 1", 1, true, ""},
		{"the listed ones, gocyclo downloaded first", listed,
			"go: downloading github.com/fzipp/gocyclo v0.6.0\nexit status 1", 1, true, ""},
		{"one more over 15", listed + "\n16 ui (*x).y ui/x.go:1:1", "exit status 1", 1, false, "(*x).y"},
		{"a listed one no longer over", first, "exit status 1", 1, false,
			strings.Join(strings.Fields(second)[1:3], " ") + " is listed"},
		{"a file it cannot parse", listed, "ui/x.go:3:1: expected declaration\nexit status 1", 1, false, "gocyclo failed"},
		{"go run fails", "", "go: downloading github.com/fzipp/gocyclo v0.6.0\ngo: no network", 1, false, "gocyclo failed"},
		{"gocyclo crashes", listed, "", 2, false, "gocyclo failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range map[string]string{"out": tc.stdout + "\n", "err": tc.stderr + "\n"} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			fake := filepath.Join(dir, "gocyclo")
			script := "#!/bin/sh\ncat " + filepath.Join(dir, "out") + "\ncat " + filepath.Join(dir, "err") + " >&2\nexit " +
				strconv.Itoa(tc.status) + "\n"
			if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(".ci/cyclo")
			cmd.Env = append(os.Environ(), "GOCYCLO="+fake)
			out, err := cmd.CombinedOutput()
			if (err == nil) != tc.pass {
				t.Fatalf("passed %v, want %v:\n%s", err == nil, tc.pass, out)
			}
			if !strings.Contains(string(out), tc.says) {
				t.Errorf("output %q does not say %q", out, tc.says)
			}
		})
	}
}

// listedExceptions are gocyclo's lines, complexity 17, for the functions
// .gocyclo-exceptions lists, so that the cases hold whatever it lists.
func listedExceptions(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(".gocyclo-exceptions")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 3 || strings.HasPrefix(f[0], "#") {
			continue
		}
		lines = append(lines, "17 "+f[0]+" "+f[1]+" x.go:1:1")
	}
	return lines
}
