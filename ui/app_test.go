package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/cezanne-hr-desktop/cezanne-desktop/assets"
	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/urlscheme"
)

// iconApp keeps the icon given to the app, which Fyne's test app drops.
type iconApp struct {
	fyne.App
	icon fyne.Resource
}

func (a *iconApp) SetIcon(r fyne.Resource) { a.icon = r }

// TestWindowIconIsAPicture: Fyne draws an SVG window icon on the main
// thread as each window is created (135 ms of every launch here); the app
// gives its windows a PNG of the size Fyne would draw, which it only decodes.
func TestWindowIconIsAPicture(t *testing.T) {
	a := &iconApp{App: test.NewTempApp(t)}
	New(a, Options{Store: keyring.NewMemoryStore()})
	if a.icon == nil {
		t.Fatal("the app gives its windows no icon")
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(a.icon.Content()))
	if err != nil || strings.HasSuffix(a.icon.Name(), ".svg") {
		t.Fatalf("the windows' icon %q is not a PNG: %v", a.icon.Name(), err)
	}
	if cfg.Width != assets.WindowIconSize || cfg.Height != assets.WindowIconSize {
		t.Fatalf("the windows' icon is %d×%d; Fyne gives a window 256×256", cfg.Width, cfg.Height)
	}
}

func TestDemoSignInShowsTokenInfoAndPeople(t *testing.T) {
	h := newUIHarness(t, hrRobot(), nil)
	h.app.Start()
	f := h.app.form()
	if f.picker.Selected != choiceDemo || f.tenantForm.Visible() {
		t.Fatal("with nothing configured the demo tenant should be preselected")
	}
	test.Tap(f.signIn)
	v := h.app.signedIn
	if v == nil {
		t.Fatalf("not signed in; form says %q", f.message.Text)
	}
	if got := v.people.rows(); got != 500 || v.people.status.Text != "500 people" {
		t.Fatalf("%d rows, status %q", got, v.people.status.Text)
	}
	if h.browserOpens() != 1 || !strings.Contains(h.opened[0], "/OAuth/Authorize?") {
		t.Fatalf("browser opened %v", h.opened)
	}
	if !strings.Contains(v.session.scopes.Text, "See people's details: granted") || v.session.timeLeft.Text != "Expires in 10 min" {
		t.Fatalf("session card: %q / %q", v.session.scopes.Text, v.session.timeLeft.Text)
	}
	if v.session.kept.Text != "For this session only (nothing saved)" {
		t.Fatalf("demo kept: %q", v.session.kept.Text)
	}
	if stored(h.mem, "Demo tenant", keyring.EntryRefreshToken) {
		t.Fatal("demo tokens written to the keyring store")
	}
	test.Tap(findButton(t, h.app, "Sign out"))
	if h.app.form().message.Text != "You are signed out." {
		t.Fatalf("after sign out: %q", h.app.form().message.Text)
	}
}

// TestDemoSignInThroughCustomScheme: the QA switch moves the demo to its
// x-cez client; signing in asks to register x-cez:// links, and the link
// the OS would hand over completes the sign-in. A replay is refused.
func TestDemoSignInThroughCustomScheme(t *testing.T) {
	robot := hrRobot()
	robot.NoDeliver = true
	h := newUIHarness(t, nil, nil)
	dir := t.TempDir()
	reg := &urlscheme.XDG{Exe: "/usr/bin/cezanne-desktop", DataHome: filepath.Join(dir, "data"), ConfigHome: filepath.Join(dir, "config")}
	inbox := &auth.SchemeInbox{}
	h.app = h.newApp(nil, func(o *Options) { o.Schemes, o.SchemeInbox = reg, inbox })
	links := make(chan string, 1)
	h.browser = func(u string) error {
		go func() {
			res, err := robot.Run(context.Background(), u)
			if err != nil {
				t.Errorf("robot: %v", err)
			}
			links <- res.RedirectURL
			// What the instance channel does with the link a second
			// process forwarded (from its own goroutine).
			if err := inbox.Deliver(res.RedirectURL); err != nil {
				t.Errorf("deliver: %v", err)
			}
		}()
		return nil
	}
	h.app.Start()
	f := h.app.form()
	f.callback.SetSelected(callbackScheme)
	if !f.schemeRow.Visible() || !f.register.Visible() || !strings.Contains(f.schemeNote.Text, "do not open") {
		t.Fatalf("scheme note %q", f.schemeNote.Text)
	}
	test.Tap(f.signIn)
	// The registration question is a dialog over the window: confirm it.
	confirmDialog(t, h.app, "Yes")
	if ok, _ := reg.Registered("x-cez"); !ok {
		t.Fatal("not registered after the person agreed")
	}
	link := <-links
	if !strings.HasPrefix(link, "x-cez://oauth-callback/?code=") {
		t.Fatalf("the tenant redirected to %s", link)
	}
	if h.app.signedIn == nil {
		t.Fatalf("not signed in: %q", f.message.Text)
	}
	if steps := h.app.Trace().Steps(); steps[2].Title != "Callback received on the x-cez:// link" {
		t.Fatalf("trace step 3: %s", steps[2].Title)
	}
	if err := h.app.ReceiveLink(link); !errors.Is(err, auth.ErrNoSignInWaiting) {
		t.Fatalf("a replayed link: %v", err)
	}
	if !strings.Contains(h.app.signedIn.banner.Text, "no sign-in was waiting") {
		t.Fatalf("banner %q", h.app.signedIn.banner.Text)
	}
}

