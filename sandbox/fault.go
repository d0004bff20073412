package sandbox

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Faults make the tenant misbehave on purpose, so QA and tests can see how
// the app copes. Counters count down as they fire. Fail401, Fail500,
// Timeout and Malformed apply to API calls (TokenInfo and the
// DataService); Token500 to the token endpoint; Spike and Latency to both.
// Its JSON (MarshalJSON) gives durations in milliseconds, as the admin
// page's form does.
type Faults struct {
	// Latency delays every token and API call.
	Latency   time.Duration
	Fail500   int
	Fail401   int
	Malformed int
	// Timeout is the next N API calls that get no answer at all: the
	// tenant holds each until the client gives up (or TimeoutHold passes),
	// then drops the connection, as an overloaded server behind a proxy
	// does.
	Timeout int
	// Spike is the next N token or API calls delayed by SpikeLatency on
	// top of Latency: a tenant that is slow for a moment, not all day.
	Spike        int
	SpikeLatency time.Duration
	// Token500 is the next N token requests answered with HTTP 500 before
	// the tenant reads them, so no code or refresh token is used up: a
	// tenant outage, which a client may retry safely.
	Token500 int
}

// maxFaultLatency bounds the delays a form or flag can set.
const maxFaultLatency = time.Minute

// timeoutHold is how long a Timeout fault holds a call when the client
// waits longer than that: below the server's WriteTimeout, so the drop is
// the fault's and not net/http's.
const timeoutHold = 90 * time.Second

func (f Faults) check() error {
	for _, d := range []time.Duration{f.Latency, f.SpikeLatency} {
		if d < 0 || d > maxFaultLatency {
			return fmt.Errorf("faults out of range: latency and spike latency 0 to 60 s, counts 0 or more")
		}
	}
	for _, n := range []int{f.Fail500, f.Fail401, f.Malformed, f.Timeout, f.Spike, f.Token500} {
		if n < 0 {
			return fmt.Errorf("faults out of range: latency and spike latency 0 to 60 s, counts 0 or more")
		}
	}
	if f.Spike > 0 && f.SpikeLatency == 0 {
		return fmt.Errorf("a latency spike needs its latency (spike latency in ms)")
	}
	return nil
}

func (f Faults) String() string {
	var parts []string
	if f.Latency > 0 {
		parts = append(parts, "latency "+f.Latency.String())
	}
	for _, c := range []struct {
		n    int
		what string
	}{
		{f.Fail500, "HTTP 500 on the next %d API calls"}, {f.Fail401, "HTTP 401 on the next %d API calls"},
		{f.Malformed, "malformed JSON on the next %d API calls"}, {f.Timeout, "no answer to the next %d API calls"},
		{f.Token500, "HTTP 500 on the next %d token requests"},
	} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf(c.what, c.n))
		}
	}
	if f.Spike > 0 {
		parts = append(parts, fmt.Sprintf("%v more latency on the next %d calls", f.SpikeLatency, f.Spike))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// fault names, as the request log shows them.
const (
	fault401       = "401"
	fault500       = "500"
	faultTimeout   = "timeout"
	faultMalformed = "malformed"
	faultToken500  = "token 500"
)

// takeFault picks, under s.mu, the fault this call gets and counts it
// down: its added latency, and which failure (or "").
func (s *Server) takeFault(api bool) (time.Duration, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := &s.faults
	latency := f.Latency
	if f.Spike > 0 {
		f.Spike--
		latency += f.SpikeLatency
	}
	if !api {
		if f.Token500 > 0 {
			f.Token500--
			return latency, faultToken500
		}
		return latency, ""
	}
	for _, c := range []struct {
		n    *int
		name string
	}{{&f.Fail401, fault401}, {&f.Fail500, fault500}, {&f.Timeout, faultTimeout}, {&f.Malformed, faultMalformed}} {
		if *c.n > 0 {
			*c.n--
			return latency, c.name
		}
	}
	return latency, ""
}

// faultAPI wraps a token (api false) or API handler with the injected
// faults. Which one fires is recorded in the request log.
func (s *Server) faultAPI(api bool, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		latency, fault := s.takeFault(api)
		if latency > 0 {
			markFault(r, "latency "+latency.String())
			if !s.hold(r, latency) {
				return
			}
		}
		markFault(r, fault)
		switch fault {
		case fault401:
			unauthorized(w, "The access token is not valid.")
		case fault500:
			s.odataError(w, http.StatusInternalServerError, "An error occurred while processing this request.")
		case faultToken500:
			// An outage page, not an OAuth error: the request never reached
			// the authorisation server.
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte("<html><body><h1>500 Internal Server Error</h1></body></html>"))
		case faultTimeout:
			s.hold(r, s.timeoutHold)
			dropConnection(w)
		case faultMalformed:
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte(`{"d":{"results":[{"PersonGuid":"0f1e","FirstName":"Trunc`))
		default:
			h(w, r)
		}
	}
}

// hold waits d, or until the client gives up; it says whether the client
// is still waiting.
func (s *Server) hold(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// dropConnection closes the call's connection without an answer, so the
// client sees the connection end, as when a proxy gives up on a server.
// The request log's recorder is looked through so the call is still
// logged (with status 0). Without a hijackable connection (HTTP/2),
// aborting the handler makes net/http reset the stream instead.
func dropConnection(w http.ResponseWriter) {
	if sr, ok := w.(*statusRecorder); ok {
		w = sr.ResponseWriter
	}
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		_ = conn.Close()
		return
	}
	panic(http.ErrAbortHandler)
}
