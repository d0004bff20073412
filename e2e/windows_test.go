package e2e

import (
	"bytes"
	"context"
	"debug/pe"
	"errors"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox/sandboxtest"
)

// The Windows names the installer and the app use (installer.nsi,
// internal/keyring.Service).
const (
	winApp        = "Cezanne HR Desktop"
	winUninstKey  = `HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\CezanneHRDesktop`
	winSchemeKey  = `HKCU\Software\Classes\x-cez`
	winCredPrefix = "Cezanne HR Desktop:"
	winProfile    = "Sandbox Wine"
)

// TestWindowsUnderWine runs the shipped Windows installer and the app it
// installs for real, under Wine (wine64) on the test's display, against the
// sandbox: Windows 7 is refused in words; a silent install with an IT
// profile from a folder with a space in its name; the app opens on that
// profile, signs in through ShellExecute, keeps the refresh token in
// Credential Manager and signs in again without a browser; an x-cez:// link
// started from its registered command line reaches the running app and
// completes a sign-in, and one with a wrong state is refused; a silent
// uninstall removes the app and its instance files but keeps settings and
// sign-ins, and /S /PURGE removes those too (and nobody else's).
func TestWindowsUnderWine(t *testing.T) {
	requireDesktop(t, true)
	w := newWineRun(t, packageFile(t, "CEZANNE_SETUP"))
	// A 32-bit installer cannot run here at all: nothing else can be checked.
	if !t.Run("installer and uninstaller are 64-bit", w.checkSetup64) {
		return
	}
	t.Run("Windows 7 is refused", w.refuseOldWindows)
	if !t.Run("silent install with an IT profile", w.install) {
		return
	}
	t.Run("the app opens on the IT profile and signs in", w.signIn)
	t.Run("an x-cez link reaches the running app", w.customScheme)
	t.Run("no secret in logs or settings", w.noSecretsLeaked)
	t.Run("silent uninstall keeps settings and sign-ins", w.uninstall)
	// It installs again first, so it does not depend on the step before.
	t.Run("silent uninstall with /PURGE removes them", w.purge)
}

// wineRun is the Windows test's Wine prefix, sandbox, fake browser and
// what the steps found out along the way.
type wineRun struct {
	wine           string // wine64
	prefix         string // WINEPREFIX
	setup          string // the installer make packages built
	out            string // test-output/windows
	work           string
	itDir          string // the IT's folder, with a space in its name
	profile        string // the IT profile (Linux path)
	opened         string // the fake browser's log
	winshell       string // e2e/wine/winshell, as a Windows path
	env            []string
	desc           sandbox.Description
	installed      string // the Windows install folder, from the registry
	quietUninstall string // QuietUninstallString
}

func newWineRun(t *testing.T, setup string) *wineRun {
	t.Helper()
	wine, err := exec.LookPath("wine64")
	if err != nil {
		wine = "/usr/lib/wine/wine64" // Debian's wine64 does not put it on PATH
	}
	if _, err := os.Stat(wine); err != nil {
		if os.Getenv("CEZANNE_E2E") == "1" {
			t.Fatalf("CEZANNE_E2E=1 but wine64 is not installed (make deps-test installs it)")
		}
		t.Skip("wine64 is not installed; make test installs it")
	}
	work, err := os.MkdirTemp("", "cezanne-wine-") // not t.TempDir: Wine paths get long
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(work) })
	w := &wineRun{wine: wine, prefix: filepath.Join(work, "prefix"), setup: setup, work: work,
		out: filepath.Join(outputDir(t), "windows"), opened: filepath.Join(work, "opened.log")}
	if err := os.MkdirAll(w.out, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(filepath.Join("wine", "prefix.sh"), w.prefix).CombinedOutput(); err != nil {
		t.Fatalf("wine/prefix.sh: %v\n%s", err, out)
	}
	w.buildWinshell(t)
	w.startSandbox(t)
	// One wineserver for the whole test, kept between programs: each wine64
	// start then takes about a second instead of five (the server and
	// Wine's services start once). It ends 60 s after the last program,
	// should the test die before its cleanup. The one prefix.sh started
	// goes first: it would linger a few seconds and refuse a second.
	w.stopWine()
	server := exec.Command(w.wineserver(), "-p60")
	server.Env = w.env // no output captured: the server keeps it open
	if err := server.Run(); err != nil {
		t.Fatalf("wineserver -p60: %v", err)
	}
	t.Cleanup(w.stopWine)
	return w
}

