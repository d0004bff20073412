package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestLoopbackReceiver(t *testing.T) {
	r, _ := ParseRedirectURI(freeRedirect(t))
	rec := &hookRecorder{}
	lr, err := listenLoopback(r, "good", rec.hooks())
	if err != nil {
		t.Fatal(err)
	}
	defer lr.Close()
	base := "http://" + r.URL.Host
	get := func(path string) (int, string) {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, _ := get("/other?code=x&state=good"); status != 404 {
		t.Errorf("other path served: %d", status)
	}
	if status, body := get("/oauth-callback/?code=x&state=forged"); status != 400 || !strings.Contains(body, "not recognised") {
		t.Errorf("forged state: %d", status)
	}
	// The forged response did not end the attempt: the real one still lands.
	status, body := get("/oauth-callback/?code=real&state=good")
	if status != 200 || !strings.Contains(body, "Sign-in received") || !strings.Contains(body, "You can close this tab") {
		t.Errorf("good response page: %d %s", status, body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if code, err := lr.answer.wait(ctx); code != "real" || err != nil {
		t.Fatalf("Wait = %q, %v", code, err)
	}
	if status, _ := get("/oauth-callback/?code=again&state=good"); status != 410 {
		t.Errorf("second callback accepted: %d", status)
	}
	// The port is held: a second receiver on it is refused clearly.
	if _, err := listenLoopback(r, "other", nil); !errors.Is(err, ErrPortInUse) {
		t.Errorf("second listener: %v", err)
	}
	// Every answer on the redirect path reached the trace, the ignored ones too.
	_, callbacks, _ := rec.seen()
	var got []string
	for _, c := range callbacks {
		got = append(got, fmt.Sprintf("%s matched=%v accepted=%v", c.Query.Get("code"), c.StateMatched, c.Accepted))
	}
	want := "x matched=false accepted=false,real matched=true accepted=true,again matched=true accepted=false"
	if strings.Join(got, ",") != want {
		t.Errorf("callbacks traced:\n%s\nwant\n%s", strings.Join(got, ","), want)
	}
}

// TestLoopbackLocalhostBindsBoth: a localhost redirect holds the port on
// 127.0.0.1 and [::1], so no other local program can take the code from a
// browser that resolves localhost to ::1.
func TestLoopbackLocalhostBindsBoth(t *testing.T) {
	probe, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skip("no IPv6 loopback on this machine")
	}
	probe.Close()
	tests := []struct {
		name     string
		host     string
		wantV6   bool // [::1] is held and answers
		busyV6   bool // another program holds [::1]:port first
		wantBusy bool
	}{
		{"localhost", "localhost", true, false, false},
		{"LOCALHOST", "LOCALHOST", true, false, false},
		{"127.0.0.1 alone", "127.0.0.1", false, false, false},
		{"localhost with [::1] taken", "localhost", false, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			port := freeBothPort(t)
			r, err := ParseRedirectURI(fmt.Sprintf("http://%s:%d/oauth-callback/", tt.host, port))
			if err != nil {
				t.Fatal(err)
			}
			if tt.busyV6 {
				other, err := net.Listen("tcp", fmt.Sprintf("[::1]:%d", port))
				if err != nil {
					t.Fatal(err)
				}
				defer other.Close()
			}
			lr, err := listenLoopback(r, "good", nil)
			if tt.wantBusy {
				if !errors.Is(err, ErrPortInUse) {
					t.Fatalf("listenLoopback = %v, want ErrPortInUse", err)
				}
				// Nothing is left half-bound on 127.0.0.1.
				ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
				if err != nil {
					t.Fatalf("127.0.0.1:%d still held after the refusal: %v", port, err)
				}
				ln.Close()
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer lr.Close()
			ln, err := net.Listen("tcp", fmt.Sprintf("[::1]:%d", port))
			if held := err != nil; held != tt.wantV6 {
				t.Fatalf("[::1]:%d held = %v, want %v", port, held, tt.wantV6)
			}
			if ln != nil {
				ln.Close()
			}
			if !tt.wantV6 {
				return
			}
			resp, err := http.Get(fmt.Sprintf("http://[::1]:%d/oauth-callback/?code=c&state=good", port))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("[::1] answered %d", resp.StatusCode)
			}
		})
	}
}

// TestLoopbackWithoutIPv6: a machine without an IPv6 loopback still
// receives a localhost redirect on 127.0.0.1.
func TestLoopbackWithoutIPv6(t *testing.T) {
	listenTCP = func(network, addr string) (net.Listener, error) {
		if strings.HasPrefix(addr, "[::1]") {
			return nil, &net.OpError{Op: "listen", Net: network, Err: syscall.EADDRNOTAVAIL}
		}
		return net.Listen(network, addr)
	}
	defer func() { listenTCP = net.Listen }()
	port := freeBothPort(t)
	r, _ := ParseRedirectURI(fmt.Sprintf("http://localhost:%d/oauth-callback/", port))
	lr, err := listenLoopback(r, "good", nil)
	if err != nil {
		t.Fatalf("listenLoopback without IPv6: %v", err)
	}
	lr.Close()
}

// freeBothPort is a port free on 127.0.0.1 (and [::1] where there is one).
func freeBothPort(t *testing.T) int {
	t.Helper()
	for range 20 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		if v6, err := net.Listen("tcp", fmt.Sprintf("[::1]:%d", port)); err == nil {
			v6.Close()
			return port
		} else if !strings.Contains(err.Error(), "address already in use") {
			return port
		}
	}
	t.Fatal("no port free on both loopback addresses")
	return 0
}
