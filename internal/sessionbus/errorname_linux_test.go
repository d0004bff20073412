package sessionbus

import (
	"errors"
	"fmt"
	"testing"

	"github.com/godbus/dbus/v5"
)

func TestErrorName(t *testing.T) {
	const unknown = "org.freedesktop.DBus.Error.UnknownMethod"
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"a value", dbus.Error{Name: unknown}, unknown},
		{"a pointer", &dbus.Error{Name: unknown}, unknown},
		{"wrapped", fmt.Errorf("calling: %w", dbus.Error{Name: unknown}), unknown},
		{"not D-Bus's", errors.New("timeout"), ""},
		{"none", nil, ""},
	}
	for _, tt := range tests {
		if got := ErrorName(tt.err); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
