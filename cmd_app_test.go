package main

import (
	"bytes"
	"errors"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/urlscheme"
)

func TestParseAppFlags(t *testing.T) {
	const link = "x-cez://oauth-callback/?code=abc&state=xyz"
	tests := []struct {
		name    string
		args    []string
		want    appOptions
		wantErr error  // nil: any error when wantOut is set
		wantOut string // on the output; "" means nothing written
	}{
		{name: "a launch from the menu", args: nil, want: appOptions{}},
		{name: "every flag", args: []string{"--profile", "p.json", "--sign-in", "--session-only", "--trace-out", "t.md"},
			want: appOptions{profilePath: "p.json", signIn: true, sessionOnly: true, traceOut: "t.md"}},
		{name: "the OS passes a link", args: []string{link}, want: appOptions{link: link}},
		{name: "flags before the link", args: []string{"-session-only", link}, want: appOptions{sessionOnly: true, link: link}},
		{name: "register a scheme", args: []string{"--register-scheme", "x-cez"}, want: appOptions{registerScheme: "x-cez"}},
		{name: "registering ignores the rest", args: []string{"--register-scheme", "x-cez", "anything"}, want: appOptions{registerScheme: "x-cez"}},
		{name: "take over a scheme", args: []string{"--register-scheme", "x-cez", "--take-over"}, want: appOptions{registerScheme: "x-cez", takeOver: true}},
		{name: "help", args: []string{"--help"}, wantErr: flag.ErrHelp, wantOut: "Usage: cezanne-desktop [--profile FILE]"},
		{name: "help lists the flags", args: []string{"-h"}, wantErr: flag.ErrHelp, wantOut: "keep the sign-in in memory only"},
		{name: "unknown flag", args: []string{"--bogus"}, wantOut: "flag provided but not defined: -bogus"},
		{name: "a flag without its value", args: []string{"--trace-out"}, wantOut: "flag needs an argument: -trace-out"},
		{name: "a web link is not a sign-in link", args: []string{"https://example.com/?code=a"}, wantOut: "is not a sign-in link"},
		{name: "a word is not a link", args: []string{"bogus"}, wantOut: `"bogus" is not a sign-in link`},
		{name: "two links", args: []string{link, link}, wantOut: "unexpected arguments"},
		{name: "the consent check in the window", args: []string{"--consent-check", "--window", "--profile", "p.json"},
			want: appOptions{profilePath: "p.json", consentCheck: true}},
		{name: "the demo's consent check in the window", args: []string{"-window", "-consent-check"}, want: appOptions{consentCheck: true}},
		{name: "--window alone", args: []string{"--window"}, wantOut: "--consent-check and --window go together"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			got, err := parseAppFlags(tt.args, &out)
			if tt.wantOut == "" {
				if err != nil || got != tt.want || out.Len() > 0 {
					t.Fatalf("got %+v, %v, output %q; want %+v", got, err, out.String(), tt.want)
				}
				return
			}
			if err == nil || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(out.String(), tt.wantOut) {
				t.Fatalf("output %q lacks %q", out.String(), tt.wantOut)
			}
		})
	}
}

