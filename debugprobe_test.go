package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
)

// TestDebugProbe: the probe serves the goroutine count and grouped stacks,
// and refuses to listen anywhere but loopback.
func TestDebugProbe(t *testing.T) {
	ts := httptest.NewServer(debugProbeHandler())
	defer ts.Close()
	runtimeOK := func(t *testing.T, body []byte) {
		var rt debugRuntime
		// GoHeld holds at least the heap in use: it is all Go has mapped
		// but released.
		if err := json.Unmarshal(body, &rt); err != nil || rt.Goroutines < 2 || rt.HeapInuse == 0 || rt.GoHeld < rt.HeapInuse {
			t.Fatalf("runtime %s (%v)", body, err)
		}
	}
	for _, tt := range []struct {
		path  string
		check func(t *testing.T, body []byte)
	}{
		{"/debug/runtime", func(t *testing.T, body []byte) {
			runtimeOK(t, body)
			cMemoryOK(t, body)
		}},
		{"POST /debug/free", func(t *testing.T, body []byte) {
			runtimeOK(t, body)
			var rt debugRuntime
			_ = json.Unmarshal(body, &rt)
			if rt.NumGC == 0 {
				t.Fatal("no collection ran")
			}
		}},
		{"POST /debug/trim", func(t *testing.T, body []byte) {
			runtimeOK(t, body)
			cMemoryOK(t, body)
		}},
		{"/debug/heap", func(t *testing.T, body []byte) {
			// pprof's protobuf, gzipped.
			if len(body) < 2 || body[0] != 0x1f || body[1] != 0x8b {
				t.Fatalf("heap profile is not gzip: %.20q", body)
			}
		}},
		{"/debug/goroutines", func(t *testing.T, body []byte) {
			if !strings.HasPrefix(string(body), "goroutine profile: total ") || !strings.Contains(string(body), "TestDebugProbe") {
				t.Fatalf("goroutines:\n%.300s", body)
			}
		}},
	} {
		t.Run(tt.path, func(t *testing.T) {
			tt.check(t, probeRequest(t, ts.URL, tt.path))
		})
	}
}

// cMemoryOK: on Linux (glibc, and cgo, which the app needs for GLFW) the
// answer carries the C allocator's figures; elsewhere it leaves them out.
func cMemoryOK(t *testing.T, body []byte) {
	t.Helper()
	var rt debugRuntime
	if err := json.Unmarshal(body, &rt); err != nil {
		t.Fatal(err)
	}
	if got := rt.CInUse != nil && rt.CKept != nil; got != (runtime.GOOS == "linux") {
		t.Fatalf("C allocator figures present: %v on %s: %s", got, runtime.GOOS, body)
	}
	if rt.CInUse != nil && *rt.CInUse == 0 {
		t.Fatalf("glibc says the C code holds nothing: %s", body)
	}
}

// TestDebugProbeListensOnLoopbackOnly: any other address is refused in
// words, and nothing listens.
func TestDebugProbeListensOnLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.168.1.2:6060", "example.com:6060"} {
		if err := startDebugProbe(addr); err == nil || !strings.Contains(err.Error(), "loopback address only") {
			t.Errorf("startDebugProbe(%q): %v", addr, err)
		}
	}
	if err := startDebugProbe("127.0.0.1:0"); err != nil {
		t.Errorf("loopback refused: %v", err)
	}
}

// TestDebugProbeRefusesOtherHosts: a page that rebinds its own name to
// 127.0.0.1 sends its name as Host, and a browser's fetch sends Origin;
// neither reaches the probe.
func TestDebugProbeRefusesOtherHosts(t *testing.T) {
	ts := httptest.NewServer(debugProbeHandler())
	defer ts.Close()
	tests := []struct {
		name, host, origin string
		want               int
	}{
		{"loopback address", "", "", http.StatusOK},
		{"localhost", "localhost:6060", "", http.StatusOK},
		{"rebound name", "attacker.example:6060", "", http.StatusForbidden},
		{"from a web page", "", "http://attacker.example", http.StatusForbidden},
		{"no port", "127.0.0.1", "", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, ts.URL+"/debug/runtime", nil)
			if tt.host != "" {
				req.Host = tt.host
			}
			if tt.origin != "" {
				req.Header.Set("Origin", tt.origin)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = res.Body.Close()
			if res.StatusCode != tt.want {
				t.Errorf("status %d, want %d", res.StatusCode, tt.want)
			}
		})
	}
}

// probeRequest asks the probe at base for "METHOD /path" (GET when no
// method is given) and returns the body.
func probeRequest(t *testing.T, base, what string) []byte {
	t.Helper()
	method, path, found := strings.Cut(what, " ")
	if !found {
		method, path = http.MethodGet, what
	}
	req, _ := http.NewRequest(method, base+path, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return body
}
