package e2e

import (
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/sessionbus/bustest"
)

// TestColoursFromTheFirstFrame: the window has the desktop's light or dark
// look from its very first frame, as a person sees it (firstframe reads
// the window's pixels at each frame), and follows the desktop when it
// switches. Fyne 2.7.1 made the window dark and themed it light a moment
// later on a light desktop: a dark flash at every start, and all the
// window's text measured again while signing in (internal/colorscheme).
func TestColoursFromTheFirstFrame(t *testing.T) {
	requireDesktop(t, true)
	ff := buildTestdata(t, "firstframe")

	t.Run("the desktop's portal", func(t *testing.T) {
		// As on a desktop, its portal runs before the app starts (the
		// app does not start one to wait for it).
		wakeFilePortal(t)
		want := portalShade(t) // the tests' desktop has no preference: light
		r := newDesktopRun(t, "colours-portal", "FYNE_THEME=")
		l := r.launchTimed(ff, "colours-portal", []string{"-shades"}, r.bin, "--profile", r.profile, "--session-only")
		l.log.waitFor(t, "state=form", 60*time.Second)
		l.event("frame", 30*time.Second)
		time.Sleep(2 * time.Second) // the frames after: the form drawn, the portal's own answer to Fyne
		if strings.Contains(l.log.text(), `msg=colours from="Fyne's own reading"`) {
			t.Fatalf("the app did not get the portal's answer in time (a busy machine?):\n%s", l.log.text())
		}
		if got := l.lines("shade"); !allShade(got, want) {
			t.Errorf("the window's shades from its first frame: %q, want %s only", got, want)
		}
		l.log.waitFor(t, `msg=colours variant=`+want+` from="the desktop"`, time.Second)
	})

	t.Run("dark, then light", func(t *testing.T) {
		// The test's session bus from here on, which the app's
		// environment copies (newDesktopRun).
		addr := bustest.Private(t, nil)
		portal := startSettingsPortal(t, addr, 1) // prefer dark
		r := newDesktopRun(t, "colours-dark", "FYNE_THEME=")
		l := r.launchTimed(ff, "colours-dark", []string{"-shades"}, r.bin, "--profile", r.profile, "--session-only")
		l.log.waitFor(t, "state=form", 60*time.Second)
		l.event("frame", 30*time.Second)
		time.Sleep(2 * time.Second)
		if got := l.lines("shade"); !allShade(got, "dark") {
			t.Fatalf("the window's shades from its first frame: %q, want dark only", got)
		}
		l.log.waitFor(t, `msg=colours variant=dark from="the desktop"`, time.Second)
		from := l.log.lineCount()
		portal.set(t, 2) // the person switches their desktop to light
		l.log.waitAfter(t, from, `msg=colours variant=light from="the desktop"`, 10*time.Second)
		deadline := time.Now().Add(10 * time.Second)
		for got := l.lines("shade"); got[len(got)-1] != "light"; got = l.lines("shade") {
			if time.Now().After(deadline) {
				t.Fatalf("the window did not turn light with the desktop: shades %q", got)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

// portalShade is the shade the session's portal asks for: dark for its
// colour scheme 1 (prefer dark), else light (as Fyne reads it).
func portalShade(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("gdbus", "call", "--session", "--dest", portalName, "--object-path", portalPath,
		"--method", portalSettings+".Read", "org.freedesktop.appearance", "color-scheme").CombinedOutput()
	if err != nil {
		t.Fatalf("reading the portal's colour scheme: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "uint32 1>") {
		return "dark"
	}
	return "light"
}

// lines is the last field of each of firstframe's lines of a kind.
func (l *timedLaunch) lines(kind string) []string {
	var out []string
	for _, line := range strings.Split(l.events.String(), "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[0] == kind {
			out = append(out, f[len(f)-1])
		}
	}
	return out
}

func allShade(shades []string, want string) bool {
	if len(shades) == 0 {
		return false
	}
	for _, s := range shades {
		if s != want {
			return false
		}
	}
	return true
}

// settingsPortal plays xdg-desktop-portal's Settings on a test's bus: the
// desktop's colour-scheme preference (0 none, 1 dark, 2 light), and its
// SettingChanged signal when set.
type settingsPortal struct {
	conn   *dbus.Conn
	mu     sync.Mutex
	scheme uint32
}

const (
	portalName     = "org.freedesktop.portal.Desktop"
	portalPath     = "/org/freedesktop/portal/desktop"
	portalSettings = "org.freedesktop.portal.Settings"
)

func startSettingsPortal(t *testing.T, addr string, scheme uint32) *settingsPortal {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	p := &settingsPortal{conn: conn, scheme: scheme}
	if err := conn.Export(settingsMethods{p}, portalPath, portalSettings); err != nil {
		t.Fatal(err)
	}
	if reply, err := conn.RequestName(portalName, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("owning %s: %v %v", portalName, reply, err)
	}
	return p
}

func (p *settingsPortal) set(t *testing.T, scheme uint32) {
	t.Helper()
	p.mu.Lock()
	p.scheme = scheme
	p.mu.Unlock()
	err := p.conn.Emit(portalPath, portalSettings+".SettingChanged", "org.freedesktop.appearance", "color-scheme", dbus.MakeVariant(scheme))
	if err != nil {
		t.Fatal(err)
	}
}

// settingsMethods are the portal's methods (only them: godbus exports
// every exported method of the value).
type settingsMethods struct{ p *settingsPortal }

func (m settingsMethods) ReadOne(namespace, key string) (dbus.Variant, *dbus.Error) {
	if namespace != "org.freedesktop.appearance" || key != "color-scheme" {
		return dbus.Variant{}, dbus.NewError("org.freedesktop.portal.Error.NotFound", []any{"no such setting"})
	}
	m.p.mu.Lock()
	defer m.p.mu.Unlock()
	return dbus.MakeVariant(m.p.scheme), nil
}
