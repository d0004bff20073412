package instance

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/atomicfile"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/textcut"
)

// conn is one connection on the channel: a Unix socket, or on Windows a
// named pipe's end. Both carry the same messages, one JSON line each way.
type conn interface {
	io.ReadWriteCloser
	SetDeadline(t time.Time) error
}

// accepted is one sender, with why the OS says it may not send (another
// user at the other end), or nil.
type accepted struct {
	conn
	unsafe error
}

// acceptor is the running app's end of the transport (channel_unix.go,
// pipe_windows.go). close ends a pending accept, which then returns an
// error, and removes what the transport made in the directory.
type acceptor interface {
	accept() (accepted, error)
	close() error
}

// Listener is the running app's end of the channel.
type Listener struct {
	ch     acceptor
	dir    string
	secret string
	handle func(kind, url string) error
	done   chan struct{}
}

// Listen makes this process the running instance: it claims the channel
// of dir, writes a new secret and serves. handle is called for every
// authenticated message (from the channel's goroutine); its error goes back
// to the sender. If another instance answers in dir, Listen returns an
// error.
func Listen(dir string, handle func(kind, url string) error) (*Listener, error) {
	if err := privateDir(dir); err != nil {
		return nil, err
	}
	// The channel is claimed before the secret is written: on Windows the
	// claim (the pipe's first instance) is what tells two starting copies
	// apart, and the key must not be replaced by the one that loses.
	ch, err := listenChannel(dir)
	if err != nil {
		return nil, err
	}
	secret := randomSecret()
	// Written whole or not at all: a sender racing this start must read
	// either the old key (and be refused) or the new one, never a part.
	if err := atomicfile.WriteBytes(filepath.Join(dir, keyName), 0o600, []byte(secret)); err != nil {
		_ = ch.close()
		return nil, err
	}
	in := &Listener{ch: ch, dir: dir, secret: secret, handle: handle, done: make(chan struct{})}
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
		c, err := in.ch.accept()
		if err != nil {
			return
		}
		go in.answer(c)
	}
}

func (in *Listener) answer(c accepted) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(deadline))
	// Another user's process is refused, and what it sent is read unseen
	// first: closing the channel on a sender still writing gave it a
	// write error ("nothing running") instead of the refusal, as under
	// Wine on a busy machine.
	if c.unsafe != nil {
		_, _ = bufio.NewReaderSize(c, maxMessage).ReadSlice('\n')
		b, _ := json.Marshal(response{Error: "not authenticated"})
		_, _ = c.Write(append(b, '\n'))
		return
	}
	reply := in.reply(bufio.NewReaderSize(c, maxMessage))
	reply.Error = boundError(reply.Error)
	b, _ := json.Marshal(reply)
	_, _ = c.Write(append(b, '\n'))
}

// reply reads one message and says what becomes of it: only one with the
// secret and a known kind reaches the app.
func (in *Listener) reply(r *bufio.Reader) response {
	var msg request
	line, err := r.ReadSlice('\n')
	switch {
	case err != nil || len(line) > maxMessage:
		return response{Error: "unreadable message"}
	case json.Unmarshal(line, &msg) != nil:
		return response{Error: "unreadable message"}
	case subtle.ConstantTimeCompare([]byte(msg.Secret), []byte(in.secret)) != 1:
		return response{Error: "not authenticated"}
	case msg.Kind != MessageShow && msg.Kind != MessageURL:
		return response{Error: "unknown message " + msg.Kind}
	}
	if err := in.handle(msg.Kind, msg.URL); err != nil {
		return response{Error: err.Error()}
	}
	return response{OK: true}
}

// maxErrorText bounds a refusal's text so that the answer, even with every
// byte escaped as \uXXXX (six bytes), fits the sender's maxMessage buffer.
const maxErrorText = 1 << 10

// boundError cuts an error text to maxErrorText bytes on a character
// boundary: it may quote the message it refuses.
func boundError(s string) string { return textcut.Cut(s, maxErrorText, "…") }

// Close stops listening and removes the channel and secret.
func (in *Listener) Close() error {
	err := in.ch.close()
	<-in.done
	_ = os.Remove(filepath.Join(in.dir, keyName))
	return err
}
