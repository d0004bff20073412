//go:build !windows

package instance

import (
	"fmt"
	"net"
)

// checkPeer refuses a connection whose other end runs as another user than uid,
// where the OS says who it is (SO_PEERCRED on Linux, LOCAL_PEERCRED on
// macOS and the BSDs). The directory checks already keep others out; this
// holds even if a socket was passed on or the directory's mode changed
// after the checks.
func checkPeer(conn net.Conn, what string, uid int) error {
	uc, ok := conn.(*net.UnixConn)
	if !ok {
		return nil
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return nil
	}
	peer, ok, err := peerUID(raw)
	switch {
	case err != nil:
		return &UnsafeError{Path: what, Why: "does not say which user it runs as (" + err.Error() + ")"}
	case ok && peer != uid:
		return &UnsafeError{Path: what, Why: fmt.Sprintf("runs as another user (uid %d)", peer)}
	}
	return nil
}
