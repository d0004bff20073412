package auth

import (
	"bufio"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"time"
)

// The single-instance channel. When the OS opens an x-cez:// link it starts
// a second copy of the app with the link as its argument (Windows, Linux);
// that copy forwards the link to the running app and exits. A second
// double-click forwards "show" instead, so the running window comes forward.
//
// The channel is a Unix socket (Windows 10 and later have them too) in a
// directory only the user can enter, and every message must carry a random
// secret the running app wrote, readable by the user only: another user,
// or a process that can reach the socket some other way, cannot inject a
// sign-in response. Known single-instance libraries do not authenticate
// the sender.

// Message kinds on the instance channel.
const (
	MessageShow = "show" // bring the window forward
	MessageURL  = "url"  // a redirect link the OS handed to a second process
)

// ErrNoInstance means no copy of the app is running (or it is not answering).
var ErrNoInstance = errors.New("no running Cezanne HR Desktop")

const (
	instanceSocket   = "instance.sock"
	instanceKey      = "instance.key"
	maxInstanceMsg   = 16 << 10
	instanceDeadline = 5 * time.Second
)

type instanceMessage struct {
	Secret string `json:"secret"`
	Kind   string `json:"kind"`
	URL    string `json:"url,omitempty"`
}

type instanceReply struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// InstanceDir is the per-user directory of the channel: under
// $XDG_RUNTIME_DIR when set (Linux sessions), else the user cache directory.
func InstanceDir() (string, error) {
	base := os.Getenv("XDG_RUNTIME_DIR")
	if base == "" {
		var err error
		if base, err = os.UserCacheDir(); err != nil {
			return "", err
		}
	}
	return filepath.Join(base, "cezanne-desktop"), nil
}

// Instance is the running app's end of the channel.
type Instance struct {
	ln     net.Listener
	dir    string
	secret string
	handle func(kind, url string) error
	done   chan struct{}
}

// ListenInstance makes this process the running instance: it writes a new
// secret and listens in dir. handle is called for every authenticated
// message (from the channel's goroutine); its error goes back to the sender.
// If another instance answers in dir, ListenInstance returns an error.
func ListenInstance(dir string, handle func(kind, url string) error) (*Instance, error) {
	if err := privateDir(dir); err != nil {
		return nil, err
	}
	sock := filepath.Join(dir, instanceSocket)
	if conn, err := net.DialTimeout("unix", sock, time.Second); err == nil {
		conn.Close()
		return nil, errors.New("another Cezanne HR Desktop is already running")
	}
	_ = os.Remove(sock) // left by an instance that crashed
	secret := randomString(32)
	if err := writePrivate(filepath.Join(dir, instanceKey), []byte(secret)); err != nil {
		return nil, err
	}
	ln, err := net.Listen("unix", sock)
	if err != nil {
		return nil, fmt.Errorf("cannot open the instance channel: %w", err)
	}
	_ = os.Chmod(sock, 0o600)
	in := &Instance{ln: ln, dir: dir, secret: secret, handle: handle, done: make(chan struct{})}
	go in.serve()
	return in, nil
}

func (in *Instance) serve() {
	defer close(in.done)
	for {
		conn, err := in.ln.Accept()
		if err != nil {
			return
		}
		go in.answer(conn)
	}
}

func (in *Instance) answer(conn net.Conn) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(instanceDeadline))
	var msg instanceMessage
	reply := instanceReply{OK: true}
	line, err := bufio.NewReaderSize(conn, maxInstanceMsg).ReadSlice('\n')
	switch {
	case err != nil || len(line) > maxInstanceMsg:
		reply = instanceReply{Error: "unreadable message"}
	case json.Unmarshal(line, &msg) != nil:
		reply = instanceReply{Error: "unreadable message"}
	case subtle.ConstantTimeCompare([]byte(msg.Secret), []byte(in.secret)) != 1:
		reply = instanceReply{Error: "not authenticated"}
	case msg.Kind != MessageShow && msg.Kind != MessageURL:
		reply = instanceReply{Error: "unknown message " + msg.Kind}
	default:
		if err := in.handle(msg.Kind, msg.URL); err != nil {
			reply = instanceReply{Error: err.Error()}
		}
	}
	b, _ := json.Marshal(reply)
	_, _ = conn.Write(append(b, '\n'))
}

// Close stops listening and removes the socket and secret.
func (in *Instance) Close() error {
	err := in.ln.Close()
	<-in.done
	_ = os.Remove(filepath.Join(in.dir, instanceKey))
	_ = os.Remove(filepath.Join(in.dir, instanceSocket))
	return err
}

// ForwardToInstance sends a message to the running instance in dir.
// ErrNoInstance: nothing is running; any other error is the running app's
// refusal, in words.
func ForwardToInstance(dir, kind, url string) error {
	secret, err := os.ReadFile(filepath.Join(dir, instanceKey))
	if err != nil {
		return ErrNoInstance
	}
	return forward(dir, instanceMessage{Secret: string(secret), Kind: kind, URL: url})
}

func forward(dir string, msg instanceMessage) error {
	conn, err := net.DialTimeout("unix", filepath.Join(dir, instanceSocket), 2*time.Second)
	if err != nil {
		return ErrNoInstance
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(instanceDeadline))
	b, _ := json.Marshal(msg)
	if len(b) > maxInstanceMsg {
		return errors.New("the link is too long to forward")
	}
	if _, err := conn.Write(append(b, '\n')); err != nil {
		return ErrNoInstance
	}
	line, err := bufio.NewReaderSize(conn, maxInstanceMsg).ReadSlice('\n')
	if err != nil {
		return ErrNoInstance
	}
	var reply instanceReply
	if err := json.Unmarshal(line, &reply); err != nil {
		return errors.New("the running app gave an unreadable answer")
	}
	if !reply.OK {
		return errors.New(reply.Error)
	}
	return nil
}

// privateDir creates dir for the user alone, and refuses one that others
// can enter.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("cannot create %s: %w", dir, err)
	}
	info, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 && !isWindows() {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("%s is open to other users (%v) and cannot be made private: %w", dir, perm, err)
		}
	}
	return nil
}

// writePrivate writes a file only the user can read, replacing it whole.
func writePrivate(path string, b []byte) error {
	tmp := path + ".part"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func isWindows() bool { return runtime.GOOS == "windows" }
