package sessionbus

import (
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/sessionbus/bustest"
)

func TestConnect(t *testing.T) {
	t.Run("a bus", func(t *testing.T) {
		bustest.Private(t, nil)
		conn, end, err := Connect(5 * time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer end()
		defer conn.Close()
		if names := conn.Names(); len(names) == 0 || names[0] == "" {
			t.Errorf("connected without a unique name: %q", names)
		}
	})
	t.Run("no bus", func(t *testing.T) {
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "none"))
		if _, _, err := Connect(5 * time.Second); err == nil {
			t.Fatal("connected to a bus that is not there")
		}
	})
	t.Run("a bus that never answers", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "silent")
		l, err := net.Listen("unix", path)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		go func() { // accepts, then says nothing
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				defer c.Close()
			}
		}()
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+path)
		start := time.Now()
		_, _, err = Connect(200 * time.Millisecond)
		if err == nil {
			t.Fatal("connected to a bus that never answered")
		}
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("gave up after %v, want about 200ms", took)
		}
	})
}
