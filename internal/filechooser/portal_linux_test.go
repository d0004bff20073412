package filechooser

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/sessionbus/bustest"
)

// fakePortal owns the portal's name on the bus and answers FileChooser
// calls as answer says.
type fakePortal struct {
	conn   *dbus.Conn
	answer func(p *fakePortal, sender dbus.Sender, handle dbus.ObjectPath) (dbus.ObjectPath, *dbus.Error)

	mu      sync.Mutex
	method  string
	parent  string
	title   string
	options map[string]dbus.Variant
	closed  chan dbus.ObjectPath
}

func startFakePortal(t *testing.T, addr string, exportChooser bool,
	answer func(*fakePortal, dbus.Sender, dbus.ObjectPath) (dbus.ObjectPath, *dbus.Error)) *fakePortal {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	p := &fakePortal{conn: conn, answer: answer, closed: make(chan dbus.ObjectPath, 1)}
	if exportChooser {
		if err := conn.Export(chooserMethods{p}, portalPath, fileChooser); err != nil {
			t.Fatal(err)
		}
	}
	if reply, err := conn.RequestName(portalName, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("owning the portal's name: %v %v", reply, err)
	}
	return p
}

// chooserMethods are what the fake exports as org.freedesktop.portal.FileChooser.
type chooserMethods struct{ p *fakePortal }

func (c chooserMethods) SaveFile(sender dbus.Sender, parent, title string, o map[string]dbus.Variant) (dbus.ObjectPath, *dbus.Error) {
	return c.p.called("SaveFile", sender, parent, title, o)
}

func (c chooserMethods) OpenFile(sender dbus.Sender, parent, title string, o map[string]dbus.Variant) (dbus.ObjectPath, *dbus.Error) {
	return c.p.called("OpenFile", sender, parent, title, o)
}

func (p *fakePortal) called(method string, sender dbus.Sender, parent, title string, o map[string]dbus.Variant) (dbus.ObjectPath, *dbus.Error) {
	p.mu.Lock()
	p.method, p.parent, p.title, p.options = method, parent, title, o
	p.mu.Unlock()
	token, _ := o["handle_token"].Value().(string)
	handle := requestPath(string(sender), token)
	if err := p.conn.Export(requestMethods{p, handle}, handle, requestIface); err != nil {
		return "", dbus.MakeFailedError(err)
	}
	return p.answer(p, sender, handle)
}

// requestMethods are the request object's: Close ends the dialog.
type requestMethods struct {
	p      *fakePortal
	handle dbus.ObjectPath
}

func (r requestMethods) Close() *dbus.Error {
	r.p.closed <- r.handle
	return nil
}

func (p *fakePortal) respond(handle dbus.ObjectPath, status uint32, results map[string]dbus.Variant) {
	_ = p.conn.Emit(handle, requestIface+".Response", status, results)
}

func uris(u ...string) map[string]dbus.Variant {
	return map[string]dbus.Variant{"uris": dbus.MakeVariant(u)}
}

// answerAtOnce answers before the call returns: the answer must not be
// lost to a client that subscribes only after the call.
func answerAtOnce(status uint32, results map[string]dbus.Variant) func(*fakePortal, dbus.Sender, dbus.ObjectPath) (dbus.ObjectPath, *dbus.Error) {
	return func(p *fakePortal, _ dbus.Sender, handle dbus.ObjectPath) (dbus.ObjectPath, *dbus.Error) {
		p.respond(handle, status, results)
		return handle, nil
	}
}

var saveRequest = Request{
	Parent:      "x11:1a00003",
	Title:       "Export people",
	AcceptLabel: "Export",
	Folder:      "/home/someone/Documents",
	Name:        "people.csv",
	Filters:     []Filter{{Name: "CSV", Patterns: []string{"*.csv"}}},
}

