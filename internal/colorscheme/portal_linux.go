package colorscheme

import (
	"context"
	"fmt"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/sessionbus"
)

// The portal (its name and path shared with the other portal talks) and
// what is asked of it.
const (
	portalName    = sessionbus.PortalName
	portalPath    = sessionbus.PortalPath
	settingsIface = "org.freedesktop.portal.Settings"
	changedSignal = "SettingChanged"
	namespace     = "org.freedesktop.appearance"
	key           = "color-scheme"
)

// Supported says the desktop's preference is read here (the portal).
const Supported = true

// Timeouts of the reading's own; Wait gives up sooner when the caller
// cannot wait. No call starts the portal (FlagNoAutoStart), so each is
// one answer from a running one.
var (
	connectTimeout = 5 * time.Second
	callTimeout    = 5 * time.Second
)

// Start begins reading the desktop's preference from its settings portal.
func Start() *Reading {
	ctx, cancel := context.WithCancel(context.Background())
	r := &Reading{done: make(chan struct{}), stop: cancel}
	go r.read(ctx)
	return r
}

// read connects, subscribes to the portal's changes of the preference (so
// that none is missed between the reading and the following) and reads it.
// The connection lives until Stop.
func (r *Reading) read(ctx context.Context) {
	defer close(r.done)
	conn, end, err := sessionbus.Connect(connectTimeout)
	if err != nil {
		r.err = fmt.Errorf("%w: no session bus: %v", ErrUnavailable, err)
		return
	}
	go func() {
		<-ctx.Done()
		_ = conn.Close()
		end()
	}()
	signals := make(chan *dbus.Signal, 8)
	conn.Signal(signals)
	cctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	// Only the portal's own announcements (the bus resolves its name).
	err = conn.AddMatchSignalContext(cctx, dbus.WithMatchSender(portalName), dbus.WithMatchObjectPath(portalPath),
		dbus.WithMatchInterface(settingsIface), dbus.WithMatchMember(changedSignal),
		dbus.WithMatchArg(0, namespace), dbus.WithMatchArg(1, key))
	if err == nil {
		r.scheme, err = readScheme(cctx, conn)
	}
	if err != nil {
		r.err = fmt.Errorf("%w: %v", ErrUnavailable, err)
		return
	}
	r.follow = func(changed func(Scheme)) {
		go func() {
			// The channel closes with the connection (Stop).
			for sig := range signals {
				if s, ok := schemeChanged(sig); ok && ctx.Err() == nil {
					changed(s)
				}
			}
		}()
	}
}

// readScheme asks the portal for the preference: ReadOne, or Read where
// the portal is older than ReadOne (before 1.17: Debian 12's 1.16 has only
// Read, which wraps the value in one more variant). A portal that is not
// running is not started: that took 180 ms here, longer than a window
// waits, and Fyne starts it anyway once the window runs.
func readScheme(ctx context.Context, conn *dbus.Conn) (Scheme, error) {
	portal := conn.Object(portalName, portalPath)
	var value dbus.Variant
	err := portal.CallWithContext(ctx, settingsIface+".ReadOne", dbus.FlagNoAutoStart, namespace, key).Store(&value)
	if err != nil {
		if sessionbus.ErrorName(err) != "org.freedesktop.DBus.Error.UnknownMethod" {
			return NoPreference, err
		}
		if err := portal.CallWithContext(ctx, settingsIface+".Read", dbus.FlagNoAutoStart, namespace, key).Store(&value); err != nil {
			return NoPreference, err
		}
	}
	s, ok := schemeValue(value)
	if !ok {
		return NoPreference, fmt.Errorf("the portal's %s is %s, not a number", key, value)
	}
	return s, nil
}

// schemeValue reads the preference from a portal's value, however many
// variants wrap it. Values the portal may add later count as no
// preference, as the portal's documentation asks.
func schemeValue(v dbus.Variant) (Scheme, bool) {
	for range 4 {
		inner, ok := v.Value().(dbus.Variant)
		if !ok {
			break
		}
		v = inner
	}
	n, ok := v.Value().(uint32)
	if !ok {
		return NoPreference, false
	}
	if s := Scheme(n); s == Dark || s == Light {
		return s, true
	}
	return NoPreference, true
}

// schemeChanged reads a SettingChanged signal: (namespace, key, value).
func schemeChanged(sig *dbus.Signal) (Scheme, bool) {
	if sig.Name != settingsIface+"."+changedSignal || len(sig.Body) != 3 {
		return NoPreference, false
	}
	ns, _ := sig.Body[0].(string)
	k, _ := sig.Body[1].(string)
	v, _ := sig.Body[2].(dbus.Variant)
	if ns != namespace || k != key {
		return NoPreference, false
	}
	return schemeValue(v)
}
