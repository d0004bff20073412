package e2e

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// packageFile is a package make test built; without it the test skips,
// unless CEZANNE_E2E=1 (make test) says it must be there.
func packageFile(t *testing.T, env string) string {
	t.Helper()
	awaitStep(t, "CEZANNE_PACKAGES_DONE")
	path := os.Getenv(env)
	if path == "" {
		if os.Getenv("CEZANNE_E2E") == "1" {
			t.Fatalf("CEZANNE_E2E=1 but %s is not set; run make test", env)
		}
		t.Skipf("%s not set; make test builds the packages first", env)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("%s: %v", env, err)
	}
	return path
}

// Windows resource types (winuser.h).
const (
	rtIcon      = 3
	rtGroupIcon = 14
	rtVersion   = 16
	rtManifest  = 24
)

// TestWindowsPackage: the cross-compiled .exe is a 64-bit GUI-subsystem PE
// with icon, version information and manifest; the NSIS installer holds it,
// and its script registers x-cez:// and the Apps & Features entry per user
// and removes both on uninstall.
func TestWindowsPackage(t *testing.T) {
	setup := packageFile(t, "CEZANNE_SETUP")
	version := os.Getenv("CEZANNE_VERSION")
	exe := filepath.Join(filepath.Dir(setup), "windows", "cezanne-desktop.exe")
	f, err := pe.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	if !ok || f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		t.Fatalf("not a PE32+ x86-64 binary (machine %#x)", f.Machine)
	}
	if oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		t.Fatalf("subsystem %d, want the GUI subsystem (no console window)", oh.Subsystem)
	}
	rsrc := f.Section(".rsrc")
	if rsrc == nil {
		t.Fatal("no .rsrc section: icon and version information are missing")
	}
	data, err := rsrc.Data()
	if err != nil {
		t.Fatal(err)
	}
	types := resourceTypes(data)
	for _, want := range []uint32{rtIcon, rtGroupIcon, rtVersion, rtManifest} {
		if !types[want] {
			t.Errorf("resource type %d missing (have %v)", want, types)
		}
	}
	for _, s := range []string{"ProductVersion", "Cezanne HR Desktop", version} {
		if !bytes.Contains(data, utf16le(s)) {
			t.Errorf("version information lacks %q", s)
		}
	}

	out, err := exec.Command("7z", "l", setup).CombinedOutput()
	if err != nil {
		t.Fatalf("7z l: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "cezanne-desktop.exe") {
		t.Fatalf("the installer does not contain cezanne-desktop.exe:\n%s", out)
	}
	// What makensis compiled into the installer (its -V4 listing): the
	// per-user protocol registration, the uninstall entry, and their removal.
	script, err := os.ReadFile(filepath.Join(filepath.Dir(exe), "makensis.log"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`WriteRegStr: HKCU\Software\Classes\x-cez\URL Protocol=`,
		`WriteRegStr: HKCU\Software\Classes\x-cez\shell\open\command\="$INSTDIR\cezanne-desktop.exe" "%1"`,
		`WriteRegStr: HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\CezanneHRDesktop\DisplayName=Cezanne HR Desktop`,
		`WriteRegStr: HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\CezanneHRDesktop\UninstallString="$INSTDIR\Uninstall.exe"`,
		`DeleteRegKey: HKCU\Software\Classes\x-cez`,
		`DeleteRegKey: HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\CezanneHRDesktop`,
		`CreateShortcut: "$SMPROGRAMS\Cezanne HR Desktop.lnk"->"$INSTDIR\cezanne-desktop.exe"`,
		`CopyFiles: (silent) "$R1" -> "$APPDATA\cezanne-desktop\profile.json"`,
		`WriteUninstaller: "$INSTDIR\Uninstall.exe"`,
		`InstallDir: "$LOCALAPPDATA\Programs\Cezanne HR Desktop"`,
	} {
		if !strings.Contains(string(script), want) {
			t.Errorf("the installer lacks %s", want)
		}
	}
	// No admin rights: the listing does not show the execution level.
	src, _ := os.ReadFile(filepath.Join("..", "assets", "packaging", "windows", "installer.nsi"))
	if !strings.Contains(string(src), "\nRequestExecutionLevel user\n") {
		t.Error("the installer does not ask for user-level execution")
	}
}

// resourceTypes lists the type IDs at the root of a resource section.
func resourceTypes(rsrc []byte) map[uint32]bool {
	types := map[uint32]bool{}
	if len(rsrc) < 16 {
		return types
	}
	named := int(binary.LittleEndian.Uint16(rsrc[12:]))
	ids := int(binary.LittleEndian.Uint16(rsrc[14:]))
	for i := 0; i < named+ids; i++ {
		off := 16 + 8*i
		if off+8 > len(rsrc) {
			break
		}
		id := binary.LittleEndian.Uint32(rsrc[off:])
		if id&0x80000000 == 0 {
			types[id] = true
		}
	}
	return types
}

func utf16le(s string) []byte {
	var b bytes.Buffer
	for _, r := range utf16.Encode([]rune(s)) {
		_ = binary.Write(&b, binary.LittleEndian, r)
	}
	return b.Bytes()
}

// TestLinuxPackage: the archive unpacks, its .desktop file passes
// desktop-file-validate, the install script installs into ~/.local and
// registers x-cez://, and the binary inside starts under Xvfb.
func TestLinuxPackage(t *testing.T) {
	requireDesktop(t, true)
	tarball := packageFile(t, "CEZANNE_TARBALL")
	dir := t.TempDir()
	if out, err := exec.Command("tar", "-C", dir, "-xJf", tarball).CombinedOutput(); err != nil {
		t.Fatalf("tar: %v\n%s", err, out)
	}
	tops, _ := filepath.Glob(filepath.Join(dir, "cezanne-desktop-*"))
	if len(tops) != 1 {
		t.Fatalf("the archive should hold one folder, has %v", tops)
	}
	pkg := tops[0]
	for _, name := range []string{"cezanne-desktop", "com.cezannehr.desktop.png", "com.cezannehr.desktop.desktop", "install.sh"} {
		if _, err := os.Stat(filepath.Join(pkg, name)); err != nil {
			t.Fatalf("the archive lacks %s", name)
		}
	}
	desktop := filepath.Join(pkg, "com.cezannehr.desktop.desktop")
	if out, err := exec.Command("desktop-file-validate", desktop).CombinedOutput(); err != nil || len(out) > 0 {
		t.Fatalf("desktop-file-validate: %v\n%s", err, out)
	}
	entry, _ := os.ReadFile(desktop)
	for _, want := range []string{"Exec=cezanne-desktop %u\n", "MimeType=x-scheme-handler/x-cez;\n"} {
		if !strings.Contains(string(entry), want) {
			t.Errorf(".desktop lacks %q", want)
		}
	}

	home := filepath.Join(dir, "home")
	env := append(os.Environ(), "HOME="+home, "XDG_DATA_HOME="+filepath.Join(home, ".local", "share"),
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"), "XDG_RUNTIME_DIR="+filepath.Join(dir, "run"),
		"PATH=/usr/bin:/bin", "LANG=en_GB.UTF-8")
	install := exec.Command("sh", filepath.Join(pkg, "install.sh"))
	install.Env = env
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("install.sh: %v\n%s", err, out)
	}
	bin := filepath.Join(home, ".local", "bin", "cezanne-desktop")
	menu, err := os.ReadFile(filepath.Join(home, ".local", "share", "applications", "com.cezannehr.desktop.desktop"))
	if err != nil || !strings.Contains(string(menu), "Exec="+bin+" %u") {
		t.Fatalf("installed menu entry: %v\n%s", err, menu)
	}
	if _, err := os.Stat(filepath.Join(home, ".local", "share", "icons", "hicolor", "512x512", "apps", "com.cezannehr.desktop.png")); err != nil {
		t.Fatal("icon not installed")
	}
	if list, _ := os.ReadFile(filepath.Join(home, ".config", "mimeapps.list")); !strings.Contains(string(list), "x-scheme-handler/x-cez=") {
		t.Fatalf("x-cez:// not registered: %s", list)
	}

	cmd := exec.Command(bin, "--session-only")
	cmd.Env = env
	w := watch(t, cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	w.waitFor(t, "state=form", 30*time.Second)
	stop(cmd)

	uninstall := exec.Command("sh", filepath.Join(pkg, "install.sh"), "--uninstall")
	uninstall.Env = env
	if out, err := uninstall.CombinedOutput(); err != nil {
		t.Fatalf("uninstall: %v\n%s", err, out)
	}
	if _, err := os.Stat(bin); !os.IsNotExist(err) {
		t.Fatal("uninstall left the binary")
	}
}

// TestWindowsSigning: with a certificate in WINDOWS_SIGN_PFX the build signs
// with osslsigncode (checked with a throwaway self-signed one); without, it
// says the file is unsigned and leaves it alone.
func TestWindowsSigning(t *testing.T) {
	setup := packageFile(t, "CEZANNE_SETUP")
	for _, tool := range []string{"osslsigncode", "openssl", "make"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed", tool)
		}
	}
	dir := t.TempDir()
	exe := filepath.Join(dir, "cezanne-desktop.exe")
	b, err := os.ReadFile(filepath.Join(filepath.Dir(setup), "windows", "cezanne-desktop.exe"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exe, b, 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
		return string(out)
	}
	repo, _ := filepath.Abs("..")
	out := run("make", "-s", "-C", repo, "sign-windows", "SIGN_FILE="+exe, "WINDOWS_SIGN_PFX=")
	if !strings.Contains(out, "not signed: set WINDOWS_SIGN_PFX") {
		t.Fatalf("unsigned build: %s", out)
	}
	if err := exec.Command("osslsigncode", "extract-signature", "-in", exe, "-out", filepath.Join(dir, "none.der")).Run(); err == nil {
		t.Fatal("the file has a signature although no certificate was given")
	}
	run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem",
		"-subj", "/CN=Cezanne HR Desktop test signing", "-days", "1")
	run("openssl", "pkcs12", "-export", "-out", "test.pfx", "-inkey", "key.pem", "-in", "cert.pem", "-passout", "pass:test-pass")
	out = run("make", "-s", "-C", repo, "sign-windows", "SIGN_FILE="+exe,
		"WINDOWS_SIGN_PFX="+filepath.Join(dir, "test.pfx"), "WINDOWS_SIGN_PASSWORD=test-pass")
	if !strings.Contains(out, "signed "+exe) {
		t.Fatalf("signing: %s", out)
	}
	run("osslsigncode", "extract-signature", "-in", exe, "-out", filepath.Join(dir, "sig.der"))
	if info := run("openssl", "pkcs7", "-inform", "DER", "-in", "sig.der", "-print_certs", "-noout"); !strings.Contains(info, "Cezanne HR Desktop test signing") {
		t.Fatalf("signature certificate: %s", info)
	}
}