func (w *wineRun) wineserver() string { return filepath.Join(filepath.Dir(w.wine), "wineserver") }

// buildWinshell cross-compiles the harness's shell stand-in into the prefix.
func (w *wineRun) buildWinshell(t *testing.T) {
	t.Helper()
	exe := filepath.Join(w.prefix, "drive_c", "cezanne-test", "winshell.exe")
	cmd := exec.Command("go", "build", "-o", exe, "./wine/winshell")
	cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build winshell: %v\n%s", err, out)
	}
	w.winshell = `C:\cezanne-test\winshell.exe`
}

// startSandbox starts the sandbox tenant (the Linux app binary), writes the
// IT profile for it, and puts the Wine fake browser on PATH.
func (w *wineRun) startSandbox(t *testing.T) {
	t.Helper()
	bin := appBinary(t)
	sbLog := &syncBuffer{}
	redirect := freeLoopbackURI(t)
	w.desc = sandboxtest.StartBinary(t, bin, sbLog, "--redirect-uri", redirect, "--people", "300")
	t.Cleanup(func() { _ = os.WriteFile(filepath.Join(w.out, "sandbox.log"), []byte(sbLog.String()), 0o644) })
	w.itDir = filepath.Join(w.work, "IT share")
	w.profile = filepath.Join(w.itDir, "profile.json")
	if err := os.MkdirAll(w.itDir, 0o755); err != nil {
		t.Fatal(err)
	}
	clientID := "desktop-ondemand.sandbox.cezannehr.com"
	writeFile(t, w.profile, fmt.Sprintf(`{"name":%q,"base_url":%q,"client_id":%q,"redirect_uri":%q,"scopes":["APIRead"],"auto_approve":"true","pkce":true}`,
		winProfile, w.desc.BaseURL, clientID, redirect))
	script, err := os.ReadFile(filepath.Join("wine", "xdg-open.sh"))
	if err != nil {
		t.Fatal(err)
	}
	fakeBin := filepath.Join(w.work, "fakebin")
	if err := os.MkdirAll(fakeBin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fakeBin, "xdg-open"), script, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if b, err := os.ReadFile(w.opened); err == nil {
			_ = os.WriteFile(filepath.Join(w.out, "browser.log"), b, 0o644)
		}
	})
	// GODEBUG=asyncpreemptoff=1, a Wine bridge: Go preempts a goroutine
	// by suspending its thread and rewriting its context, which Wine
	// emulates. Beside two CPU-bound loops and three other test sessions
	// the app once died under Wine with "Unhandled page fault on execute
	// access" at a heap address, as a bad injected context would (the
	// same mechanism crashes on Windows too when the thread is in an
	// exception: golang/go#81448), and Wine's crash debugger then held up
	// the uninstall. The app's own code is the same without it. The crash
	// came back with it, always as the app closed: at 0x259D937EA, which
	// is inside xinput1_4.dll as Wine maps it, freed by glfwTerminate
	// under Wine's XInput thread; the app now pins that library
	// (internal/xinput), and closeApp fails on a crash in the app's log.
	w.env = append(os.Environ(), "GODEBUG=asyncpreemptoff=1", "WINEPREFIX="+w.prefix, "WINEDEBUG=-all", "LANG=en_GB.UTF-8",
		"PATH="+fakeBin+":"+os.Getenv("PATH"), "CEZANNE_CLIENT_SECRET="+sandboxtest.Secret(w.desc, clientID),
		"CEZANNE_E2E_BROWSER_LOG="+w.opened, "CEZANNE_E2E_APP="+bin, "CEZANNE_E2E_WINE="+w.wine,
		"CEZANNE_E2E_WINSHELL="+w.winshell)
}

// stopWine ends every Windows process of the prefix and its wineserver.
func (w *wineRun) stopWine() {
	cmd := exec.Command(w.wineserver(), "-k")
	cmd.Env = w.env
	_ = cmd.Run()
}

// run runs a Windows program (or a Wine built-in such as reg) and returns
// what it printed; the error carries its exit status.
func (w *wineRun) run(t *testing.T, timeout time.Duration, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	// Output to a file, not a pipe: Wine's services, started by whichever
	// program comes first, inherit it and outlive the program, and a pipe
	// would make Wait wait for them.
	f, err := os.CreateTemp(w.work, "out-")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := exec.CommandContext(ctx, w.wine, args...)
	cmd.Env = w.env
	cmd.Stdout, cmd.Stderr = f, f
	err = cmd.Run()
	out, _ := os.ReadFile(f.Name())
	if ctx.Err() != nil {
		t.Fatalf("wine64 %v still running after %v:\n%s", args, timeout, out)
	}
	return string(out), err
}