func TestDesktopSave(t *testing.T) {
	cases := []struct {
		name    string
		answer  func(*fakePortal, dbus.Sender, dbus.ObjectPath) (dbus.ObjectPath, *dbus.Error)
		want    string
		wantErr error  // errors.Is
		errText string // or in the message
	}{
		{name: "chosen", answer: answerAtOnce(0, uris("file:///home/someone/Documents/a%20b+c.csv")),
			want: "/home/someone/Documents/a b+c.csv"},
		{name: "cancelled", answer: answerAtOnce(1, map[string]dbus.Variant{}), want: ""},
		{name: "ended otherwise", answer: answerAtOnce(2, map[string]dbus.Variant{}), want: ""},
		{name: "a network location", answer: answerAtOnce(0, uris("sftp://host/people.csv")), wantErr: ErrNotLocal},
		{name: "another host's file", answer: answerAtOnce(0, uris("file://host/people.csv")), wantErr: ErrNotLocal},
		{name: "chosen without a file", answer: answerAtOnce(0, map[string]dbus.Variant{}), errText: "without a file"},
		{name: "the portal fails", answer: func(*fakePortal, dbus.Sender, dbus.ObjectPath) (dbus.ObjectPath, *dbus.Error) {
			return "", dbus.NewError("org.freedesktop.portal.Error.Failed", []any{"no display"})
		}, errText: "no display"},
		{name: "an old portal's own path", answer: func(p *fakePortal, _ dbus.Sender, _ dbus.ObjectPath) (dbus.ObjectPath, *dbus.Error) {
			own := dbus.ObjectPath(portalPath + "/request/old/1")
			stop := make(chan struct{})
			t.Cleanup(func() { close(stop) })
			go func() { // until the client has heard it, however long it takes to listen
				for {
					p.respond(own, 0, uris("file:///tmp/old.csv"))
					select {
					case <-stop:
						return
					case <-time.After(10 * time.Millisecond):
					}
				}
			}()
			return own, nil
		}, want: "/tmp/old.csv"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			addr := bustest.Private(t, nil)
			p := startFakePortal(t, addr, true, c.answer)
			// an answer the client missed would leave it waiting for ever
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			req := saveRequest
			shown := 0
			req.Shown = func() { shown++ }
			got, err := Desktop{}.Save(ctx, req)
			if refused := c.errText == "no display"; shown != map[bool]int{true: 0, false: 1}[refused] {
				t.Errorf("Shown called %d times", shown)
			}
			checkAnswer(t, got, err, c.want, c.wantErr, c.errText)
			p.mu.Lock()
			defer p.mu.Unlock()
			if p.method != "SaveFile" || p.parent != saveRequest.Parent || p.title != saveRequest.Title {
				t.Errorf("called %s(%q, %q)", p.method, p.parent, p.title)
			}
		})
	}
}

// checkAnswer: Save answered want, or an error that is wantErr, or one
// whose message has errText and is not ErrUnavailable.
func checkAnswer(t *testing.T, got string, err error, want string, wantErr error, errText string) {
	t.Helper()
	switch {
	case wantErr != nil:
		if !errors.Is(err, wantErr) {
			t.Fatalf("Save = %q, %v; want %v", got, err, wantErr)
		}
	case errText != "":
		if err == nil || !strings.Contains(err.Error(), errText) || errors.Is(err, ErrUnavailable) {
			t.Fatalf("Save = %q, %v; want an error with %q that is not ErrUnavailable", got, err, errText)
		}
	case err != nil || got != want:
		t.Fatalf("Save = %q, %v; want %q", got, err, want)
	}
}

