//go:build !linux && !darwin && !windows

package instance

import "syscall"

// peerUID: where the OS names no peer on a Unix socket, the private
// directory is the protection.
func peerUID(syscall.RawConn) (int, bool, error) { return 0, false, nil }