// batch runs lines as a .bat file in the IT folder, through cmd as IT's
// scripts do: the command line reaches the program exactly as written.
func (w *wineRun) batch(t *testing.T, name string, lines ...string) (string, error) {
	t.Helper()
	bat := filepath.Join(w.itDir, name)
	writeFile(t, bat, "@echo off\r\n"+strings.Join(lines, "\r\n")+"\r\nexit /b %ERRORLEVEL%\r\n")
	return w.run(t, 2*time.Minute, "cmd", "/c", winPath(bat))
}

// winPath is a Linux path as Wine's Z: drive shows it.
func winPath(p string) string { return `Z:` + strings.ReplaceAll(p, "/", `\`) }

// exitCode is a program's exit status, 0 for none.
func exitCode(err error) int {
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// appData is the Linux path of the Wine user's AppData folder.
func (w *wineRun) appData(t *testing.T) string {
	t.Helper()
	users, _ := filepath.Glob(filepath.Join(w.prefix, "drive_c", "users", "*", "AppData"))
	for _, u := range users {
		if !strings.Contains(u, "/Public/") {
			return u
		}
	}
	t.Fatalf("no user folder in %s", w.prefix)
	return ""
}

// registry is the output of reg query /s, as key → value name → data
// ("(Default)" for a key's default value); nil when the key is missing.
func (w *wineRun) registry(t *testing.T, key string) map[string]map[string]string {
	t.Helper()
	out, err := w.run(t, time.Minute, "reg", "query", key, "/s")
	if err != nil {
		return nil
	}
	keys := map[string]map[string]string{}
	var cur map[string]string
	for _, line := range strings.Split(strings.ReplaceAll(out, "\r", ""), "\n") {
		if strings.HasPrefix(line, "HKEY_") {
			cur = map[string]string{}
			keys[strings.Replace(line, "HKEY_CURRENT_USER", "HKCU", 1)] = cur
			continue
		}
		if f := strings.SplitN(strings.TrimPrefix(line, "    "), "    ", 3); cur != nil && len(f) == 3 {
			cur[f[0]] = f[2]
		}
	}
	return keys
}

// creds lists the app's entries in Credential Manager (or those of prefix).
func (w *wineRun) creds(t *testing.T, prefix string) []string {
	t.Helper()
	out, err := w.run(t, time.Minute, w.winshell, "creds", prefix)
	if err != nil {
		t.Fatalf("winshell creds: %v\n%s", err, out)
	}
	// Wine writes its own complaints to the same file (once, as the
	// uninstaller's copy ended: "wine client error:3bc: sendmsg: Socket
	// operation on non-socket"): only credentials' names count.
	var names []string
	for _, l := range strings.Split(strings.ReplaceAll(out, "\r", ""), "\n") {
		switch {
		case strings.HasPrefix(l, prefix):
			names = append(names, l)
		case l != "":
			t.Logf("winshell creds: not a credential's name, left out: %q", l)
		}
	}
	return names
}

// is64Bit fails unless path is a PE32+ x86-64 program.
func is64Bit(t *testing.T, path string) {
	t.Helper()
	f, err := pe.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, ok := f.OptionalHeader.(*pe.OptionalHeader64); !ok || f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		t.Errorf("%s is not a 64-bit (PE32+ x86-64) program: machine %#x", filepath.Base(path), f.Machine)
	}
}

// checkSetup64: the installer is 64-bit like the app, so it runs where
// 32-bit code cannot (wine64 here has no 32-bit side at all).
func (w *wineRun) checkSetup64(t *testing.T) {
	is64Bit(t, w.setup)
}

// refuseOldWindows: on Windows 7 the installer says in words that it needs
// Windows 10 and installs nothing; silent, it exits with 2.
func (w *wineRun) refuseOldWindows(t *testing.T) {
	// Wine reports Windows 7 to one program by its file name
	// (AppDefaults\<name>\Version), as winecfg's per-application setting
	// does: a copy of the installer under another name runs on "Windows 7",
	// the rest of the prefix stays on Windows 10.
	old := filepath.Join(w.itDir, "Setup-on-Windows-7.exe")
	if err := os.WriteFile(old, mustRead(t, w.setup), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := w.run(t, time.Minute, "reg", "add", `HKCU\Software\Wine\AppDefaults\Setup-on-Windows-7.exe`, "/v", "Version", "/d", "win7", "/f"); err != nil {
		t.Fatalf("reg add: %v %s", err, out)
	}
	out, err := w.run(t, time.Minute, old, "/S")
	if exitCode(err) != 2 {
		t.Errorf("silent install on Windows 7: exit %v, want 2\n%s", err, out)
	}
	// By hand: the message box, which the person closes with OK.
	byHand := exec.Command(w.wine, old)
	byHand.Env = w.env
	if err := byHand.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- byHand.Wait() }()
	defer func() { _ = byHand.Process.Kill() }()
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	id, err := findWindow(ctx, "", "--name", winApp+" Setup")
	if err != nil {
		t.Fatalf("no %s Setup window on Windows 7: %v", winApp, err)
	}
	w.screenshot(t, "windows7-refused.png")
	xdo(t, "windowfocus", "--sync", id)
	xdo(t, "key", "Return")
	select {
	case err := <-done:
		if exitCode(err) != 2 {
			t.Errorf("install by hand on Windows 7: exit %v, want 2", err)
		}
	case <-time.After(30 * time.Second):
		t.Error("the installer did not end when its message was closed")
	}
	if _, err := os.Stat(filepath.Join(w.appData(t), "Local", "Programs", winApp)); !os.IsNotExist(err) {
		t.Errorf("something was installed on Windows 7: %v", err)
	}
	if w.registry(t, winUninstKey) != nil {
		t.Error("Windows 7: the uninstall entry was written")
	}
	listing, _ := os.ReadFile(filepath.Join(filepath.Dir(w.setup), "windows", "makensis.log"))
	if !bytes.Contains(listing, []byte(`MessageBox: 16: "Cezanne HR Desktop needs Windows 10 or later.`)) {
		t.Error("the installer's listing lacks the Windows 10 message")
	}
}

