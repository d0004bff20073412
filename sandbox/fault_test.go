package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestSoakFaults: each fault a soak injects does what it says, once per
// count, and the request log names it.
func TestSoakFaults(t *testing.T) {
	h := newHarness(t, Config{})
	h.srv.timeoutHold = 200 * time.Millisecond
	c, _ := h.srv.OAuthClient(ClientDesktopOnDemand)
	tok := h.signIn()
	at := tok["access_token"].(string)
	for _, tt := range []struct {
		name   string
		faults Faults
		check  func(t *testing.T)
		logged string
	}{
		{"no answer until the client gives up", Faults{Timeout: 1}, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			_, err := http.DefaultClient.Do(h.getRequest("/OAuth/TokenInfo", at).WithContext(ctx))
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("a timed-out call: %v", err)
			}
		}, "timeout"},
		{"no answer, then the connection drops", Faults{Timeout: 1}, func(t *testing.T) {
			start := time.Now()
			res, err := http.DefaultClient.Do(h.getRequest("/OAuth/TokenInfo", at))
			if err == nil {
				res.Body.Close()
				t.Fatalf("got HTTP %d, want no answer", res.StatusCode)
			}
			if d := time.Since(start); d < 200*time.Millisecond {
				t.Fatalf("dropped after %v, before the hold", d)
			}
		}, "timeout"},
		{"a token request 500 uses nothing up", Faults{Token500: 1}, func(t *testing.T) {
			rt := tok["refresh_token"].(string)
			req, _ := http.NewRequest(http.MethodPost, h.base+"/OAuth/Token", strings.NewReader(url.Values{
				"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {c.ID}, "client_secret": {c.Secret}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res, err := http.DefaultClient.Do(req)
			if err != nil || res.StatusCode != 500 {
				t.Fatalf("token 500: %v %v", err, res)
			}
			res.Body.Close()
			// The same refresh token still works: the tenant never read it.
			status, body := h.refresh(c, rt)
			if status != 200 || h.srv.Stats().ReuseDetected != 0 {
				t.Fatalf("refresh after a token 500: %d %v, stats %+v", status, body, h.srv.Stats())
			}
			tok, at = body, body["access_token"].(string)
		}, "token 500"},
		{"a latency spike delays the next calls only", Faults{Spike: 2, SpikeLatency: 150 * time.Millisecond}, func(t *testing.T) {
			checkSpike(t, h.srv, func() { h.get("/OAuth/TokenInfo", at) })
		}, "latency 150ms"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			from := len(h.srv.Requests())
			if err := h.srv.SetFaults(tt.faults); err != nil {
				t.Fatal(err)
			}
			tt.check(t)
			if f := h.srv.Faults(); f.Timeout+f.Token500+f.Spike != 0 {
				t.Fatalf("faults left over: %v", f)
			}
			if !loggedFault(h.srv, from, tt.logged) {
				t.Fatalf("the request log does not name the fault %q", tt.logged)
			}
		})
	}
}

// checkSpike makes three calls after a spike of two at 150 ms: the first
// two are spiked, the third is not.
func checkSpike(t *testing.T, srv *Server, call func()) {
	// A spiked call takes at least the spike; whether a call was
	// spiked is read from the log, not from how long it took, which
	// on a busy machine says nothing.
	for i, slow := range []bool{true, true, false} {
		before := len(srv.Requests())
		start := time.Now()
		call()
		if d := time.Since(start); slow && d < 150*time.Millisecond {
			t.Fatalf("call %d took %v, less than the spike", i+1, d)
		}
		if got := nextRecord(t, srv, before).Fault; (got == "latency 150ms") != slow {
			t.Fatalf("call %d logged fault %q; spiked %v", i+1, got, slow)
		}
	}
}

// nextRecord is the request logged after the first n: the log is written as
// the handler returns, which may be after the client has its answer.
func nextRecord(t *testing.T, s *Server, n int) RequestRecord {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if log := s.Requests(); len(log) > n {
			return log[n]
		}
	}
	t.Fatal("the call was not logged")
	return RequestRecord{}
}

// loggedFault: a request logged after the first from (the log is written
// as each handler returns) names fault; the wait lets a dropped call's
// handler finish, so that its late record is not taken for the next
// subtest's call on a busy machine.
func loggedFault(s *Server, from int, fault string) bool {
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		log := s.Requests()
		for _, r := range log[min(from, len(log)):] {
			if r.Fault == fault {
				return true
			}
		}
	}
	return false
}

// TestFaultsForm: the admin form and JSON carry the soak's faults, and
// values out of range are refused in words.
func TestFaultsForm(t *testing.T) {
	for _, tt := range []struct {
		name    string
		form    url.Values
		want    Faults
		wantErr string
	}{
		{"every kind", url.Values{"latency_ms": {"10"}, "fail_500": {"1"}, "fail_401": {"2"}, "malformed": {"3"},
			"timeout": {"4"}, "token_500": {"5"}, "spike": {"6"}, "spike_latency_ms": {"1500"}},
			Faults{Latency: 10 * time.Millisecond, Fail500: 1, Fail401: 2, Malformed: 3, Timeout: 4, Token500: 5, Spike: 6, SpikeLatency: 1500 * time.Millisecond}, ""},
		{"empty is none", url.Values{}, Faults{}, ""},
		{"a spike needs its latency", url.Values{"spike": {"1"}}, Faults{}, "needs its latency"},
		{"negative count", url.Values{"timeout": {"-1"}}, Faults{}, "out of range"},
		{"spike over a minute", url.Values{"spike": {"1"}, "spike_latency_ms": {"61000"}}, Faults{}, "out of range"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := New(Config{People: 1})
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.adminChange("faults", tt.form)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || s.Faults() != tt.want {
				t.Fatalf("faults %+v (error %v), want %+v", s.Faults(), err, tt.want)
			}
			b, _ := json.Marshal(s.adminState(false))
			var st struct {
				Faults map[string]int64 `json:"faults"`
				Stats  map[string]int   `json:"stats"`
			}
			if err := json.Unmarshal(b, &st); err != nil || st.Faults["timeout"] != int64(tt.want.Timeout) ||
				st.Faults["spike_latency_ms"] != tt.want.SpikeLatency.Milliseconds() || st.Faults["token_500"] != int64(tt.want.Token500) {
				t.Fatalf("state.json faults %v (%v)", st.Faults, err)
			}
			if _, ok := st.Stats["reuse_detected"]; !ok {
				t.Fatalf("state.json has no stats: %s", b)
			}
		})
	}
}
