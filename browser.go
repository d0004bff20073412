package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/pkg/browser"
)

// openerGrace is how long opening the browser waits for the opener to
// fail. An opener that cannot open anything (no browser, no desktop) says
// so at once; one still running after this has started a browser in the
// foreground, which can run for hours: xdg-open returns only when the
// browser quits when no browser was running yet.
const openerGrace = 3 * time.Second

// openBrowser opens the system browser on url and returns once the browser
// is on its way, never waiting for it to quit; the opener is reaped in the
// background. Nothing the browser prints reaches our terminal (some print
// the URL they were given).
func openBrowser(url string) error {
	if runtime.GOOS == "windows" {
		// ShellExecute hands the URL to the shell and returns at once.
		browser.Stdout, browser.Stderr = io.Discard, io.Discard
		return browser.OpenURL(url)
	}
	path, err := opener()
	if err != nil {
		return err
	}
	return startOpener(exec.Command(path, url), url, openerGrace)
}

// opener finds the program that opens URLs in the person's browser, in
// pkg/browser's order.
func opener() (string, error) {
	providers := []string{"xdg-open", "x-www-browser", "www-browser"}
	if runtime.GOOS == "darwin" {
		providers = []string{"open"}
	}
	for _, p := range providers {
		if path, err := exec.LookPath(p); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("none of %s is installed", strings.Join(providers, ", "))
}

// startOpener starts cmd and waits up to grace for it to fail. The reason
// is the last line it wrote to stderr, with url (long, and shown elsewhere)
// named rather than repeated.
func startOpener(cmd *exec.Cmd, url string, grace time.Duration) error {
	// An *os.File, not an io.Writer: with a writer, Wait would also wait for
	// the browser, which inherits the descriptor and keeps it open.
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	cmd.Stderr = w
	err = cmd.Start()
	w.Close()
	if err != nil {
		r.Close()
		return err
	}
	tail := &lastLine{}
	drained := make(chan struct{})
	go func() {
		// Read to the end, however long the browser runs: a closed pipe
		// would kill it with SIGPIPE when it next writes.
		_, _ = io.Copy(tail, r)
		r.Close()
		close(drained)
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err == nil {
			return nil
		}
		// A browser it started may still hold stderr: what the opener
		// wrote is in the pipe already, so wait for it only briefly.
		select {
		case <-drained:
		case <-time.After(200 * time.Millisecond):
		}
		name := filepath.Base(cmd.Path)
		if line := tail.String(); line != "" {
			return fmt.Errorf("%s could not open a browser: %s", name, strings.ReplaceAll(line, url, "the sign-in link"))
		}
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return fmt.Errorf("%s could not open a browser (%v)", name, exit)
		}
		return fmt.Errorf("%s could not open a browser: %w", name, err)
	case <-time.After(grace):
		return nil
	}
}

// lastLine keeps the last non-empty line written to it, in bounded memory.
type lastLine struct {
	mu   sync.Mutex
	buf  []byte // the line being written
	last string
}

const maxLine = 1000

func (l *lastLine) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range bytes.SplitAfter(p, []byte("\n")) {
		l.buf = append(l.buf, line...)
		if len(l.buf) > maxLine {
			l.buf = l.buf[len(l.buf)-maxLine:]
		}
		if bytes.HasSuffix(l.buf, []byte("\n")) {
			if s := strings.TrimSpace(string(l.buf)); s != "" {
				l.last = s
			}
			l.buf = l.buf[:0]
		}
	}
	return len(p), nil
}

func (l *lastLine) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if s := strings.TrimSpace(string(l.buf)); s != "" {
		return s
	}
	return l.last
}
