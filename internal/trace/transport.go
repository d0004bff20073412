package trace

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// maxTracedBody bounds how much of a token or TokenInfo response the trace
// reads to list its fields; the caller still gets the whole body.
const maxTracedBody = 1 << 20

// Transport wraps base so that every request through it is recorded: token
// endpoint calls as a request step and a response step with their fields,
// TokenInfo with the user it names, and any other call with its method,
// URL, status, time and size. A nil trace returns base unchanged.
func (t *Trace) Transport(base http.RoundTripper) http.RoundTripper {
	if t == nil {
		return base
	}
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{trace: t, base: base}
}

type transport struct {
	trace *Trace
	base  http.RoundTripper
}

func (tt *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	path := strings.ToLower(strings.TrimSuffix(req.URL.Path, "/"))
	switch {
	case strings.HasSuffix(path, "/oauth/token"):
		return tt.token(req)
	case strings.HasSuffix(path, "/oauth/tokeninfo"):
		return tt.tokenInfo(req)
	}
	return tt.call(req)
}

// refreshTitle starts the titles of a refresh's token steps, which the
// trace bounds like API calls (bounded).
const refreshTitle = "Refresh:"

// token records a token request's form (credentials redacted) and the
// response's fields, comparing the scope granted with the one requested.
func (tt *transport) token(req *http.Request) (*http.Response, error) {
	form, err := requestForm(req)
	if err != nil {
		return nil, err
	}
	grant := form.Get("grant_type")
	title := "Token request (" + grant + ")"
	if grant == "refresh_token" {
		title = refreshTitle + " token request"
	}
	s := Step{Kind: StepTokenRequest, Title: title, Method: req.Method, URL: redactURL(req.URL), Fields: paramFields(form)}
	if id, secret, ok := basicAuth(req); ok {
		s.Fields = append(s.Fields,
			Field{Name: "Authorization", Value: "Basic (client_id " + id + ", client_secret " + Redact(secret) + ")", Note: "redacted"})
	}
	s.Curl = curlForm(req, form)
	start := tt.trace.now()
	s.At = start
	tt.trace.add(s)

	resp, err := tt.base.RoundTrip(req)
	r := Step{Kind: StepTokenResponse, Title: "Token response", Method: req.Method, URL: s.URL, DurationMS: ms(tt.trace.now().Sub(start))}
	if grant == "refresh_token" {
		r.Title = refreshTitle + " token response"
	}
	if err != nil {
		r.Error = err.Error()
		tt.trace.add(r)
		return nil, err
	}
	body := peekBody(resp)
	r.Status, r.Size = resp.StatusCode, int64(len(body))
	requested := strings.Fields(form.Get("scope"))
	if p := tt.trace.runMeta().Profile; len(requested) == 0 && p != nil {
		requested = p.Scopes
	}
	r.Fields, r.Error = tt.tokenFields(body, requested)
	if r.Error == "" && resp.StatusCode >= 300 {
		r.Error = resp.Status
	}
	tt.trace.add(r)
	return resp, nil
}

// knownTokenFields are the token response fields RFC 6749 and Cezanne's
// docs name; anything else is listed as extra.
var knownTokenFields = []string{"access_token", "token_type", "expires_in", "refresh_token", "scope", "error", "error_description", "error_uri"}

func (tt *transport) tokenFields(body []byte, requested []string) ([]Field, string) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return []Field{{Name: "body", Value: fmt.Sprintf("not JSON (%d bytes)", len(body))}}, ""
	}
	var fields []Field
	var errText string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v := jsonText(m[k])
		f := Field{Name: k, Value: v}
		switch k {
		case "access_token":
			tt.trace.setAccessToken(v)
			f.Value, f.Note = Redact(v), "redacted"
		case "refresh_token", "id_token":
			f.Value, f.Note = Redact(v), "redacted"
		case "expires_in":
			var secs float64
			if json.Unmarshal(m[k], &secs) == nil || sscanFloat(v, &secs) {
				f.Note = "until " + tt.trace.now().Add(time.Duration(secs*float64(time.Second))).Format("15:04:05")
			}
		case "error":
			errText = v
		}
		if !slices.Contains(knownTokenFields, k) {
			f.Note = "extra"
		}
		fields = append(fields, f)
	}
	if errText != "" {
		if d := jsonText(m["error_description"]); d != "" {
			errText += ": " + d
		}
	}
	if _, ok := m["scope"]; ok && errText == "" {
		fields = append(fields, scopeFields(requested, strings.Fields(jsonText(m["scope"])))...)
	}
	return fields, errText
}

// scopeFields compare the scope granted with the one requested.
func scopeFields(requested, granted []string) []Field {
	fields := []Field{{Name: "scope requested", Value: strings.Join(requested, " ")}}
	if missing := minus(requested, granted); len(missing) > 0 {
		fields = append(fields, Field{Name: "scope not granted", Value: strings.Join(missing, " "), Note: "not granted"})
	}
	if more := minus(granted, requested); len(more) > 0 {
		fields = append(fields, Field{Name: "scope granted beyond request", Value: strings.Join(more, " "), Note: "extra"})
	}
	return fields
}

