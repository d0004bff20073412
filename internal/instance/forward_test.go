package instance

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestForwardRefused: a sender without the secret, or with a message the
// app does not know, is refused and never reaches the app.
func TestForwardRefused(t *testing.T) {
	dir := filepath.Join(testDir(t), "run")
	got := make(chan string, 4)
	in, err := Listen(dir, func(kind, u string) error { got <- kind + " " + u; return nil })
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	tests := []struct {
		name string
		msg  request
		want string
	}{
		{"wrong secret", request{Secret: "guess", Kind: MessageURL, URL: "x-cez://oauth-callback/?code=evil"}, "not authenticated"},
		{"unknown kind", request{Secret: in.secret, Kind: "exec"}, "unknown message exec"},
		{"too long", request{Secret: in.secret, Kind: MessageURL, URL: strings.Repeat("x", maxMessage)}, "too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := forward(dir, tt.msg); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("forward = %v, want %q", err, tt.want)
			}
		})
	}
	select {
	case g := <-got:
		t.Fatalf("refused message delivered: %s", g)
	default:
	}
}

func TestForwardWithoutInstance(t *testing.T) {
	if err := Forward(testDir(t), MessageShow, ""); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("Forward to an empty dir: %v", err)
	}
}

// TestForwardRefusesUnsafeChannel: the link (with its sign-in code) is
// sent only through a directory, key and socket that are the user's own.
func TestForwardRefusesUnsafeChannel(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix owners or modes")
	}
	tests := []struct {
		name   string
		root   bool // needs root to give a file away
		spoil  func(t *testing.T, dir string) (fwdDir string)
		reason string
	}{
		{"directory open to others", false, func(t *testing.T, dir string) string {
			mustChmod(t, dir, 0o755)
			return dir
		}, "open to other users"},
		{"directory is a symlink", false, func(t *testing.T, dir string) string {
			link := filepath.Join(testDir(t), "link")
			if err := os.Symlink(dir, link); err != nil {
				t.Fatal(err)
			}
			return link
		}, "symbolic link"},
		{"key is a symlink", false, func(t *testing.T, dir string) string {
			key := filepath.Join(dir, keyName)
			moved := filepath.Join(testDir(t), "key")
			if err := os.Rename(key, moved); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(moved, key); err != nil {
				t.Fatal(err)
			}
			return dir
		}, "symbolic link"},
		{"key readable by others", false, func(t *testing.T, dir string) string {
			mustChmod(t, filepath.Join(dir, keyName), 0o644)
			return dir
		}, "open to other users"},
		{"directory of another user", true, func(t *testing.T, dir string) string {
			mustChown(t, dir)
			return dir
		}, "another user"},
		{"socket of another user", true, func(t *testing.T, dir string) string {
			mustChown(t, filepath.Join(dir, socketName))
			return dir
		}, "another user"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.root && os.Getuid() != 0 {
				t.Skip("needs root to give a file to another user")
			}
			dir := filepath.Join(testDir(t), "run")
			got := make(chan string, 1)
			in, err := Listen(dir, func(kind, u string) error { got <- u; return nil })
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			err = Forward(tt.spoil(t, dir), MessageURL, "x-cez://oauth-callback/?code=secret")
			if !errors.Is(err, ErrUnsafe) || !strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("Forward = %v, want ErrUnsafe saying %q", err, tt.reason)
			}
			select {
			case u := <-got:
				t.Fatalf("sent through an unsafe channel: %s", u)
			default:
			}
		})
	}
}

// TestForwardOddReplies: an answer that is neither yes nor a reason is
// worded for the person, never an empty error or "not running".
func TestForwardOddReplies(t *testing.T) {
	tests := []struct {
		name, reply string
		want        string // "" means success
	}{
		{"yes", `{"ok":true}` + "\n", ""},
		{"refusal", `{"error":"the sign-in has ended"}` + "\n", "the sign-in has ended"},
		{"empty object", "{}\n", "refused the link without saying why"},
		{"closed without answer", "", "closed the channel without answering"},
		{"not JSON", "hello\n", "unreadable answer"},
		{"no answer in time", silent, ErrUnconfirmed.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.reply == silent {
				was := deadline
				deadline = 300 * time.Millisecond
				t.Cleanup(func() { deadline = was })
			}
			dir := fakeInstance(t, tt.reply)
			err := Forward(dir, MessageShow, "")
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Forward = %v, want success", err)
			case tt.want != "" && (err == nil || errors.Is(err, ErrNotRunning) || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("Forward = %v, want an error saying %q", err, tt.want)
			}
		})
	}
}

// silent is the reply of a fake instance that takes the message and never
// answers, as an app whose window is stuck would.
const silent = "(silent)"

// fakeInstance serves one canned reply on the channel of a private
// directory (a Unix socket, or on Windows the named pipe).
func fakeInstance(t *testing.T, reply string) string {
	t.Helper()
	dir := filepath.Join(testDir(t), "run")
	if err := privateDir(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, keyName), []byte("k"), 0o600); err != nil {
		t.Fatal(err)
	}
	ch, err := listenChannel(dir)
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop); ch.close() })
	go func() {
		c, err := ch.accept()
		if err != nil {
			return
		}
		defer c.Close()
		_, _ = bufio.NewReader(c).ReadString('\n')
		if reply == silent {
			<-stop
			return
		}
		_, _ = io.WriteString(c, reply)
	}()
	return dir
}

func mustChmod(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func mustChown(t *testing.T, path string) {
	t.Helper()
	if err := os.Lchown(path, 65534, 65534); err != nil {
		t.Fatal(err)
	}
}