// TestRegisterSchemeCLI: --register-scheme refuses schemes other programs
// own by name (exefile) and does not take over one another program opens
// now unless --take-over is given.
func TestRegisterSchemeCLI(t *testing.T) {
	const exe = "/usr/bin/cezanne-desktop"
	tests := []struct {
		name      string
		scheme    string
		owner     string // the desktop file that opens the scheme now
		takeOver  bool
		wantCode  int
		wantOut   string
		wantErr   string
		wantOwner string // the default handler afterwards
	}{
		{name: "x-cez", scheme: "x-cez", wantOut: "x-cez:// links now open " + exe + "\n", wantOwner: urlscheme.DesktopFileName("x-cez")},
		{name: "reverse DNS", scheme: "com.example.hr", wantOut: "com.example.hr:// links now open " + exe + "\n",
			wantOwner: urlscheme.DesktopFileName("com.example.hr")},
		{name: "exefile", scheme: "exefile", wantCode: 1, wantErr: "cezanne-desktop: exefile:// links may belong to other programs"},
		{name: "ssh", scheme: "ssh", wantCode: 1, wantErr: "cezanne-desktop: ssh:// links may belong to other programs"},
		{name: "owned by another program", scheme: "x-cez", owner: "other.desktop", wantCode: 1,
			wantErr: "cezanne-desktop: x-cez:// links open other.desktop on this computer; registering would make them open Cezanne HR Desktop instead.\n" +
				"Nothing was changed. To make them open this app anyway, run again with --take-over.\n", wantOwner: "other.desktop"},
		{name: "taken over when asked", scheme: "x-cez", owner: "other.desktop", takeOver: true,
			wantOut: "x-cez:// links now open " + exe + "\n", wantOwner: urlscheme.DesktopFileName("x-cez")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			reg := &urlscheme.XDG{Exe: exe, DataHome: filepath.Join(dir, "data"), ConfigHome: filepath.Join(dir, "config")}
			list := filepath.Join(reg.ConfigHome, "mimeapps.list")
			if tt.owner != "" {
				_ = os.MkdirAll(reg.ConfigHome, 0o755)
				if err := os.WriteFile(list, []byte("[Default Applications]\nx-scheme-handler/"+tt.scheme+"="+tt.owner+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var out, errOut bytes.Buffer
			code := registerSchemeWith(reg, exe, tt.scheme, tt.takeOver, &out, &errOut)
			if code != tt.wantCode || out.String() != tt.wantOut || !strings.HasPrefix(errOut.String(), tt.wantErr) || (tt.wantErr == "") != (errOut.Len() == 0) {
				t.Fatalf("code %d, output %q, errors %q", code, out.String(), errOut.String())
			}
			b, _ := os.ReadFile(list)
			if got := handlerOf(string(b), tt.scheme); got != tt.wantOwner {
				t.Fatalf("x-scheme-handler/%s opens %q, want %q", tt.scheme, got, tt.wantOwner)
			}
		})
	}
}

// handlerOf reads a scheme's default handler from mimeapps.list text.
func handlerOf(list, scheme string) string {
	for _, line := range strings.Split(list, "\n") {
		if v, ok := strings.CutPrefix(line, "x-scheme-handler/"+scheme+"="); ok {
			return strings.TrimSuffix(v, ";")
		}
	}
	return ""
}

// TestLoadProfiles: --profile FILE and the installer's preset reach the
// app as the file has them, every key kept; a file that names the
// built-in demo tenant is refused in words (--profile: the app exits
// with them; the preset: logged and passed over).
func TestLoadProfiles(t *testing.T) {
	const good = `{"name":"Acme","base_url":"https://acme.cezanneondemand.com/CezanneOnDemand",` +
		`"data_service_url":"https://acme.cezanneondemand.com/odata/v4","client_id":"hr.acme.example",` +
		`"redirect_uri":"x-cez://oauth-callback/","scopes":["APIWrite","https://hr.acme.example/scopes/payroll"],"auto_approve":"false","pkce":false}`
	const demo = `{"name":"Demo tenant","client_id":"demo","redirect_uri":"http://127.0.0.1:47613/oauth-callback/","scopes":["APIRead"],"demo":true}`
	tests := []struct {
		name                 string
		file, preset         string // "" means none
		wantFile, wantPreset bool
		wantErr, wantLog     string
	}{
		{name: "--profile", file: good, wantFile: true},
		{name: "--profile wins over the preset", file: good, preset: good, wantFile: true},
		{name: "preset", preset: good, wantPreset: true},
		{name: "neither"},
		{name: "--profile naming the demo", file: demo, wantErr: auth.DemoProfileRefusal},
		{name: "preset naming the demo", preset: demo, wantLog: auth.DemoProfileRefusal},
	}
	want, err := auth.ParseProfile([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
			path := ""
			if tt.file != "" {
				path = filepath.Join(dir, "profile file.json")
				_ = os.WriteFile(path, []byte(tt.file), 0o600)
			}
			if tt.preset != "" {
				preset, _ := auth.PresetProfilePath()
				_ = os.MkdirAll(filepath.Dir(preset), 0o700)
				_ = os.WriteFile(preset, []byte(tt.preset), 0o600)
			}
			var log bytes.Buffer
			profile, preset, err := loadProfiles(path, slog.New(slog.NewTextHandler(&log, nil)))
			if tt.wantErr != "" || err != nil {
				if err == nil || tt.wantErr == "" || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				return
			}
			checkLoaded(t, "--profile", profile, want, tt.wantFile)
			checkLoaded(t, "preset", preset, want, tt.wantPreset)
			if !strings.Contains(log.String(), tt.wantLog) || (tt.wantLog == "") != (log.Len() == 0) {
				t.Fatalf("logged %q, want %q", log.String(), tt.wantLog)
			}
		})
	}
}

// checkLoaded fails unless got is the file's profile, key for key, when
// one is expected, and nil otherwise.
func checkLoaded(t *testing.T, what string, got, file *auth.Profile, expected bool) {
	t.Helper()
	if (got != nil) != expected || (got != nil && !bytes.Equal(got.Marshal(), file.Marshal())) {
		t.Fatalf("%s: %+v, want the file's: %v", what, got, expected)
	}
}

// TestConsentWindow: --consent-check goes to the window only with
// --window; without it the command-line check (cmd_consent.go) runs it.
func TestConsentWindow(t *testing.T) {
	tests := []struct {
		args []string
		want bool
	}{
		{[]string{"--consent-check", "--window", "--profile", "p.json"}, true},
		{[]string{"-window", "-consent-check"}, true},
		{[]string{"--consent-check", "--profile", "p.json", "--report", "r.json"}, false},
		{[]string{"--window"}, false},
		{nil, false},
	}
	for _, tt := range tests {
		if got := consentWindow(tt.args); got != tt.want {
			t.Errorf("consentWindow(%q) = %v, want %v", tt.args, got, tt.want)
		}
	}
}
