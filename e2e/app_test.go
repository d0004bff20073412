package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// appBinary is the app built by make (CEZANNE_BIN), or built here.
func appBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("CEZANNE_BIN"); bin != "" {
		abs, err := filepath.Abs(bin)
		if err != nil {
			t.Fatal(err)
		}
		return abs
	}
	bin := filepath.Join(t.TempDir(), "cezanne-desktop")
	cmd := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", bin, ".")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// logWatcher collects a process's stderr and waits for lines in it.
type logWatcher struct {
	mu    sync.Mutex
	lines []string
	cond  *sync.Cond
}

func watch(t *testing.T, cmd *exec.Cmd) *logWatcher {
	t.Helper()
	w := &logWatcher{}
	w.cond = sync.NewCond(&w.mu)
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(pipe)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			w.mu.Lock()
			w.lines = append(w.lines, sc.Text())
			w.cond.Broadcast()
			w.mu.Unlock()
		}
		w.mu.Lock()
		w.lines = append(w.lines, "<exited>")
		w.cond.Broadcast()
		w.mu.Unlock()
	}()
	return w
}

// waitFor blocks until a line contains want, failing on a line with
// state=error or after the timeout.
func (w *logWatcher) waitFor(t *testing.T, want string, timeout time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	go func() { time.Sleep(timeout); w.mu.Lock(); w.cond.Broadcast(); w.mu.Unlock() }()
	w.mu.Lock()
	defer w.mu.Unlock()
	for seen := 0; ; {
		for ; seen < len(w.lines); seen++ {
			l := w.lines[seen]
			if strings.Contains(l, want) {
				return l
			}
			if strings.Contains(l, "state=error") || l == "<exited>" {
				t.Fatalf("waiting for %q, got %q\n%s", want, l, strings.Join(w.lines, "\n"))
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q within %v:\n%s", want, timeout, strings.Join(w.lines, "\n"))
		}
		w.cond.Wait()
	}
}

func (w *logWatcher) text() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Join(w.lines, "\n")
}

// sandboxDescription is the first line of "cezanne-desktop sandbox --describe".
type sandboxDescription struct {
	BaseURL string `json:"base_url"`
	Clients []struct {
		ID           string   `json:"client_id"`
		Secret       string   `json:"client_secret"`
		RedirectURIs []string `json:"redirect_uris"`
	} `json:"clients"`
}

