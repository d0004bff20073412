// Package odatatest runs an OData server this project did not write, for
// tests that must not trust the project's own sandbox alone: SAP's Cloud
// Application Programming Model (@sap/cds, with SQLite in memory) serving
// OData v4, and the CAP community's v2 adapter
// (@cap-js-community/odata-v2-adapter) serving the same data as OData v2.
// The server holds generated people full of awkward values (Generate), so a
// test can compare what the data client reads with what was put in.
//
// It installs nothing. The node project is testdata/cap (testdata, so the
// go tool never walks its node_modules); make deps-test runs npm ci there.
// Without node or those modules Start skips the test, or fails it when
// CEZANNE_E2E=1 (make test) says the server must be there.
package odatatest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// DefaultPeople is how many people the tests' server holds.
const DefaultPeople = 2500

// startTimeout bounds the server's start: loading the CAP model and
// inserting the people take a few seconds, more on a busy machine.
const startTimeout = 120 * time.Second

// Server is a running CAP server.
type Server struct {
	// V4 and V2 are the OData service roots, without a trailing slash.
	V4, V2 string
	// People are the rows it serves, in the order they were generated.
	People []Person

	cmd    *exec.Cmd
	stdin  io.Closer
	stderr *tailBuffer
	done   chan struct{} // closed when the process has ended
}

// Root is the service root of an OData version (4, or 2).
func (s *Server) Root(version int) string {
	if version == 4 {
		return s.V4
	}
	return s.V2
}

// ByGUID indexes the people by PersonGuid.
func (s *Server) ByGUID() map[string]Person {
	m := make(map[string]Person, len(s.People))
	for _, p := range s.People {
		guid, _ := p.Value("PersonGuid")
		m[guid] = p
	}
	return m
}

// Start runs a server with n generated people until the test ends.
func Start(t testing.TB, n int) *Server {
	t.Helper()
	dir, err := ProjectDir()
	if err != nil {
		t.Fatal(err)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		unavailable(t, "node is not installed (make deps-test installs Debian's nodejs and npm)")
	}
	if err := Installed(dir); err != nil {
		unavailable(t, err.Error())
	}
	people := Generate(n)
	file := filepath.Join(t.TempDir(), "people.json")
	if err := writePeople(file, people); err != nil {
		t.Fatal(err)
	}
	s := &Server{People: people, stderr: &tailBuffer{max: 16 << 10}, done: make(chan struct{})}
	// Registered first: a server that started but never answered $metadata
	// is stopped too, not left running for the rest of the test binary.
	t.Cleanup(s.stop)
	if err := s.start(node, dir, file); err != nil {
		t.Fatal(err)
	}
	return s
}

// unavailable skips a test that needs the server, or fails it when
// CEZANNE_E2E=1 (make test) says everything must be there.
func unavailable(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CEZANNE_E2E") == "1" {
		t.Fatalf("CEZANNE_E2E=1 but the independent OData server cannot run: %s", why)
	}
	t.Skipf("independent OData server not available: %s", why)
}

// ProjectDir is the node project, found from the working directory (a
// test runs in its package's directory, inside the module).
func ProjectDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "internal", "odatatest", "testdata", "cap"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("odatatest: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Installed says whether npm ci has installed the project's modules, as
// its package-lock.json names them: npm writes node_modules/.package-lock.json
// last, so it is there only after a whole install, and an older one than
// package-lock.json means a stale install.
func Installed(dir string) error {
	lock, err := os.Stat(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		return err
	}
	done, err := os.Stat(filepath.Join(dir, "node_modules", ".package-lock.json"))
	if err != nil {
		return fmt.Errorf("its node modules are not installed (make deps-test runs npm ci in %s)", dir)
	}
	if done.ModTime().Before(lock.ModTime()) {
		return fmt.Errorf("its node modules are older than package-lock.json (make deps-test runs npm ci in %s)", dir)
	}
	return nil
}

// writePeople writes the people as the JSON rows server.js inserts:
// booleans and whole numbers as JSON's own (CAP takes the string "true" for
// no boolean), decimals and the rest as the canonical strings, which CAP
// reads as their types.
func writePeople(file string, people []Person) error {
	rows := make([]map[string]any, len(people))
	for i, p := range people {
		row := make(map[string]any, len(p))
		for _, prop := range Properties {
			v, null := p.Value(prop.Name)
			switch {
			case null:
				row[prop.Name] = nil
			case prop.V4 == "Edm.Boolean":
				row[prop.Name] = v == "true"
			case prop.V4 == "Edm.Int64" || prop.V4 == "Edm.Double":
				row[prop.Name] = json.Number(v)
			default:
				row[prop.Name] = v
			}
		}
		rows[i] = row
	}
	b, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	return os.WriteFile(file, b, 0o600)
}

func (s *Server) start(node, dir, file string) error {
	cmd := exec.Command(node, "server.js", file)
	cmd.Dir = dir
	// NODE_ENV=test keeps CAP out of production mode; no proxy for loopback.
	cmd.Env = append(os.Environ(), "NODE_ENV=test", "NO_PROXY=127.0.0.1", "no_proxy=127.0.0.1")
	cmd.Stderr = s.stderr
	// server.js ends when its stdin closes: when the test process ends,
	// however it ends (a test timeout's panic runs no cleanup), so no node
	// process outlives a test run.
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	// Held in s: a pipe no one refers to is closed by its finalizer.
	s.stdin = stdin
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting the CAP server: %w", err)
	}
	s.cmd = cmd
	addr := make(chan string, 1)
	go func() {
		// The first "listening" line is the address; the rest is drained
		// so that the server never blocks on a full pipe.
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "listening "); ok {
				select {
				case addr <- a:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, out)
	}()
	go func() {
		_ = cmd.Wait()
		close(s.done)
	}()
	select {
	case a := <-addr:
		// The v2 adapter writes its next links to http://localhost:port
		// when asked at http://127.0.0.1:port (rootUri in its index.js), and
		// the client rightly follows no link to another host: ask at
		// localhost, which reaches the same loopback listener.
		root := strings.Replace(a, "://127.0.0.1:", "://localhost:", 1)
		s.V4, s.V2 = root+"/odata/v4/DataService.svc", root+"/odata/v2/DataService.svc"
	case <-s.done:
		return fmt.Errorf("the CAP server ended before it listened (%v): %s", cmd.ProcessState, s.stderr.String())
	case <-time.After(startTimeout):
		s.stop()
		return fmt.Errorf("the CAP server did not listen within %v: %s", startTimeout, s.stderr.String())
	}
	return s.ready()
}

// ready waits until both services answer $metadata: the adapter reads the
// v4 service's on its first request.
func (s *Server) ready() error {
	// A bound of its own: a server that accepts but never answers would
	// otherwise hold the test until go test's own timeout.
	hc := &http.Client{Timeout: startTimeout}
	for _, root := range []string{s.V4, s.V2} {
		resp, err := hc.Get(root + "/$metadata")
		if err != nil {
			return fmt.Errorf("the CAP server's %s: %w", root, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("the CAP server's %s/$metadata answered %s: %s", root, resp.Status, s.stderr.String())
		}
	}
	return nil
}

// stop ends the server: its stdin closed and SIGTERM, and a kill if it
// has not ended in 5 s.
func (s *Server) stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.stdin.Close()
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// tailBuffer keeps the last max bytes written to it: the server's stderr,
// for the message when it fails.
type tailBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	if over := b.buf.Len() - b.max; over > 0 {
		b.buf.Next(over)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.TrimSpace(b.buf.String())
}
