package instance

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/atomicfile"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/textcut"
)

// Listener is the running app's end of the channel.
type Listener struct {
	ln     net.Listener
	dir    string
	secret string
	handle func(kind, url string) error
	done   chan struct{}
}

// Listen makes this process the running instance: it writes a new secret
// and listens in dir. handle is called for every authenticated message
// (from the channel's goroutine); its error goes back to the sender. If
// another instance answers in dir, Listen returns an error.
func Listen(dir string, handle func(kind, url string) error) (*Listener, error) {
	if err := privateDir(dir); err != nil {
		return nil, err
	}
	sock := filepath.Join(dir, socketName)
	if conn, err := net.DialTimeout("unix", sock, time.Second); err == nil {
		conn.Close()
		return nil, errors.New("another Cezanne HR Desktop is already running")
	}
	_ = os.Remove(sock) // left by an instance that crashed
	secret := randomSecret()
	// Written whole or not at all: a sender racing this start must read
	// either the old key (and be refused) or the new one, never a part.
	if err := atomicfile.WriteBytes(filepath.Join(dir, keyName), 0o600, []byte(secret)); err != nil {
		return nil, err
	}
	ln, err := net.Listen("unix", sock)
	if err != nil {
		return nil, fmt.Errorf("cannot open the instance channel: %w", err)
	}
	_ = os.Chmod(sock, 0o600)
	in := &Listener{ln: ln, dir: dir, secret: secret, handle: handle, done: make(chan struct{})}
	go in.serve()
	return in, nil
}

// randomSecret is 32 bytes of crypto randomness, base64url-encoded.
func randomSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("instance: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func (in *Listener) serve() {
	defer close(in.done)
	for {
		conn, err := in.ln.Accept()
		if err != nil {
			return
		}
		go in.answer(conn)
	}
}

func (in *Listener) answer(conn net.Conn) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(deadline))
	// Another user's process is refused before it can send anything.
	if err := checkPeer(conn, "the sender", os.Getuid()); err != nil {
		b, _ := json.Marshal(response{Error: "not authenticated"})
		_, _ = conn.Write(append(b, '\n'))
		return
	}
	var msg request
	reply := response{OK: true}
	line, err := bufio.NewReaderSize(conn, maxMessage).ReadSlice('\n')
	switch {
	case err != nil || len(line) > maxMessage:
		reply = response{Error: "unreadable message"}
	case json.Unmarshal(line, &msg) != nil:
		reply = response{Error: "unreadable message"}
	case subtle.ConstantTimeCompare([]byte(msg.Secret), []byte(in.secret)) != 1:
		reply = response{Error: "not authenticated"}
	case msg.Kind != MessageShow && msg.Kind != MessageURL:
		reply = response{Error: "unknown message " + msg.Kind}
	default:
		if err := in.handle(msg.Kind, msg.URL); err != nil {
			reply = response{Error: err.Error()}
		}
	}
	reply.Error = boundError(reply.Error)
	b, _ := json.Marshal(reply)
	_, _ = conn.Write(append(b, '\n'))
}

// maxErrorText bounds a refusal's text so that the answer, even with every
// byte escaped as \uXXXX (six bytes), fits the sender's maxMessage buffer.
const maxErrorText = 1 << 10

// boundError cuts an error text to maxErrorText bytes on a character
// boundary: it may quote the message it refuses.
func boundError(s string) string { return textcut.Cut(s, maxErrorText, "…") }

// Close stops listening and removes the socket and secret.
func (in *Listener) Close() error {
	err := in.ln.Close()
	<-in.done
	_ = os.Remove(filepath.Join(in.dir, keyName))
	_ = os.Remove(filepath.Join(in.dir, socketName))
	return err
}