func TestDesktopSaveOptions(t *testing.T) {
	addr := bustest.Private(t, nil)
	p := startFakePortal(t, addr, true, answerAtOnce(1, map[string]dbus.Variant{}))
	if _, err := (Desktop{}).Save(context.Background(), saveRequest); err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	o := p.options
	p.mu.Unlock()
	if v, _ := o["current_name"].Value().(string); v != "people.csv" {
		t.Errorf("current_name %v", o["current_name"])
	}
	if v, _ := o["current_folder"].Value().([]byte); string(v) != "/home/someone/Documents\x00" {
		t.Errorf("current_folder %q (a NUL-terminated byte string)", v)
	}
	if v, _ := o["accept_label"].Value().(string); v != "Export" {
		t.Errorf("accept_label %v", o["accept_label"])
	}
	if v, _ := o["modal"].Value().(bool); !v {
		t.Errorf("modal %v", o["modal"])
	}
	var filters []portalFilter
	if err := dbus.Store([]any{o["filters"].Value()}, &filters); err != nil || len(filters) != 1 ||
		filters[0].Name != "CSV" || len(filters[0].Rules) != 1 || filters[0].Rules[0] != (portalRule{0, "*.csv"}) {
		t.Errorf("filters %+v %v", filters, err)
	}
}

func TestDesktopOpenAsksForOneFile(t *testing.T) {
	addr := bustest.Private(t, nil)
	p := startFakePortal(t, addr, true, answerAtOnce(0, uris("file:///tmp/profile.json")))
	got, err := Desktop{}.Open(context.Background(), Request{Title: "Import a profile", Name: "ignored.json"})
	if err != nil || got != "/tmp/profile.json" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.method != "OpenFile" {
		t.Errorf("called %s", p.method)
	}
	if _, ok := p.options["current_name"]; ok {
		t.Error("an Open dialog was offered a file name")
	}
}

// The dialog is closed when the app stops waiting (its window closed).
func TestDesktopSaveCancelledClosesTheDialog(t *testing.T) {
	addr := bustest.Private(t, nil)
	asked := make(chan dbus.ObjectPath, 1)
	p := startFakePortal(t, addr, true, func(_ *fakePortal, _ dbus.Sender, handle dbus.ObjectPath) (dbus.ObjectPath, *dbus.Error) {
		asked <- handle
		return handle, nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := Desktop{}.Save(ctx, saveRequest)
		done <- err
	}()
	handle := <-asked
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Save after its context ended: %v", err)
	}
	select {
	case closed := <-p.closed:
		if closed != handle {
			t.Fatalf("closed %s, asked %s", closed, handle)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the dialog was not closed")
	}
}

// A portal that leaves the bus (it crashed), or hands its name to another
// process, does not leave the app waiting.
func TestDesktopSavePortalGone(t *testing.T) {
	for _, handover := range []bool{false, true} {
		t.Run(map[bool]string{false: "gone", true: "handed over"}[handover], func(t *testing.T) { portalGone(t, handover) })
	}
}

func portalGone(t *testing.T, handover bool) {
	addr := bustest.Private(t, nil)
	p := startFakePortal(t, addr, true, func(_ *fakePortal, _ dbus.Sender, handle dbus.ObjectPath) (dbus.ObjectPath, *dbus.Error) {
		return handle, nil
	})
	var next *dbus.Conn
	if handover {
		var err error
		if next, err = dbus.Connect(addr); err != nil {
			t.Fatal(err)
		}
		defer next.Close()
		// queued behind the fake: it owns the name once the fake lets go
		if _, err := next.RequestName(portalName, 0); err != nil {
			t.Fatal(err)
		}
	}
	req := saveRequest
	// once the client knows the portal's owner, the portal leaves
	req.Shown = func() { _, _ = p.conn.ReleaseName(portalName) }
	done := make(chan error, 1)
	go func() {
		_, err := Desktop{}.Save(context.Background(), req)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "stopped") {
			t.Fatalf("Save = %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Save still waits for a portal that left the bus")
	}
}

// Only the portal's answer counts, not another client's signal sent to
// the same path.
func TestDesktopSaveIgnoresOthersAnswers(t *testing.T) {
	addr := bustest.Private(t, nil)
	other, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	startFakePortal(t, addr, true, func(p *fakePortal, sender dbus.Sender, handle dbus.ObjectPath) (dbus.ObjectPath, *dbus.Error) {
		forged := other.Emit(handle, requestIface+".Response", uint32(0), uris("file:///tmp/forged.csv"))
		if forged != nil {
			return "", dbus.MakeFailedError(forged)
		}
		// sent straight to the client, past its match rules
		msg := &dbus.Message{Type: dbus.TypeSignal, Headers: map[dbus.HeaderField]dbus.Variant{
			dbus.FieldPath:        dbus.MakeVariant(handle),
			dbus.FieldInterface:   dbus.MakeVariant(requestIface),
			dbus.FieldMember:      dbus.MakeVariant("Response"),
			dbus.FieldDestination: dbus.MakeVariant(string(sender)),
		}, Body: []any{uint32(0), uris("file:///tmp/forged-direct.csv")}}
		msg.Headers[dbus.FieldSignature] = dbus.MakeVariant(dbus.SignatureOf(msg.Body...))
		other.Send(msg, nil)
		p.respond(handle, 0, uris("file:///tmp/real.csv"))
		return handle, nil
	})
	got, err := Desktop{}.Save(context.Background(), saveRequest)
	if err != nil || got != "/tmp/real.csv" {
		t.Fatalf("Save = %q, %v; want the portal's answer", got, err)
	}
}

func TestDesktopUnavailable(t *testing.T) {
	cases := []struct {
		name     string
		services map[string]string
		portal   bool // a portal owns the name, without a file chooser
	}{
		{name: "no portal on the bus"},
		{name: "a portal that cannot start", services: map[string]string{
			portalName: "[D-BUS Service]\nName=" + portalName + "\nExec=/bin/false\n"}},
		{name: "a portal without a file chooser", portal: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			addr := bustest.Private(t, c.services)
			if c.portal {
				startFakePortal(t, addr, false, nil)
			}
			req := saveRequest
			req.Shown = func() { t.Error("Shown called") }
			_, err := Desktop{}.Save(context.Background(), req)
			if !errors.Is(err, ErrUnavailable) {
				t.Fatalf("Save = %v, want ErrUnavailable", err)
			}
		})
	}
	t.Run("no session bus named, none at the usual place", func(t *testing.T) {
		// not started for the dialog (godbus would run dbus-launch,
		// whose daemon outlives the app)
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
		t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
		t.Setenv("DISPLAY", ":99")
		_, err := Desktop{}.Save(context.Background(), Request{})
		if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "no session bus") {
			t.Fatalf("Save = %v, want ErrUnavailable for no session bus", err)
		}
	})
	t.Run("no session bus", func(t *testing.T) {
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "none"))
		if _, err := (Desktop{}).Open(context.Background(), Request{}); !errors.Is(err, ErrUnavailable) {
			t.Fatalf("Open = %v, want ErrUnavailable", err)
		}
	})
}

