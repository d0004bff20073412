package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

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

// builtBinary is the app as make builds it (CEZANNE_BIN), or built here:
// package initialisation order is what the locale test is about, so it
// runs the real binary rather than dispatch.
func builtBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("CEZANNE_BIN"); bin != "" {
		return bin
	}
	bin := filepath.Join(t.TempDir(), "cezanne-desktop")
	if out, err := exec.Command("go", "build", "-tags", "migrated_fynedo,no_emoji,no_animations", "-trimpath", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// TestNoLocaleErrorsInCLocales starts the sandbox as a person would in a
// minimal container or over SSH, where the locale is C, POSIX or C.UTF-8
// (Debian's default without locales installed). Fyne's translations read
// the locale when the binary starts and used to print three lines of
// "Fyne error: Error parsing user locale C" before anything else.
func TestNoLocaleErrorsInCLocales(t *testing.T) {
	bin := builtBinary(t)
	for _, tt := range []struct {
		name string
		env  []string
	}{
		{"C", []string{"LANG=C", "LC_ALL=C"}},
		{"POSIX", []string{"LANG=POSIX"}},
		{"LANG C.UTF-8", []string{"LANG=C.UTF-8"}},
		{"LC_ALL C.UTF-8 over LANG", []string{"LANG=en_GB.UTF-8", "LC_ALL=C.UTF-8"}},
		{"LC_MESSAGES C.utf8", []string{"LC_MESSAGES=C.utf8"}},
		{"C.UTF-8 with LANGUAGE", []string{"LANG=C.UTF-8", "LANGUAGE=en_GB:en"}},
		{"en_GB.UTF-8", []string{"LANG=en_GB.UTF-8"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			stderr := runSandboxBriefly(t, bin, tt.env)
			for _, noise := range []string{"Fyne error", "locale"} {
				if strings.Contains(stderr, noise) {
					t.Errorf("stderr mentions %q:\n%s", noise, stderr)
				}
			}
		})
	}
}

// runSandboxBriefly starts "cezanne-desktop sandbox" in an environment with
// no locale variables but env, waits until it serves, stops it with
// Ctrl+C, and returns what it wrote to stderr.
func runSandboxBriefly(t *testing.T, bin string, env []string) string {
	t.Helper()
	cmd := exec.Command(bin, "sandbox", "--addr", "127.0.0.1:0", "--describe", "--quiet")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LANG") && !strings.HasPrefix(kv, "LC_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// --describe puts one JSON line out once the tenant listens.
	if _, err := bufio.NewReader(stdout).ReadString('\n'); err != nil {
		t.Errorf("the sandbox did not start: %v", err)
	}
	_ = cmd.Process.Signal(os.Interrupt)
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	_ = cmd.Wait()
	return stderr.String()
}
