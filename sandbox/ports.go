package sandbox

import (
	"fmt"
	"math/rand/v2"
	"net"
	"strconv"
)

// FreeLoopbackRedirect returns a loopback redirect URI on a port that is
// free now, for demo clients and tests. It prefers want, then draws from
// 20000–29999: below the ephemeral range the OS hands to outgoing
// connections (32768 and up on Linux), so the port is unlikely to be taken
// between this check and the listener that uses it.
func FreeLoopbackRedirect(want int, path string) string {
	return fmt.Sprintf("http://127.0.0.1:%d%s", freeLoopbackPort(want), path)
}

// freeLoopbackPort picks the port for FreeLoopbackRedirect (want 0: any).
func freeLoopbackPort(want int) int {
	try := func(p int) bool {
		ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			return false
		}
		ln.Close()
		return true
	}
	if want > 0 && try(want) {
		return want
	}
	for i := 0; i < 200; i++ {
		if p := 20000 + rand.IntN(10000); try(p) {
			return p
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return want
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
