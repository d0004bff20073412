package instance

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Forward sends a message to the running instance in dir.
// ErrNotRunning: nothing is running; ErrUnsafe: the directory, key or
// channel is not the user's own, so nothing was sent; ErrBusy: an app runs
// but its channel stayed busy, nothing was sent; ErrUnconfirmed: it took
// the message but did not answer in time; any other error is the running
// app's refusal, in words.
//
// The link carries a sign-in code, so before sending it the directory, the
// key and the channel are checked to be the user's own (not symlinks, not
// open to others) and so is the process at the other end.
func Forward(dir, kind, url string) error {
	key := filepath.Join(dir, keyName)
	// No key, no running app: a fresh or emptied directory is not a threat,
	// and Listen makes it private.
	if _, err := os.Lstat(key); errors.Is(err, fs.ErrNotExist) {
		return ErrNotRunning
	}
	if err := checkFile(dir, fs.ModeDir); err != nil {
		return err
	}
	if err := checkFile(key, 0); err != nil {
		return err
	}
	secret, err := os.ReadFile(key)
	if err != nil {
		return ErrNotRunning
	}
	return forward(dir, request{Secret: string(secret), Kind: kind, URL: url})
}

func forward(dir string, msg request) error {
	b, _ := json.Marshal(msg)
	if len(b) > maxMessage {
		return errors.New("the link is too long to forward")
	}
	c, err := dialChannel(dir)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(deadline))
	if _, err := c.Write(append(b, '\n')); err != nil {
		return ErrNotRunning
	}
	line, err := bufio.NewReaderSize(c, maxMessage).ReadSlice('\n')
	switch {
	case errors.Is(err, io.EOF):
		return errors.New("the running Cezanne HR Desktop closed the channel without answering")
	case errors.Is(err, os.ErrDeadlineExceeded):
		// It took the message, so it runs: a busy UI, not a crashed app.
		return ErrUnconfirmed
	case err != nil:
		return ErrNotRunning
	}
	return parseReply(line)
}

// parseReply turns the running app's answer into nil or its refusal. An
// answer that says neither yes nor why is an error too, worded: a refusal
// with an empty message would leave the person with nothing to go on.
func parseReply(line []byte) error {
	var reply response
	if err := json.Unmarshal(line, &reply); err != nil {
		return errors.New("the running app gave an unreadable answer")
	}
	switch {
	case reply.OK:
		return nil
	case reply.Error == "":
		return errors.New("the running app refused the link without saying why")
	}
	return errors.New(reply.Error)
}
