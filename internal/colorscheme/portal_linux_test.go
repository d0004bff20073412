package colorscheme

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/sessionbus/bustest"
)

// newSettings answers ReadOne, as portals from 1.17 on do.
type newSettings struct{ value dbus.Variant }

func (s newSettings) ReadOne(ns, k string) (dbus.Variant, *dbus.Error) {
	if ns != namespace || k != key {
		return dbus.Variant{}, dbus.NewError("org.freedesktop.portal.Error.NotFound", []any{"no such setting"})
	}
	return s.value, nil
}

// oldSettings answers only Read, whose value is wrapped once more (portals
// before 1.17, such as Debian 12's 1.16).
type oldSettings struct{ value dbus.Variant }

func (s oldSettings) Read(ns, k string) (dbus.Variant, *dbus.Error) {
	if ns != namespace || k != key {
		return dbus.Variant{}, dbus.NewError("org.freedesktop.portal.Error.NotFound", []any{"no such setting"})
	}
	return dbus.MakeVariant(s.value), nil
}

// slowSettings answers after a while.
type slowSettings struct{ after time.Duration }

func (s slowSettings) ReadOne(string, string) (dbus.Variant, *dbus.Error) {
	time.Sleep(s.after)
	return dbus.MakeVariant(uint32(Dark)), nil
}

// fakePortal puts methods on the bus as the portal's settings.
func fakePortal(t *testing.T, addr string, methods any) *dbus.Conn {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	if err := conn.Export(methods, portalPath, settingsIface); err != nil {
		t.Fatal(err)
	}
	if reply, err := conn.RequestName(portalName, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("owning %s: %v %v", portalName, reply, err)
	}
	return conn
}

func TestWait(t *testing.T) {
	tests := []struct {
		name    string
		methods any // nil: no portal on the bus
		want    Scheme
		wantErr bool
	}{
		{"dark", newSettings{dbus.MakeVariant(uint32(1))}, Dark, false},
		{"light", newSettings{dbus.MakeVariant(uint32(2))}, Light, false},
		{"no preference", newSettings{dbus.MakeVariant(uint32(0))}, NoPreference, false},
		{"a value added later", newSettings{dbus.MakeVariant(uint32(7))}, NoPreference, false},
		{"an older portal's Read", oldSettings{dbus.MakeVariant(uint32(1))}, Dark, false},
		{"not a number", newSettings{dbus.MakeVariant("dark")}, NoPreference, true},
		{"no portal", nil, NoPreference, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := bustest.Private(t, nil)
			if tt.methods != nil {
				fakePortal(t, addr, tt.methods)
			}
			r := Start()
			defer r.Stop()
			got, err := r.Wait(5 * time.Second)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("Wait = %v, %v; want %v (an error: %v)", got, err, tt.want, tt.wantErr)
			}
			if err != nil && !errors.Is(err, ErrUnavailable) {
				t.Errorf("error %v does not say ErrUnavailable", err)
			}
		})
	}
}

func TestWaitGivesUpInTime(t *testing.T) {
	t.Run("a slow portal", func(t *testing.T) {
		addr := bustest.Private(t, nil)
		fakePortal(t, addr, slowSettings{after: 2 * time.Second})
		r := Start()
		start := time.Now()
		_, err := r.Wait(100 * time.Millisecond)
		if !errors.Is(err, ErrUnavailable) {
			t.Fatalf("Wait = %v, want ErrUnavailable", err)
		}
		if took := time.Since(start); took > time.Second {
			t.Errorf("Wait took %v, want about 100ms", took)
		}
		select { // Wait stopped the reading: it ends without the answer
		case <-r.done:
		case <-time.After(5 * time.Second):
			t.Fatal("the reading went on after Wait gave up")
		}
	})
	t.Run("a portal not running is not started", func(t *testing.T) {
		marker := filepath.Join(t.TempDir(), "started")
		bustest.Private(t, map[string]string{portalName: "[D-BUS Service]\nName=" + portalName +
			"\nExec=/bin/sh -c 'touch " + marker + "; sleep 5'\n"})
		start := time.Now()
		if _, err := Start().Wait(5 * time.Second); !errors.Is(err, ErrUnavailable) {
			t.Fatalf("Wait = %v, want ErrUnavailable", err)
		}
		if took := time.Since(start); took > time.Second {
			t.Errorf("Wait took %v, want at once", took)
		}
		time.Sleep(300 * time.Millisecond)
		if _, err := os.Stat(marker); err == nil {
			t.Error("the reading started the portal")
		}
	})
	t.Run("no session bus", func(t *testing.T) {
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+t.TempDir()+"/none")
		if _, err := Start().Wait(5 * time.Second); !errors.Is(err, ErrUnavailable) {
			t.Fatalf("Wait = %v, want ErrUnavailable", err)
		}
	})
}

func TestFollow(t *testing.T) {
	addr := bustest.Private(t, nil)
	portal := fakePortal(t, addr, newSettings{dbus.MakeVariant(uint32(Light))})
	r := Start()
	defer r.Stop()
	if got, err := r.Wait(5 * time.Second); err != nil || got != Light {
		t.Fatalf("Wait = %v, %v; want light", got, err)
	}
	var mu sync.Mutex
	var seen []Scheme
	r.Follow(func(s Scheme) {
		mu.Lock()
		seen = append(seen, s)
		mu.Unlock()
	})
	emit := func(ns, k string, v any) {
		t.Helper()
		if err := portal.Emit(portalPath, settingsIface+"."+changedSignal, ns, k, dbus.MakeVariant(v)); err != nil {
			t.Fatal(err)
		}
	}
	emit("org.gnome.desktop.interface", "gtk-theme", "Adwaita-dark") // not ours
	emit(namespace, "accent-color", []float64{1, 0, 0, 1})           // not ours
	emit(namespace, key, uint32(Dark))
	emit(namespace, key, uint32(0))
	waitFor(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(seen) >= 2 })
	r.Stop()
	emit(namespace, key, uint32(Light)) // after Stop: not handed on
	time.Sleep(200 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if want := []Scheme{Dark, NoPreference}; !slices.Equal(seen, want) {
		t.Errorf("followed %v, want %v", seen, want)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
