package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/urlscheme"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox/sandboxtest"
)

// TestCustomSchemeLinkFromSecondProcess: with x-cez:// registered (in a
// temporary XDG_DATA_HOME), the app signs in against the sandbox's x-cez
// client: the "browser" hands the x-cez link to the OS, which starts a
// second copy of the app with it; that copy forwards the link over the
// authenticated instance channel to the running app, which completes the
// sign-in. A stray link is refused, and a plain second launch only brings
// the window forward.
func TestCustomSchemeLinkFromSecondProcess(t *testing.T) {
	requireDesktop(t, true)
	r := newDesktopRun(t, "x-cez")
	profile := filepath.Join(r.work, "xcez.json")
	writeFile(t, profile, fmt.Sprintf(`{"name":"Sandbox x-cez","base_url":%q,"client_id":%q,"redirect_uri":%q,"scopes":["APIRead"]}`,
		r.desc.BaseURL, sandbox.ClientDesktopScheme, sandbox.CustomSchemeRedirect))
	env := append(append([]string(nil), r.env...), "CEZANNE_CLIENT_SECRET="+sandboxtest.Secret(r.desc, sandbox.ClientDesktopScheme))

	run := func(args ...string) (string, error) {
		cmd := exec.Command(r.bin, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run("--register-scheme", "x-cez"); err != nil {
		t.Fatalf("--register-scheme: %v %s", err, out)
	}
	desktop, err := os.ReadFile(filepath.Join(r.home, ".local", "share", "applications", urlscheme.DesktopFileName("x-cez")))
	if err != nil || string(desktop) != urlscheme.DesktopFile(r.bin, "x-cez") {
		t.Fatalf(".desktop file: %v\n%s", err, desktop)
	}
	if list, _ := os.ReadFile(filepath.Join(r.home, ".config", "mimeapps.list")); !strings.Contains(string(list), "x-scheme-handler/x-cez="+urlscheme.DesktopFileName("x-cez")) {
		t.Fatalf("mimeapps.list: %s", list)
	}

	r.env = env
	app, w := r.launch("x-cez", "--profile", profile, "--sign-in", "--session-only")
	w.waitFor(t, "state=signed-in", 60*time.Second)
	w.waitFor(t, "state=people-loaded", 15*time.Second)
	opened, _ := os.ReadFile(r.opened)
	if !strings.Contains(string(opened), "link handed to "+r.bin) || !strings.Contains(string(opened), "Handed over to the running Cezanne HR Desktop.") {
		t.Fatalf("the link did not go through a second process:\n%s", opened)
	}

	// A link nobody is waiting for (stray, or a replay) is refused.
	out, err := run("x-cez://oauth-callback/?code=forged-code-123456&state=forged")
	if err == nil || !strings.Contains(out, "no sign-in is waiting") {
		t.Fatalf("stray link: %v %s", err, out)
	}
	w.waitFor(t, "state=stray-callback", 5*time.Second)

	// Double-clicking the app again brings the window forward instead.
	out, err = run()
	if err != nil || !strings.Contains(out, "Handed over") {
		t.Fatalf("second launch: %v %s", err, out)
	}
	w.waitFor(t, "brought to the front by a second launch", 5*time.Second)
	r.screenshot("signed-in-x-cez.png")
	stop(app)

	// With no app running, a link starts one, which says it was stray.
	stray, w := r.launch("x-cez-stray", "x-cez://oauth-callback/?code=late-code-123456&state=late")
	w.waitFor(t, "state=stray-callback", 30*time.Second)
	w.waitFor(t, `state=form message="A sign-in response arrived from the browser, but no sign-in was waiting`, 30*time.Second)
	r.screenshot("stray-link.png")
	stop(stray)
	r.assertNoSecretsLeaked()
}
