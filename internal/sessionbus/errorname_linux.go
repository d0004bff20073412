package sessionbus

import (
	"errors"

	"github.com/godbus/dbus/v5"
)

// ErrorName is the D-Bus error name in err ("" when it holds none):
// godbus returns a call's errors as dbus.Error, some as *dbus.Error.
func ErrorName(err error) string {
	var e dbus.Error
	var ep *dbus.Error
	switch {
	case errors.As(err, &e):
		return e.Name
	case errors.As(err, &ep):
		return ep.Name
	}
	return ""
}