// The portal reads filters by their D-Bus types, which Go values give.
func TestOptionsSignatures(t *testing.T) {
	o := options("SaveFile", saveRequest, "t")
	want := map[string]string{"filters": "a(sa(us))", "current_filter": "(sa(us))", "current_folder": "ay",
		"current_name": "s", "handle_token": "s", "modal": "b", "accept_label": "s"}
	for k, sig := range want {
		if got := o[k].Signature().String(); got != sig {
			t.Errorf("%s's signature %s, want %s", k, got, sig)
		}
	}
}

// A dialog the app closed before it came is not a desktop without one:
// the app would stop asking the desktop for the rest of the run.
func TestDesktopClosedBeforeItCame(t *testing.T) {
	bustest.Private(t, nil) // no portal: the bus answers ErrUnavailable otherwise
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (Desktop{}).Save(ctx, saveRequest); !errors.Is(err, context.Canceled) || errors.Is(err, ErrUnavailable) {
		t.Fatalf("Save = %v, want context.Canceled", err)
	}
}

func TestRequestPath(t *testing.T) {
	if got := requestPath(":1.42", "cezanne_ab"); got != portalPath+"/request/1_42/cezanne_ab" {
		t.Fatal(got)
	}
	a, _ := handleToken()
	b, _ := handleToken()
	if a == b || !dbus.ObjectPath("/x/"+a).IsValid() {
		t.Fatalf("tokens %q %q", a, b)
	}
}
