//go:build !windows

package instance

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"time"
)

// socketChannel is the channel outside Windows: a Unix socket in the
// user's private directory.
type socketChannel struct {
	ln   net.Listener
	sock string
}

// listenChannel claims the socket of dir, unless an app answers on it.
func listenChannel(dir string) (acceptor, error) {
	sock := filepath.Join(dir, socketName)
	if conn, err := net.DialTimeout("unix", sock, time.Second); err == nil {
		conn.Close()
		return nil, errAlreadyRunning
	}
	_ = os.Remove(sock) // left by an instance that crashed
	ln, err := net.Listen("unix", sock)
	if err != nil {
		return nil, fmt.Errorf("cannot open the instance channel: %w", err)
	}
	_ = os.Chmod(sock, 0o600)
	return &socketChannel{ln: ln, sock: sock}, nil
}

func (s *socketChannel) accept() (accepted, error) {
	c, err := s.ln.Accept()
	if err != nil {
		return accepted{}, err
	}
	return accepted{conn: c, unsafe: checkPeer(c, "the sender", os.Getuid())}, nil
}

func (s *socketChannel) close() error {
	err := s.ln.Close()
	_ = os.Remove(s.sock)
	return err
}

// dialChannel connects to the running app's socket in dir, once the socket
// and the process listening on it are known to be the user's own.
func dialChannel(dir string) (conn, error) {
	sock := filepath.Join(dir, socketName)
	if err := checkSocket(sock); err != nil {
		return nil, err
	}
	c, err := net.DialTimeout("unix", sock, 2*time.Second)
	if err != nil {
		return nil, ErrNotRunning
	}
	if err := checkPeer(c, "the process listening on "+sock, os.Getuid()); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// checkSocket is checkFile without the mode check: the socket's mode is
// set just after it is made, and the 0700 directory already keeps others
// from reaching it in between.
func checkSocket(sock string) error {
	info, err := os.Lstat(sock)
	if errors.Is(err, fs.ErrNotExist) {
		return ErrNotRunning
	}
	if err != nil {
		return err
	}
	return checkOwned(sock, info, fs.ModeSocket)
}
