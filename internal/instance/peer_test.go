//go:build !windows

package instance

import (
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestCheckPeer: a process of another user at the other end of the socket
// is refused where the OS names it.
func TestCheckPeer(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("no peer credentials on " + runtime.GOOS)
	}
	sock := filepath.Join(t.TempDir(), "s")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				_, _ = io.Copy(io.Discard, c)
				c.Close()
			}()
		}
	}()
	tests := []struct {
		name string
		uid  int
		want error
	}{
		{"same user", os.Getuid(), nil},
		{"another user", os.Getuid() + 1, ErrUnsafe},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := net.Dial("unix", sock)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if err := checkPeer(conn, "peer", tt.uid); !errors.Is(err, tt.want) {
				t.Fatalf("checkPeer = %v, want %v", err, tt.want)
			}
		})
	}
}