// tokenInfo records the TokenInfo call and who the token belongs to.
func (tt *transport) tokenInfo(req *http.Request) (*http.Response, error) {
	s := Step{Kind: StepTokenInfo, Title: "TokenInfo", Method: req.Method, URL: redactURL(req.URL),
		Curl: curlBearer(req)}
	start := tt.trace.now()
	resp, err := tt.base.RoundTrip(req)
	s.At, s.DurationMS = start, ms(tt.trace.now().Sub(start))
	s.Fields = append(s.Fields, Field{Name: "Authorization", Value: redactAuthorization(req.Header.Get("Authorization")), Note: "redacted"})
	if err != nil {
		s.Error = err.Error()
		tt.trace.add(s)
		return nil, err
	}
	body := peekBody(resp)
	s.Status, s.Size = resp.StatusCode, int64(len(body))
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) == nil {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			s.Fields = append(s.Fields, secretField(k, jsonText(m[k])))
		}
	}
	if resp.StatusCode >= 300 {
		s.Error = resp.Status
	}
	tt.trace.add(s)
	return resp, nil
}

// call records an API call; its size is filled in once the body is read.
func (tt *transport) call(req *http.Request) (*http.Response, error) {
	start := tt.trace.now()
	s := Step{Kind: StepAPICall, Title: req.Method + " " + apiName(req.URL), At: start, Method: req.Method,
		URL: redactURL(req.URL), Curl: curlBearer(req)}
	resp, err := tt.base.RoundTrip(req)
	s.DurationMS = ms(tt.trace.now().Sub(start))
	if err != nil {
		s.Error = err.Error()
		tt.trace.add(s)
		return nil, err
	}
	s.Status = resp.StatusCode
	if resp.StatusCode >= 300 {
		s.Error = resp.Status
	}
	tt.trace.add(s)
	resp.Body = &countingBody{ReadCloser: resp.Body, done: func(n int64) {
		tt.trace.update(start, StepAPICall, func(st *Step) {
			st.Size = n
			st.DurationMS = ms(tt.trace.now().Sub(start))
		})
	}}
	return resp, nil
}

// apiName is the last path segment: "People", "$metadata".
func apiName(u *url.URL) string {
	p := strings.TrimSuffix(u.Path, "/")
	if i := strings.LastIndex(p, "/"); i >= 0 {
		p = p[i+1:]
	}
	if p == "" {
		return u.Host
	}
	return p
}

// countingBody reports how many bytes were read when the body is closed.
type countingBody struct {
	io.ReadCloser
	n    int64
	done func(int64)
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countingBody) Close() error {
	if c.done != nil {
		c.done(c.n)
		c.done = nil
	}
	return c.ReadCloser.Close()
}

// requestForm reads a form body without consuming it for the transport.
func requestForm(req *http.Request) (url.Values, error) {
	if req.Body == nil {
		return url.Values{}, nil
	}
	var b []byte
	var err error
	if req.GetBody != nil {
		var rc io.ReadCloser
		if rc, err = req.GetBody(); err == nil {
			b, err = io.ReadAll(io.LimitReader(rc, maxTracedBody))
			rc.Close()
		}
	} else {
		b, err = io.ReadAll(io.LimitReader(req.Body, maxTracedBody))
		req.Body.Close()
		body := b
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	if err != nil {
		return nil, err
	}
	form, _ := url.ParseQuery(string(b))
	return form, nil
}

// peekBody reads up to maxTracedBody of a response and puts it back, so
// the caller reads the same bytes.
func peekBody(resp *http.Response) []byte {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxTracedBody))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(b), resp.Body), resp.Body}
	return b
}

func basicAuth(req *http.Request) (id, secret string, ok bool) {
	id, secret, ok = req.BasicAuth()
	if ok {
		// x/oauth2 URL-encodes both before Basic encoding, as RFC 6749 §2.3.1 says.
		if v, err := url.QueryUnescape(id); err == nil {
			id = v
		}
		if v, err := url.QueryUnescape(secret); err == nil {
			secret = v
		}
	}
	return id, secret, ok
}

func redactAuthorization(h string) string {
	scheme, cred, ok := strings.Cut(h, " ")
	if !ok {
		return Redact(h)
	}
	if strings.EqualFold(scheme, "Basic") {
		if raw, err := base64.StdEncoding.DecodeString(cred); err == nil {
			if id, _, ok := strings.Cut(string(raw), ":"); ok {
				return "Basic (client_id " + id + ", secret redacted)"
			}
		}
	}
	return scheme + " " + Redact(cred)
}

// redactURL hides credential parameters in a query (the app never puts
// one there, but a next link from a server might), and drops user:password@
// and the fragment, where an implicit grant would put a token.
func redactURL(u *url.URL) string {
	c := *u
	c.User = nil
	c.Fragment, c.RawFragment = "", ""
	q := c.Query()
	changed := false
	for k, vs := range q {
		if secretParam(k) {
			for i := range vs {
				vs[i] = Redact(vs[i])
			}
			changed = true
		}
	}
	if changed {
		c.RawQuery = q.Encode()
	}
	return c.String()
}

// jsonText shows a JSON value as text: strings without quotes, the rest as JSON.
func jsonText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

func sscanFloat(s string, f *float64) bool {
	_, err := fmt.Sscan(s, f)
	return err == nil
}

// minus is the items of a that are not in b.
func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
