package instance

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// peerUID is getpeereid(3), which on macOS reads LOCAL_PEERCRED.
func peerUID(raw syscall.RawConn) (uid int, ok bool, err error) {
	var cred *unix.Xucred
	var serr error
	if err := raw.Control(func(fd uintptr) {
		cred, serr = unix.GetsockoptXucred(int(fd), unix.SOL_LOCAL, unix.LOCAL_PEERCRED)
	}); err != nil {
		return 0, false, err
	}
	if serr != nil {
		return 0, false, serr
	}
	return int(cred.Uid), true, nil
}
