package auth

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox/sandboxtest"
)

func TestXDGRegistration(t *testing.T) {
	dir := t.TempDir()
	r := &XDGRegistration{Exe: "/opt/Cezanne HR/cezanne-desktop", DataHome: filepath.Join(dir, "data"), ConfigHome: filepath.Join(dir, "config")}
	// Someone else's settings must survive.
	os.MkdirAll(r.ConfigHome, 0o755)
	other := "[Default Applications]\ntext/html=firefox.desktop\n\n[Added Associations]\nimage/png=eog.desktop;\n"
	os.WriteFile(filepath.Join(r.ConfigHome, "mimeapps.list"), []byte(other), 0o644)

	if ok, err := r.Registered("x-cez"); ok || err != nil {
		t.Fatalf("registered before registering: %v %v", ok, err)
	}
	if err := r.Register("x-cez"); err != nil {
		t.Fatal(err)
	}
	if ok, err := r.Registered("x-cez"); !ok || err != nil {
		t.Fatalf("not registered after registering: %v", err)
	}
	desktop, _ := os.ReadFile(filepath.Join(r.DataHome, "applications", "com.cezannehr.desktop-x-cez.desktop"))
	for _, want := range []string{"[Desktop Entry]\n", "Type=Application\n", "MimeType=x-scheme-handler/x-cez;\n", `Exec="/opt/Cezanne HR/cezanne-desktop" %u` + "\n", "NoDisplay=true\n"} {
		if !strings.Contains(string(desktop), want) {
			t.Errorf(".desktop file lacks %q:\n%s", want, desktop)
		}
	}
	list, _ := os.ReadFile(filepath.Join(r.ConfigHome, "mimeapps.list"))
	want := "[Default Applications]\ntext/html=firefox.desktop\nx-scheme-handler/x-cez=com.cezannehr.desktop-x-cez.desktop\n\n[Added Associations]\nimage/png=eog.desktop;\n"
	if string(list) != want {
		t.Fatalf("mimeapps.list:\n%s\nwant:\n%s", list, want)
	}
	// Another copy of the app elsewhere is not "registered".
	moved := *r
	moved.Exe = "/usr/bin/cezanne-desktop"
	if ok, _ := moved.Registered("x-cez"); ok {
		t.Fatal("a registration for another executable counts as ours")
	}
}

func TestSetDefaultHandler(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "[Default Applications]\nx-scheme-handler/x-cez=a.desktop\n"},
		{"[Added Associations]\nx=y;\n", "[Added Associations]\nx=y;\n\n[Default Applications]\nx-scheme-handler/x-cez=a.desktop\n"},
		{"[Default Applications]\nx-scheme-handler/x-cez=old.desktop\nz=1\n", "[Default Applications]\nx-scheme-handler/x-cez=a.desktop\nz=1\n"},
	}
	for _, tt := range tests {
		got := string(setDefaultHandler([]byte(tt.in), "x-scheme-handler/x-cez", "a.desktop"))
		if got != tt.want {
			t.Errorf("setDefaultHandler(%q) =\n%q\nwant\n%q", tt.in, got, tt.want)
		}
		if defaultHandler([]byte(got), "x-scheme-handler/x-cez") != "a.desktop" {
			t.Errorf("defaultHandler cannot read back %q", got)
		}
	}
}

func TestDesktopExecQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/usr/bin/cezanne-desktop", "/usr/bin/cezanne-desktop"},
		{"/opt/My Apps/app", `"/opt/My Apps/app"`},
		{`/opt/a"b/$x`, `"/opt/a\\"b/\\$x"`},
	}
	for _, tt := range tests {
		if got := desktopExecQuote(tt.in); got != tt.want {
			t.Errorf("desktopExecQuote(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// fakeRegistry is HKEY_CURRENT_USER as a map.
type fakeRegistry map[string]string

func (f fakeRegistry) SetString(key, name, value string) error {
	f[key+"|"+name] = value
	return nil
}

func (f fakeRegistry) GetString(key, name string) (string, error) {
	v, ok := f[key+"|"+name]
	if !ok {
		return "", errRegistryNotFound
	}
	return v, nil
}

func TestWindowsRegistration(t *testing.T) {
	reg := fakeRegistry{}
	r := &WindowsRegistration{Exe: `C:\Users\ana\AppData\Local\Programs\Cezanne HR Desktop\cezanne-desktop.exe`, reg: reg}
	if ok, err := r.Registered("x-cez"); ok || err != nil {
		t.Fatalf("registered before: %v %v", ok, err)
	}
	if err := r.Register("x-cez"); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		`Software\Classes\x-cez|`:                    "URL:Cezanne HR Desktop sign-in (x-cez)",
		`Software\Classes\x-cez|URL Protocol`:        "",
		`Software\Classes\x-cez\shell\open\command|`: `"` + r.Exe + `" "%1"`,
		`Software\Classes\x-cez\DefaultIcon|`:        `"` + r.Exe + `",0`,
	}
	for k, v := range want {
		if reg[k] != v {
			t.Errorf("HKCU\\%s = %q, want %q", k, reg[k], v)
		}
	}
	if ok, _ := r.Registered("x-cez"); !ok {
		t.Fatal("not registered after registering")
	}
	other := &WindowsRegistration{Exe: `D:\old\cezanne-desktop.exe`, reg: reg}
	if ok, _ := other.Registered("x-cez"); ok {
		t.Fatal("another executable's registration counts as ours")
	}
	for _, bad := range []string{"https", "x cez", `x-cez\..\evil`, ""} {
		if err := r.Register(bad); err == nil {
			t.Errorf("registered %q", bad)
		}
	}
}

func TestSchemeInbox(t *testing.T) {
	in := &SchemeInbox{}
	if err := in.Deliver("x-cez://oauth-callback/?code=c&state=s"); !errors.Is(err, ErrNoSignInWaiting) {
		t.Fatalf("stray link: %v", err)
	}
	r, _ := ParseRedirectURI("x-cez://oauth-callback/")
	tr := NewTrace(TraceMeta{})
	wait, stop := in.expect(r, "good-state", tr)
	for _, tt := range []struct {
		url  string
		want string
	}{
		{"x-cez://elsewhere/?code=c&state=good-state", "not for this sign-in's redirect URI"},
		{"x-cez://oauth-callback/?code=forged&state=bad", "state mismatch"},
	} {
		if err := in.Deliver(tt.url); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Deliver(%s) = %v, want %q", tt.url, err, tt.want)
		}
	}
	if err := in.Deliver("X-CEZ://oauth-callback?code=the-code&state=good-state"); err != nil {
		t.Fatal(err)
	}
	code, err := wait(context.Background())
	if err != nil || code != "the-code" {
		t.Fatalf("wait = %q, %v", code, err)
	}
	if err := in.Deliver("x-cez://oauth-callback/?code=the-code&state=good-state"); !errors.Is(err, ErrAlreadyReceived) {
		t.Fatalf("replay during the sign-in: %v", err)
	}
	stop()
	if err := in.Deliver("x-cez://oauth-callback/?code=the-code&state=good-state"); !errors.Is(err, ErrNoSignInWaiting) {
		t.Fatalf("replay after the sign-in: %v", err)
	}
	var matched []string
	for _, s := range tr.Steps() {
		matched = append(matched, s.Field("state matched"))
	}
	if strings.Join(matched, ",") != "no,yes,yes" {
		t.Fatalf("callback steps state matched: %v", matched)
	}
}

func TestInstanceChannel(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	got := make(chan string, 4)
	in, err := ListenInstance(dir, func(kind, u string) error {
		if u == "x-cez://refuse" {
			return errors.New("refused by the app")
		}
		got <- kind + " " + u
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(dir); info.Mode().Perm() != 0o700 {
		t.Fatalf("instance dir mode %v", info.Mode().Perm())
	}
	if info, _ := os.Stat(filepath.Join(dir, instanceKey)); info.Mode().Perm() != 0o600 {
		t.Fatalf("secret mode %v", info.Mode().Perm())
	}
	if err := ForwardToInstance(dir, MessageURL, "x-cez://oauth-callback/?code=a&state=b"); err != nil {
		t.Fatal(err)
	}
	if err := ForwardToInstance(dir, MessageShow, ""); err != nil {
		t.Fatal(err)
	}
	if a, b := <-got, <-got; a != "url x-cez://oauth-callback/?code=a&state=b" || b != "show " {
		t.Fatalf("received %q, %q", a, b)
	}
	if err := ForwardToInstance(dir, MessageURL, "x-cez://refuse"); err == nil || err.Error() != "refused by the app" {
		t.Fatalf("the app's refusal came back as %v", err)
	}
	// A sender without the secret is refused and never reaches the app.
	if err := forward(dir, instanceMessage{Secret: "guess", Kind: MessageURL, URL: "x-cez://oauth-callback/?code=evil"}); err == nil || err.Error() != "not authenticated" {
		t.Fatalf("wrong secret: %v", err)
	}
	if _, err := ListenInstance(dir, func(string, string) error { return nil }); err == nil {
		t.Fatal("a second instance could listen")
	}
	select {
	case g := <-got:
		t.Fatalf("unauthenticated message delivered: %s", g)
	default:
	}
	in.Close()
	if err := ForwardToInstance(dir, MessageShow, ""); !errors.Is(err, ErrNoInstance) {
		t.Fatalf("after close: %v", err)
	}
}

// TestSignInThroughCustomScheme: the sandbox's x-cez client redirects to
// x-cez://oauth-callback/; the link reaches the running app over the
// instance channel, as from a second process, and the sign-in completes.
func TestSignInThroughCustomScheme(t *testing.T) {
	tenant := sandboxtest.Start(t, sandbox.Config{LoopbackRedirect: freeRedirect(t)})
	c, _ := tenant.OAuthClient(sandbox.ClientDesktopScheme)
	p := &Profile{Name: "x-cez", BaseURL: tenant.BaseURL(), ClientID: c.ID, RedirectURI: sandbox.CustomSchemeRedirect, Scopes: []string{"APIRead"}}
	if err := p.Normalize(); err != nil {
		t.Fatal(err)
	}
	inbox := &SchemeInbox{}
	dir := filepath.Join(t.TempDir(), "run")
	inst, err := ListenInstance(dir, func(kind, u string) error { return inbox.Deliver(u) })
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	links := make(chan string, 1)
	tr := NewTrace(TraceMeta{Profile: p})
	s, err := SignIn(context.Background(), Options{
		Profile: p, ClientSecret: c.Secret, Store: NewMemoryStore(), SchemeInbox: inbox, Trace: tr, Timeout: 20 * time.Second,
		OpenBrowser: func(u string) error {
			go func() {
				res, err := (&sandbox.Robot{Username: "hrprof@sandbox.cezannehr.com", Password: sandbox.DemoPassword, NoDeliver: true}).Run(context.Background(), u)
				if err != nil {
					t.Errorf("robot: %v", err)
					return
				}
				links <- res.RedirectURL
				if err := ForwardToInstance(dir, MessageURL, res.RedirectURL); err != nil {
					t.Errorf("forward: %v", err)
				}
			}()
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if tok, err := s.Token(); err != nil || tok.AccessToken == "" {
		t.Fatal(err)
	}
	link := <-links
	if !strings.HasPrefix(link, "x-cez://oauth-callback/?code=") {
		t.Fatalf("redirect %s", link)
	}
	// The same link again (a replayed code) is refused.
	if err := ForwardToInstance(dir, MessageURL, link); err == nil || !strings.Contains(err.Error(), "no sign-in is waiting") {
		t.Fatalf("replayed link: %v", err)
	}
	u, _ := url.Parse(link)
	if steps := tr.Steps(); steps[2].Kind != StepCallback || steps[2].Title != "Callback received on the x-cez:// link" || u.Query().Get("code") == "" {
		t.Fatalf("trace %+v", steps[2])
	}
}
