package sandbox

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// sensitiveParams never appear in the request log with their values.
var sensitiveParams = map[string]bool{
	"code": true, "access_token": true, "refresh_token": true, "client_secret": true,
	"password": true, "code_verifier": true, "state": true, "request": true, "token": true,
}

// redactQuery renders a query string with the values of sensitive parameters
// replaced, so that request logs can be shown to people and attached to bugs.
func redactQuery(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, v := range q[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k))
			b.WriteByte('=')
			if sensitiveParams[strings.ToLower(k)] && v != "" {
				b.WriteString("[redacted]")
			} else {
				b.WriteString(url.QueryEscape(v))
			}
		}
	}
	return b.String()
}

// RequestRecord is one line of the sandbox's request log, safe to show.
type RequestRecord struct {
	Time     time.Time `json:"time"`
	Method   string    `json:"method"`
	Path     string    `json:"path"`
	Query    string    `json:"query,omitempty"`
	Form     string    `json:"form,omitempty"`
	Status   int       `json:"status"`
	Bytes    int       `json:"bytes"`
	Millis   int64     `json:"ms"`
	Fault    string    `json:"fault,omitempty"`
	ClientID string    `json:"client_id,omitempty"`
	Grant    string    `json:"grant_type,omitempty"`
}

// requestLog keeps the newest records for the admin page.
type requestLog struct {
	mu      sync.Mutex
	max     int
	records []RequestRecord
}

func (l *requestLog) add(r RequestRecord) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.records = append(l.records, r)
	if len(l.records) > l.max {
		l.records = append(l.records[:0:0], l.records[len(l.records)-l.max:]...)
	}
}

// Requests returns the logged requests, oldest first (at most the last 500).
func (s *Server) Requests() []RequestRecord {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	return append([]RequestRecord(nil), s.log.records...)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

type recordKey struct{}

// markFault notes on the request's log record which fault was injected.
func markFault(r *http.Request, fault string) {
	if fault == "" {
		return
	}
	if rec, ok := r.Context().Value(recordKey{}).(*RequestRecord); ok {
		if rec.Fault != "" {
			rec.Fault += ", "
		}
		rec.Fault += fault
	}
}

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &RequestRecord{Time: start, Method: r.Method, Path: r.URL.Path, Query: redactQuery(r.URL.Query())}
		sw := &statusRecorder{ResponseWriter: w}
		// Handlers parse the form on this copy, so read it back from here.
		r = r.WithContext(context.WithValue(r.Context(), recordKey{}, rec))
		next.ServeHTTP(sw, r)
		rec.Status, rec.Bytes, rec.Millis = sw.status, sw.bytes, time.Since(start).Milliseconds()
		if r.PostForm != nil {
			// Parsed by the handler: log the form with secrets redacted, and
			// say which client asked for what.
			rec.Form = redactQuery(r.PostForm)
			rec.ClientID, rec.Grant = r.PostForm.Get("client_id"), r.PostForm.Get("grant_type")
		}
		if id, _, ok := r.BasicAuth(); ok && rec.ClientID == "" {
			rec.ClientID = id
		}
		if rec.ClientID == "" {
			rec.ClientID = r.URL.Query().Get("client_id")
		}
		if strings.HasPrefix(r.URL.Path, adminPath) {
			return // the admin page polling itself would drown the log
		}
		s.log.add(*rec)
		s.cfg.Logger.Info("request", "method", rec.Method, "path", rec.Path, "query", rec.Query, "form", rec.Form,
			"status", rec.Status, "bytes", rec.Bytes, "ms", rec.Millis, "fault", rec.Fault)
	})
}