// The window opens inside the screen on common laptops, and at its
// preferred size where there is room.
func TestFitScreen(t *testing.T) {
	tests := []struct {
		name   string
		screen fyne.Size
		want   fyne.Size
	}{
		{"not measured", fyne.Size{}, preferredWindow},
		{"1920×1080", fyne.NewSize(1920, 1080), preferredWindow},
		{"1366×768", fyne.NewSize(1366, 768), fyne.NewSize(1229, 691)},
		{"1280×800", fyne.NewSize(1280, 800), fyne.NewSize(1152, 720)},
		{"1024×768", fyne.NewSize(1024, 768), fyne.NewSize(921, 691)},
		{"800×600", fyne.NewSize(800, 600), fyne.NewSize(720, 540)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fitScreen(preferredWindow, tt.screen); got != tt.want {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func init() {
	// As the app's own main does through Fyne: the main goroutine keeps
	// the process's first thread, where lowprio would not lower the work.
	runtime.LockOSThread()
}

// Page fetches and exports give way to the window's drawing: an app made
// without Fetch and Heavy runs both on threads nicer than the caller's.
// Go does not: it starts the browser, which would keep the lowered
// priority of the thread that started it.
func TestBackgroundWorkGivesWayToTheWindow(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("thread priorities are read from /proc")
	}
	a := New(test.NewTempApp(t), Options{Store: keyring.NewMemoryStore()})
	caller, err := threadNice()
	if err != nil {
		t.Fatal(err)
	}
	if caller >= 19 {
		t.Skipf("the tests run at nice %d already: nothing is nicer", caller)
	}
	for _, tt := range []struct {
		name  string
		run   func(func())
		lower bool
	}{{"Fetch", a.opts.Fetch, true}, {"Heavy", a.opts.Heavy, true}, {"Go", a.opts.Go, false}} {
		got := make(chan int)
		errs := make(chan error, 1)
		tt.run(func() {
			n, err := threadNice()
			errs <- err
			got <- n
		})
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		if n := <-got; (n > caller) != tt.lower {
			t.Errorf("%s ran its work at nice %d, the caller's thread is at %d (lowered: want %v)", tt.name, n, caller, tt.lower)
		}
	}
}

// threadNice is the calling thread's nice value (field 19 of its stat).
func threadNice() (int, error) {
	b, err := os.ReadFile("/proc/thread-self/stat")
	if err != nil {
		return 0, err
	}
	fields := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(fields) < 17 {
		return 0, fmt.Errorf("/proc/thread-self/stat: %q", b)
	}
	return strconv.Atoi(fields[16])
}

// Later's stop cancels a call whose timer has fired and which waits for
// the UI goroutine: a timer's own Stop cannot, and a refill or a Details
// pane then came after its view was closed.
func TestLaterStopCancelsACallAlreadyQueued(t *testing.T) {
	queued := make(chan func(), 1)
	ran := false
	stop := laterOn(func(f func()) { queued <- f }, time.Millisecond, func() { ran = true })
	call := <-queued // the timer fired: the call waits for the UI goroutine
	stop()
	call()
	if ran {
		t.Fatalf("the call ran after stop")
	}
	stop = laterOn(func(f func()) { queued <- f }, time.Millisecond, func() { ran = true })
	(<-queued)()
	stop() // after the call: harmless
	if !ran {
		t.Fatalf("a call not stopped did not run")
	}
}
