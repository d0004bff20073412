package main

import (
	"bytes"
	"errors"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

func TestParseSandboxFlags(t *testing.T) {
	defaults := func(f func(*sandboxOptions)) sandboxOptions {
		o := sandboxOptions{addr: "127.0.0.1:8765", config: sandbox.Config{People: 500,
			LoopbackRedirect: sandbox.DefaultLoopbackRedirect, AccessTokenTTL: 600 * time.Second, ODataVersion: 2}}
		if f != nil {
			f(&o)
		}
		return o
	}
	tests := []struct {
		name    string
		args    []string
		want    sandboxOptions
		modes   modeFlag
		wantErr error  // nil: any error when wantOut is set
		wantOut string // on the output; "" means success, nothing written
	}{
		{name: "defaults", want: defaults(nil), modes: modeFlag{}},
		{name: "localhost", args: []string{"--addr", "localhost:9000"},
			want: defaults(func(o *sandboxOptions) { o.addr = "localhost:9000" }), modes: modeFlag{}},
		{name: "IPv6 loopback", args: []string{"--addr", "[::1]:0"},
			want: defaults(func(o *sandboxOptions) { o.addr = "[::1]:0" }), modes: modeFlag{}},
		{name: "tenant and faults", args: []string{"--people", "7", "--token-ttl", "5s", "--no-rotation", "--latency", "2s",
			"--fail-500", "1", "--fail-401", "2", "--malformed", "3", "--odata-version", "4", "--describe", "--quiet",
			"--redirect-uri", "http://127.0.0.1:1/cb"},
			want: defaults(func(o *sandboxOptions) {
				o.describe, o.quiet = true, true
				o.config.People, o.config.AccessTokenTTL, o.config.NoRotation, o.config.ODataVersion = 7, 5*time.Second, true, 4
				o.config.LoopbackRedirect = "http://127.0.0.1:1/cb"
				o.config.Faults = sandbox.Faults{Latency: 2 * time.Second, Fail500: 1, Fail401: 2, Malformed: 3}
			}), modes: modeFlag{}},
		{name: "soak faults and a state file", args: []string{"--timeout", "1", "--token-500", "2", "--spike", "3",
			"--spike-latency", "1500ms", "--state", "/tmp/tenant.json"},
			want: defaults(func(o *sandboxOptions) {
				o.state = "/tmp/tenant.json"
				o.config.Faults = sandbox.Faults{Timeout: 1, Token500: 2, Spike: 3, SpikeLatency: 1500 * time.Millisecond}
			}), modes: modeFlag{}},
		{name: "auto-approve is repeatable", args: []string{"--auto-approve", sandbox.ClientDesktopOnDemand + "=Automatic",
			"--auto-approve", sandbox.ClientDesktopScheme + "=Disabled"}, want: defaults(nil),
			modes: modeFlag{sandbox.ClientDesktopOnDemand: sandbox.AutoApproveAutomatic, sandbox.ClientDesktopScheme: sandbox.AutoApproveDisabled}},
		{name: "every interface is refused", args: []string{"--addr", "0.0.0.0:1"}, wantErr: errNotLoopback, wantOut: "sandbox: --addr must be a loopback address"},
		{name: "a LAN address is refused", args: []string{"--addr", "192.168.1.2:8765"}, wantErr: errNotLoopback, wantOut: "loopback"},
		{name: "a host name is refused", args: []string{"--addr", "example.com:8765"}, wantErr: errNotLoopback, wantOut: "loopback"},
		{name: "no port", args: []string{"--addr", "127.0.0.1"}, wantErr: errNotLoopback, wantOut: "loopback"},
		{name: "auto-approve without a mode", args: []string{"--auto-approve", sandbox.ClientDesktopOnDemand}, wantOut: "want CLIENT=MODE"},
		{name: "help", args: []string{"--help"}, wantErr: flag.ErrHelp, wantOut: "Serves a simulated Cezanne tenant."},
		{name: "unknown flag", args: []string{"--bogus"}, wantOut: "flag provided but not defined: -bogus"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			got, err := parseSandboxFlags(tt.args, &out)
			if tt.wantOut != "" {
				if err == nil || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) || !strings.Contains(out.String(), tt.wantOut) {
					t.Fatalf("error %v, output %q; want %v and %q", err, out.String(), tt.wantErr, tt.wantOut)
				}
				return
			}
			if err != nil || out.Len() > 0 {
				t.Fatalf("error %v, output %q", err, out.String())
			}
			if !maps.Equal(modeFlag(got.config.AutoApprove), tt.modes) {
				t.Errorf("auto-approve %v, want %v", got.config.AutoApprove, tt.modes)
			}
			got.config.AutoApprove = nil
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestModeFlag(t *testing.T) {
	tests := []struct {
		value   string
		want    sandbox.AutoApproveMode
		wantErr bool
	}{
		{value: "c=OnDemand", want: sandbox.AutoApproveOnDemand},
		{value: "c=Automatic", want: sandbox.AutoApproveAutomatic},
		{value: "c=Disabled", want: sandbox.AutoApproveDisabled},
		{value: "c", wantErr: true},
		{value: "c=Sometimes", wantErr: true},
	}
	for _, tt := range tests {
		m := modeFlag{}
		err := m.Set(tt.value)
		if (err != nil) != tt.wantErr || m["c"] != tt.want {
			t.Errorf("Set(%q): %v, error %v", tt.value, m, err)
		}
	}
}

func TestPrintSandbox(t *testing.T) {
	srv, err := sandbox.New(sandbox.Config{People: 3})
	if err != nil {
		t.Fatal(err)
	}
	r, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out bytes.Buffer
	printSandbox(&out, r)
	for _, want := range []string{"serving 3 people", "base URL: " + r.BaseURL(), sandbox.ClientDesktopScheme,
		"password " + sandbox.DemoPassword, "hrprof@sandbox.cezannehr.com", r.AdminURL(), "Press Ctrl+C"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the listing lacks %q:\n%s", want, out.String())
		}
	}
}

// TestNewSandboxFromStateFile: --state starts fresh when the file is not
// there yet, restores it when it is, and refuses a broken one in words.
func TestNewSandboxFromStateFile(t *testing.T) {
	dir := t.TempDir()
	saved := filepath.Join(dir, "saved.json")
	first, err := sandbox.New(sandbox.Config{People: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := first.SaveState(saved); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "broken.json")
	if err := os.WriteFile(broken, []byte(`{"format":"cezanne-sandbox-state/1",`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name     string
		path     string
		restarts int
		wantErr  string
	}{
		{"no state file", "", 0, ""},
		{"not there yet", filepath.Join(dir, "new.json"), 0, ""},
		{"saved before", saved, 1, ""},
		{"broken", broken, 0, "is not valid JSON"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := newSandbox(sandbox.Config{People: 1}, tt.path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || srv.Stats().Restarts != tt.restarts {
				t.Fatalf("error %v, restarts %d, want %d", err, srv.Stats().Restarts, tt.restarts)
			}
		})
	}
}
