package sessionbus

import (
	"context"
	"errors"
	"time"

	"github.com/godbus/dbus/v5"
)

// Connect opens a private connection to the session bus, giving up after
// timeout: a bus that accepts but never answers closes it. Where there is
// no session bus it does not start one (godbus would run dbus-launch,
// which outlives the app). end, called once done with conn (after
// closing it), frees what godbus keeps for the connection's life.
func Connect(timeout time.Duration) (conn *dbus.Conn, end func(), err error) {
	life, end := context.WithCancel(context.Background())
	timer := time.AfterFunc(timeout, end)
	conn, err = dbus.SessionBusPrivateNoAutoStartup(dbus.WithContext(life))
	if err == nil {
		if err = conn.Auth(nil); err == nil {
			err = conn.Hello()
		}
		if err != nil {
			_ = conn.Close()
		}
	}
	if !timer.Stop() || err != nil {
		end()
		if err == nil {
			err = errors.New("the session bus did not answer in time")
		}
		return nil, nil, err
	}
	return conn, end, nil
}