// TestAppSignsInUnderXvfb launches the real binary in a window against the
// standalone sandbox, with xdg-open replaced by a script that plays the
// browser. It must end signed in with the People table showing; a relaunch
// with the same profile, and one with none, must sign in from the keyring
// without opening the browser.
func TestAppSignsInUnderXvfb(t *testing.T) {
	requireDesktop(t, true)
	bin := appBinary(t)
	out := outputDir(t)
	work := t.TempDir()
	redirect := freeLoopbackURI(t)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	sb := exec.CommandContext(ctx, bin, "sandbox", "--addr", "127.0.0.1:0", "--describe", "--redirect-uri", redirect, "--people", "2000")
	stdout, _ := sb.StdoutPipe()
	sbLog := &syncBuffer{}
	sb.Stderr = sbLog
	if err := sb.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = sb.Process.Kill(); _ = sb.Wait() }()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("sandbox --describe: %v\n%s", err, sbLog)
	}
	var desc sandboxDescription
	if err := json.Unmarshal([]byte(line), &desc); err != nil {
		t.Fatalf("sandbox --describe first line is not JSON: %v: %q", err, line)
	}
	var clientID, secret string
	for _, c := range desc.Clients {
		if c.ID == "desktop-ondemand.sandbox.cezannehr.com" {
			clientID, secret = c.ID, c.Secret
		}
	}
	profileName := "Sandbox " + time.Now().Format("150405.000")
	profile := filepath.Join(work, "profile.json")
	writeFile(t, profile, fmt.Sprintf(`{"name":%q,"base_url":%q,"client_id":%q,"redirect_uri":%q,"scopes":["APIRead"],"auto_approve":"true","pkce":true}`,
		profileName, desc.BaseURL, clientID, redirect))

	// The "browser": xdg-open plays the person with the sandbox robot and
	// records that it was asked to open something.
	fakeBin := filepath.Join(work, "fakebin")
	opened := filepath.Join(work, "opened.log")
	if err := os.MkdirAll(fakeBin, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(fakeBin, "xdg-open"), fmt.Sprintf("#!/bin/sh\necho \"opened\" >> %q\nexec %q sandbox approve \"$1\" >> %q 2>&1\n", opened, bin, opened))
	if err := os.Chmod(filepath.Join(fakeBin, "xdg-open"), 0o755); err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(work, "home")
	env := append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"PATH="+fakeBin+":"+os.Getenv("PATH"), "CEZANNE_CLIENT_SECRET="+secret, "LANG=en_GB.UTF-8")

	launch := func(name string, args ...string) (*exec.Cmd, *logWatcher) {
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Env = env
		w := watch(t, cmd)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			_ = os.WriteFile(filepath.Join(out, "app-"+name+".log"), []byte(w.text()), 0o644)
		})
		return cmd, w
	}
	stop := func(cmd *exec.Cmd) {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}

	// First launch: sign in through the "browser".
	first, w := launch("first", "--profile", profile, "--sign-in")
	w.waitFor(t, "state=signed-in", 60*time.Second)
	loaded := w.waitFor(t, "state=people-loaded", 10*time.Second)
	if !strings.Contains(loaded, "rows=200") || !strings.Contains(loaded, "total=2000") {
		t.Fatalf("People table: %s", loaded)
	}
	time.Sleep(1500 * time.Millisecond) // let the window paint before the screenshot
	shot := filepath.Join(out, "signed-in.png")
	if b, err := exec.Command("import", "-window", "root", shot).CombinedOutput(); err != nil {
		t.Fatalf("screenshot: %v %s", err, b)
	}
	t.Logf("screenshot: %s", shot)
	if st, err := os.Stat(shot); err != nil || st.Size() < 10_000 {
		t.Fatalf("screenshot missing or blank: %v", err)
	}
	if b, _ := os.ReadFile(opened); strings.Count(string(b), "opened") != 1 || !strings.Contains(string(b), "app answered: HTTP 200") {
		t.Fatalf("browser log: %s", b)
	}
	stop(first)

	// Relaunch with the same profile, then with none: straight in from the keyring.
	for _, run := range []struct {
		name string
		args []string
	}{
		{"relaunch-profile", []string{"--profile", profile}},
		{"relaunch-saved", nil},
	} {
		cmd, w := launch(run.name, run.args...)
		w.waitFor(t, "signed in from the keyring", 30*time.Second)
		w.waitFor(t, "state=people-loaded", 15*time.Second)
		stop(cmd)
		if b, _ := os.ReadFile(opened); strings.Count(string(b), "opened") != 1 {
			t.Fatalf("%s opened the browser again", run.name)
		}
	}

	// No secret may leak into the logs or preferences.
	var everything strings.Builder
	everything.WriteString(sbLog.String())
	_ = filepath.Walk(home, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			b, _ := os.ReadFile(p)
			everything.Write(b)
		}
		return nil
	})
	for _, f := range []string{"first", "relaunch-profile", "relaunch-saved"} {
		b, _ := os.ReadFile(filepath.Join(out, "app-"+f+".log"))
		everything.Write(b)
	}
	all := everything.String()
	for _, leak := range []string{secret, "gAAAA", "qZR6!I", "Pzw5!I"} {
		if strings.Contains(all, leak) {
			t.Errorf("a secret or token (%.6s…) appears in logs or preferences", leak)
		}
	}
}

// syncBuffer is a bytes.Buffer that a running process may write to while
// the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
