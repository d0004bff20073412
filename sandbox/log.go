package sandbox

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// sensitiveParams never appear in the request log with their values.
var sensitiveParams = map[string]bool{
	"code": true, "access_token": true, "refresh_token": true, "client_secret": true,
	"password": true, "code_verifier": true, "state": true, "request": true,
}

// RedactQuery renders a query string with the values of sensitive parameters
// replaced, so that request logs can be shown to people and attached to bugs.
func RedactQuery(q url.Values) string {
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

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		s.cfg.Logger.Info("request", "method", r.Method, "path", r.URL.Path,
			"query", RedactQuery(r.URL.Query()), "status", rec.status, "bytes", rec.bytes,
			"ms", time.Since(start).Milliseconds())
	})
}