// install: Setup.exe /S /PROFILE="<folder with a space>\profile.json", as
// IT types it, installs per user and copies the profile.
func (w *wineRun) install(t *testing.T) {
	out, err := w.batch(t, "install.bat", fmt.Sprintf(`"%s" /S /PROFILE="%s"`, winPath(w.setup), winPath(w.profile)))
	if err != nil {
		t.Fatalf("install: %v\n%s", err, out)
	}
	appData := w.appData(t)
	dir := filepath.Join(appData, "Local", "Programs", winApp)
	shipped, _ := os.ReadFile(filepath.Join(filepath.Dir(w.setup), "windows", "cezanne-desktop.exe"))
	if got, err := os.ReadFile(filepath.Join(dir, "cezanne-desktop.exe")); err != nil || !bytes.Equal(got, shipped) {
		t.Errorf("cezanne-desktop.exe is not the shipped one in %s (%v)", dir, err)
	}
	is64Bit(t, filepath.Join(dir, "Uninstall.exe"))
	lnk, err := os.ReadFile(filepath.Join(appData, "Roaming", "Microsoft", "Windows", "Start Menu", "Programs", winApp+".lnk"))
	if err != nil || !(bytes.Contains(lnk, []byte("cezanne-desktop.exe")) || bytes.Contains(lnk, utf16le("cezanne-desktop.exe"))) {
		t.Errorf("Start-menu shortcut: %v", err)
	}
	if got, err := os.ReadFile(filepath.Join(appData, "Roaming", "cezanne-desktop", "profile.json")); err != nil || !bytes.Equal(got, mustRead(t, w.profile)) {
		t.Errorf("the IT profile was not copied: %v", err)
	}
	entry := w.registry(t, winUninstKey)[winUninstKey]
	w.installed = entry["InstallLocation"]
	w.quietUninstall = entry["QuietUninstallString"]
	if !strings.HasSuffix(w.installed, `\AppData\Local\Programs\`+winApp) || entry["DisplayName"] != winApp ||
		w.quietUninstall != `"`+w.installed+`\Uninstall.exe" /S` {
		t.Errorf("uninstall entry: %v", entry)
	}
	scheme := w.registry(t, winSchemeKey)
	if _, ok := scheme[winSchemeKey]["URL Protocol"]; !ok {
		t.Errorf("x-cez is not a URL protocol: %v", scheme)
	}
	if got, want := scheme[winSchemeKey+`\shell\open\command`]["(Default)"], `"`+w.installed+`\cezanne-desktop.exe" "%1"`; got != want {
		t.Errorf("x-cez command %q, want %q", got, want)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// launch starts the installed app with args; its log goes to the output.
func (w *wineRun) launch(t *testing.T, name string, env []string, args ...string) (*exec.Cmd, *logWatcher) {
	t.Helper()
	exe := filepath.Join(w.appData(t), "Local", "Programs", winApp, "cezanne-desktop.exe")
	cmd := exec.Command(w.wine, append([]string{exe}, args...)...)
	cmd.Env = append(append([]string(nil), w.env...), env...)
	lw := watch(t, cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		w.closeApp(t, cmd, lw, true)
		_ = os.WriteFile(filepath.Join(w.out, "app-"+name+".log"), []byte(lw.text()), 0o644)
	})
	return cmd, lw
}

// closeApp closes the app's windows as Windows does when asked
// (taskkill sends WM_CLOSE; with force, it ends the process), and waits.
func (w *wineRun) closeApp(t *testing.T, cmd *exec.Cmd, lw *logWatcher, force bool) {
	args := []string{"taskkill", "/im", "cezanne-desktop.exe"}
	if force {
		args = append(args, "/f")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	kill := exec.CommandContext(ctx, w.wine, args...)
	kill.Env = w.env
	_ = kill.Run()
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
		// A program whose running thread crashes under Wine ends with a
		// failing status and Wine's report in its log (the prefix shows no
		// crash dialog); a crash as it exits is checkNoCrash's. Ended by a
		// signal instead, it was Wine that ended it as it closed: seen in
		// loaded make test runs (both closes of one), never in 26 runs of
		// this test alone beside two CPU-bound loops, nothing in the app's
		// log either time; that is noted, as before.
		if st := cmd.ProcessState; !force && st != nil {
			switch {
			case st.Exited() && st.ExitCode() != 0:
				t.Errorf("the app ended with %v when Windows asked it to close, as a crash does: Wine's report and backtrace are at the end of its log in %s", st, w.out)
			case !st.Exited():
				t.Logf("the app was ended by Wine (%v) as it closed", st)
			}
		}
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		if !force {
			t.Error("the app did not close when Windows asked it to")
		}
	}
	if !force { // a forced close is the cleanup after this check, or ends a test already failing
		w.checkNoCrash(t, lw)
	}
}

// checkNoCrash fails if Wine reported a crash in the app's log, or its
// debugger runs. A thread that crashes while the process exits leaves its
// exit status 0 (seen: xinput1_4.dll freed under its thread,
// internal/xinput), and Wine's debugger, started for it, then outlived the
// process and held up the uninstall steps for 90 s each: it is ended here.
// The debugger counts on its own because the report can be lost: Wait
// closes the log's pipe as the process exits, unread lines and all.
func (w *wineRun) checkNoCrash(t *testing.T, lw *logWatcher) {
	t.Helper()
	report := ""
	for _, line := range strings.Split(lw.text(), "\n") {
		if strings.Contains(line, "wine: Unhandled") {
			report = line
		}
	}
	debugger := false
	for deadline := time.Now().Add(2 * time.Second); !debugger && time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		debugger = slices.ContainsFunc(w.programs(), func(p string) bool { return strings.Contains(strings.ToLower(p), "winedbg") })
	}
	if report == "" && !debugger {
		return
	}
	if report == "" {
		report = "Wine's debugger (winedbg) runs, its report not in the log"
	}
	t.Errorf("the app crashed under Wine: %s (its log is in %s)", report, w.out)
	if debugger {
		_, _ = w.run(t, 30*time.Second, "taskkill", "/f", "/im", "winedbg.exe")
	}
}

// screenshot saves the display under test-output/windows.
func (w *wineRun) screenshot(t *testing.T, name string) string {
	t.Helper()
	time.Sleep(1500 * time.Millisecond) // let the window paint
	shot := filepath.Join(w.out, name)
	if b, err := exec.Command("import", "-window", "root", shot).CombinedOutput(); err != nil {
		t.Fatalf("screenshot: %v %s", err, b)
	}
	t.Logf("screenshot: %s", shot)
	return shot
}

// signIn: the installed app opens on the IT profile; Sign in goes through
// ShellExecute to the browser; the refresh token lands in Credential
// Manager; a relaunch signs in without a browser.
func (w *wineRun) signIn(t *testing.T) {
	app, lw := w.launch(t, "first", nil)
	lw.waitFor(t, `state=resuming profile="`+winProfile+`"`, 90*time.Second)
	lw.waitFor(t, "state=form", 30*time.Second)
	x, y := w.signInButton(t, "it-profile.png")
	xdo(t, "mousemove", fmt.Sprint(x), fmt.Sprint(y), "click", "1")
	lw.waitFor(t, "state=signed-in", 90*time.Second)
	w.screenshot(t, "signed-in.png")
	if !strings.Contains(lw.text(), "state=people-loaded rows=300 total=300") {
		t.Errorf("People did not load:\n%s", lw.text())
	}
	if n := w.browserOpens(); n != 1 {
		t.Fatalf("the browser was opened %d times, want once", n)
	}
	if got, want := w.creds(t, winCredPrefix), winCredPrefix+winProfile+"/refresh_token"; !contains(got, want) {
		t.Errorf("Credential Manager has %v, want %s", got, want)
	}
	w.closeApp(t, app, lw, false)

	_, lw = w.launch(t, "relaunch", nil)
	lw.waitFor(t, "state=signed-in", 90*time.Second)
	if n := w.browserOpens(); n != 1 {
		t.Errorf("the relaunch opened the browser (%d opens)", n)
	}
}

func (w *wineRun) browserOpens() int {
	b, _ := os.ReadFile(w.opened)
	return strings.Count(string(b), "opened\n")
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// signInButton waits until the display shows the form's Sign in button at
// rest, saves that picture as name, and returns the button's middle. The
// app logs state=form when it swaps the form in; beside other test sessions
// Wine took more than the screenshot's 1.5 s to paint it, and the picture
// still showed the resume screen, whose progress bar the click then hit.
// At rest: two grabs 300 ms apart are the same picture, so that the click
// does not land on a form still being laid out. The resume screen's bar can
// rest too (it stays 400 ms at each end): primaryButton tells it apart.
func (w *wineRun) signInButton(t *testing.T, name string) (int, int) {
	t.Helper()
	shot := filepath.Join(w.out, name)
	for deadline := time.Now().Add(time.Minute); ; {
		rest := screenAtRest(t, 10*time.Second)
		if b, err := exec.Command("import", "-window", "root", shot).CombinedOutput(); err != nil {
			t.Fatalf("screenshot: %v %s", err, b)
		}
		if x, y, ok := primaryButton(readPNG(t, shot)); ok && rest {
			t.Logf("screenshot: %s", shot)
			return x, y
		}
		if time.Now().After(deadline) {
			t.Fatalf("no Sign in button at rest on the display within a minute: %s", shot)
		}
	}
}

// TestSignInButtonIsNotAProgressBar: the click target is read from real
// pictures of the app under Wine. The resume screen is the one a busy
// machine's screenshot showed after state=form; its progress bar's fill is
// primary blue too.
func TestSignInButtonIsNotAProgressBar(t *testing.T) {
	for _, tc := range []struct {
		picture string
		button  image.Rectangle // empty: none
	}{
		{"wine-resume-screen.png", image.Rectangle{}},
		{"wine-form.png", image.Rect(258, 790, 320, 822)}, // Sign in, bottom left
	} {
		t.Run(tc.picture, func(t *testing.T) {
			x, y, ok := primaryButton(readPNG(t, filepath.Join("testdata", tc.picture)))
			if ok != !tc.button.Empty() || ok && !image.Pt(x, y).In(tc.button) {
				t.Fatalf("Sign in button found: %v at (%d, %d), want it within %v", ok, x, y, tc.button)
			}
		})
	}
}

// primaryButton finds the Sign in button in a picture: the lowest
// horizontal run of at least 40 pixels of Fyne's primary blue with no
// progress bar's track on either side, and returns its middle.
func primaryButton(img image.Image) (x, y int, ok bool) {
	b := img.Bounds()
	for y := b.Max.Y - 1; y >= b.Min.Y; y-- {
		x0, x1 := blueRun(img, y)
		if x1-x0 < 40 || isTrack(img, x0-4, y) || isTrack(img, x1+3, y) {
			continue
		}
		top := y
		for top > b.Min.Y && blueRunAt(img, top-1, x0, x1) {
			top--
		}
		return (x0 + x1) / 2, (top + y) / 2, true
	}
	return 0, 0, false
}

// blueRun is the longest run of primary blue on row y.
func blueRun(img image.Image, y int) (int, int) {
	best0, best1, start := 0, 0, -1
	for x := img.Bounds().Min.X; x <= img.Bounds().Max.X; x++ {
		if x < img.Bounds().Max.X && isPrimary(img, x, y) {
			if start < 0 {
				start = x
			}
			continue
		}
		if start >= 0 && x-start > best1-best0 {
			best0, best1 = start, x
		}
		start = -1
	}
	return best0, best1
}

func blueRunAt(img image.Image, y, x0, x1 int) bool {
	return isPrimary(img, x0, y) && isPrimary(img, (x0+x1)/2, y) && isPrimary(img, x1-1, y)
}

// isPrimary: Fyne's light theme primary colour, #296FF6 here, give or take.
func isPrimary(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	r, g, b = r>>8, g>>8, b>>8
	return r < 80 && g > 80 && g < 150 && b > 200
}

// isTrack: the light blue of a progress bar's track around its fill (the
// primary colour at a lower alpha on white).
func isTrack(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	r, g, b = r>>8, g>>8, b>>8
	return r >= 80 && r < 230 && g > 150 && b > 230
}

// customScheme: the app signs in with the x-cez client; the sandbox sends
// the browser to x-cez://, which starts the registered command line, whose
// process hands the link to the running app. A link with a wrong state is
// refused by the running app.
func (w *wineRun) customScheme(t *testing.T) {
	profile := filepath.Join(w.itDir, "xcez.json")
	writeFile(t, profile, fmt.Sprintf(`{"name":"Sandbox Wine x-cez","base_url":%q,"client_id":%q,"redirect_uri":%q,"scopes":["APIRead"]}`,
		w.desc.BaseURL, sandbox.ClientDesktopScheme, sandbox.CustomSchemeRedirect))
	env := []string{"CEZANNE_CLIENT_SECRET=" + sandboxtest.Secret(w.desc, sandbox.ClientDesktopScheme)}
	app, lw := w.launch(t, "x-cez", env, "--profile", winPath(profile), "--sign-in", "--session-only")
	lw.waitFor(t, "state=signed-in", 120*time.Second)
	// The second process says it handed the link over once the running
	// app has taken it, which may be after the app signed in with it: on
	// a busy machine its line came after state=signed-in.
	var opened []byte
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		opened, _ = os.ReadFile(w.opened)
		handed := strings.Contains(string(opened), "link handed to Windows: x-cez") &&
			strings.Contains(string(opened), "Handed over to the running Cezanne HR Desktop.")
		if handed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the link did not go through the registered command:\n%s", opened)
		}
	}
	w.screenshot(t, "signed-in-x-cez.png")

	out, err := w.run(t, time.Minute, w.winshell, "open", "x-cez://oauth-callback/?code=forged-code-123456&state=forged")
	if err == nil || !strings.Contains(out, "no sign-in is waiting") {
		t.Errorf("a link with a wrong state: %v %s", err, out)
	}
	lw.waitFor(t, "state=stray-callback", 15*time.Second)
	w.closeApp(t, app, lw, false)
}

// noSecretsLeaked: the app's logs, the fake browser's log and the app's
// settings in the prefix hold no client secret, token or code (the
// sandbox's tokens and codes start with these).
func (w *wineRun) noSecretsLeaked(t *testing.T) {
	var all bytes.Buffer
	logs, _ := filepath.Glob(filepath.Join(w.out, "app-*.log"))
	logs = append(logs, w.opened)
	roaming := filepath.Join(w.appData(t), "Roaming")
	for _, dir := range []string{filepath.Join(roaming, "fyne"), filepath.Join(roaming, "cezanne-desktop")} {
		_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() {
				logs = append(logs, p)
			}
			return nil
		})
	}
	for _, p := range logs {
		all.Write(mustRead(t, p))
	}
	if all.Len() < 1000 {
		t.Fatalf("only %d bytes of logs and settings to scan; the scan would prove nothing", all.Len())
	}
	leaks := []string{"gAAAA", "qZR6!I", "qZR6%21I", "Pzw5!I", "Pzw5%21I"}
	for _, c := range w.desc.Clients {
		leaks = append(leaks, c.Secret)
	}
	for _, leak := range leaks {
		if leak != "" && bytes.Contains(all.Bytes(), []byte(leak)) {
			t.Errorf("a secret or token (%.6s…) appears in the logs or settings", leak)
		}
	}
}

// uninstall: the QuietUninstallString, as IT or Apps & Features runs it,
// removes the files, shortcut, keys and the app's instance files; the
// person's settings and saved sign-ins stay.
func (w *wineRun) uninstall(t *testing.T) {
	appData := w.appData(t)
	instance := filepath.Join(appData, "Local", "cezanne-desktop")
	if _, err := os.Stat(instance); err != nil {
		t.Fatalf("the app made no instance folder to remove: %v", err)
	}
	before := w.creds(t, winCredPrefix)
	if len(before) == 0 {
		t.Fatal("no saved sign-in to keep")
	}
	if out, err := w.batch(t, "uninstall.bat", w.quietUninstall); err != nil {
		t.Fatalf("uninstall: %v\n%s", err, out)
	}
	w.waitUninstalled(t)
	for _, p := range []string{
		filepath.Join(appData, "Local", "Programs", winApp),
		filepath.Join(appData, "Roaming", "Microsoft", "Windows", "Start Menu", "Programs", winApp+".lnk"),
		instance,
	} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s is still there", p)
		}
	}
	for _, key := range []string{winSchemeKey, winUninstKey, `HKCU\Software\CezanneHRDesktop`} {
		if w.registry(t, key) != nil {
			t.Errorf("%s is still there", key)
		}
	}
	for _, p := range []string{
		filepath.Join(appData, "Roaming", "cezanne-desktop", "profile.json"),
		filepath.Join(appData, "Roaming", "fyne", "com.cezannehr.desktop", "preferences.json"),
	} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("uninstall without the tick box removed %s: %v", p, err)
		}
	}
	if after := w.creds(t, winCredPrefix); len(after) != len(before) {
		t.Errorf("uninstall without the tick box removed saved sign-ins: %v, then %v", before, after)
	}
}

// waitUninstalled waits for the uninstaller, which runs on from a copy in
// %TEMP% after the one started returns, until no program of the prefix
// runs but Wine's own (C:\windows\...): no app runs by now.
func (w *wineRun) waitUninstalled(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		busy := w.programs()
		if len(busy) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("still running after 90 s: %v", busy)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// programs lists the Windows programs running in the prefix (a process
// whose environment names it), but for Wine's own under C:\windows.
func (w *wineRun) programs() []string {
	var running []string
	procs, _ := filepath.Glob("/proc/[0-9]*")
	for _, p := range procs {
		environ, err := os.ReadFile(filepath.Join(p, "environ"))
		if err != nil || !environHas(environ, "WINEPREFIX="+w.prefix) {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join(p, "cmdline"))
		image, _, _ := strings.Cut(string(cmdline), "\x00")
		if image == "" || strings.HasPrefix(strings.ToLower(image), `c:\windows\`) || strings.Contains(image, "wineserver") {
			continue
		}
		running = append(running, image)
	}
	return running
}

// purge: reinstalled, then Uninstall.exe /S /PURGE removes the settings,
// the IT profile and the app's saved sign-ins, and only the app's.
func (w *wineRun) purge(t *testing.T) {
	if out, err := w.run(t, 2*time.Minute, w.setup, "/S"); err != nil {
		t.Fatalf("reinstall: %v\n%s", err, out)
	}
	if out, err := w.run(t, time.Minute, w.winshell, "creds-add", "Another App:someone"); err != nil {
		t.Fatalf("creds-add: %v %s", err, out)
	}
	appData := w.appData(t)
	if out, err := w.batch(t, "purge.bat", w.quietUninstall+" /PURGE"); err != nil {
		t.Fatalf("uninstall /PURGE: %v\n%s", err, out)
	}
	w.waitUninstalled(t)
	for _, p := range []string{
		filepath.Join(appData, "Roaming", "cezanne-desktop"),
		filepath.Join(appData, "Roaming", "fyne", "com.cezannehr.desktop"),
		filepath.Join(appData, "Local", "Programs", winApp),
	} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("/PURGE left %s", p)
		}
	}
	if left := w.creds(t, winCredPrefix); len(left) != 0 {
		t.Errorf("/PURGE left saved sign-ins: %v", left)
	}
	if other := w.creds(t, "Another App:"); len(other) != 1 {
		t.Errorf("/PURGE removed another program's credential: %v", other)
	}
}
