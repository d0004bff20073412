package instance

import (
	"bufio"
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"time"
)

// Forward sends a message to the running instance in dir.
// ErrNotRunning: nothing is running; any other error is the running app's
// refusal, in words.
func Forward(dir, kind, url string) error {
	secret, err := os.ReadFile(filepath.Join(dir, keyName))
	if err != nil {
		return ErrNotRunning
	}
	return forward(dir, request{Secret: string(secret), Kind: kind, URL: url})
}

func forward(dir string, msg request) error {
	conn, err := net.DialTimeout("unix", filepath.Join(dir, socketName), 2*time.Second)
	if err != nil {
		return ErrNotRunning
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(deadline))
	b, _ := json.Marshal(msg)
	if len(b) > maxMessage {
		return errors.New("the link is too long to forward")
	}
	if _, err := conn.Write(append(b, '\n')); err != nil {
		return ErrNotRunning
	}
	line, err := bufio.NewReaderSize(conn, maxMessage).ReadSlice('\n')
	if err != nil {
		return ErrNotRunning
	}
	var reply response
	if err := json.Unmarshal(line, &reply); err != nil {
		return errors.New("the running app gave an unreadable answer")
	}
	if !reply.OK {
		return errors.New(reply.Error)
	}
	return nil
}
