package data

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/textcut"
)

// Client calls one tenant's APIs (TokenInfo and the OData DataService)
// through an HTTP client that already carries the access token. It is not
// the OAuth client, the application registered with the tenant and named by
// a client ID (sandbox.OAuthClient in the sandbox).
type Client struct {
	// HTTP sends the Authorization: Bearer header (an auth.Session's client).
	HTTP *http.Client
	// TokenInfoURL is …/CezanneOnDemand/OAuth/TokenInfo.
	TokenInfoURL string
	// ServiceURL is the OData root, …/CezanneOnDemand/DataService.svc.
	ServiceURL string
	// Timeout bounds each call (default 30 s).
	Timeout time.Duration
	// MaxBody bounds each response body (default 32 MiB).
	MaxBody int64
}

func (c *Client) timeout() time.Duration {
	if c.Timeout == 0 {
		return 30 * time.Second
	}
	return c.Timeout
}

func (c *Client) maxBody() int64 {
	if c.MaxBody == 0 {
		return 32 << 20
	}
	return c.MaxBody
}

// get fetches target and hands the body to decode; non-2xx answers become
// *APIError. The protocol version is not known here: $metadata is how it is
// found out, and TokenInfo is not OData.
func (c *Client) get(ctx context.Context, what, target string, accept string, decode func(io.Reader) error) error {
	return c.do(ctx, request{what: what, target: target, accept: accept, limit: c.maxBody()}, decode)
}

// request is one GET to the tenant.
type request struct {
	what   string // what is read, for errors: "People", "metadata"
	target string
	accept string
	// version is the OData version the query was written for, 0 when it is
	// not known; it decides the version headers.
	version Version
	limit   int64 // the most body bytes read
}

// do sends one request and hands the body to decode; non-2xx answers become *APIError.
func (c *Client) do(ctx context.Context, r request, decode func(io.Reader) error) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.target, nil)
	if err != nil {
		return fmt.Errorf("bad %s address: %w", r.what, err)
	}
	req.Header.Set("Accept", r.accept)
	setVersionHeaders(req.Header, r.version)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return transportError(r.what, err)
	}
	defer resp.Body.Close()
	body := &limitedReader{r: resp.Body, left: r.limit}
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		return &APIError{What: r.what, Status: resp.StatusCode, Message: serverMessage(b)}
	}
	if err := decode(body); err != nil {
		if body.exceeded {
			return fmt.Errorf("the %s response is larger than %d MiB; ask for fewer rows", r.what, r.limit>>20)
		}
		if ctx.Err() != nil {
			return transportError(r.what, ctx.Err())
		}
		return fmt.Errorf("the %s response could not be read: %w", r.what, err)
	}
	return nil
}

// setVersionHeaders says which OData versions the client reads. OData 4 has
// headers of its own, OData-MaxVersion and OData-Version (a v4 service
// ignores MaxDataServiceVersion, and a strict one refuses a request that
// declares a version it does not speak). v2 and v3 services read
// MaxDataServiceVersion; 3.0 lets them answer in either of their JSON
// dialects, both of which the client reads. When the version is not known
// yet (the $metadata request that finds it out) both maxima are sent, each
// kind of service reading its own; OData-Version is left out then, since it
// would declare the request to be OData 4.
func setVersionHeaders(h http.Header, v Version) {
	switch v {
	case V4:
		h.Set("OData-MaxVersion", "4.0")
		h.Set("OData-Version", "4.0")
	case V2, V3:
		h.Set("MaxDataServiceVersion", "3.0")
	default:
		h.Set("MaxDataServiceVersion", "3.0")
		h.Set("OData-MaxVersion", "4.0")
	}
}

// transportError turns network failures into words; the auth layer's own
// errors (sign in again, token refused) pass through unchanged.
func transportError(what string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	switch {
	case errors.Is(err, context.Canceled):
		return ErrCancelled
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("the tenant did not answer the %s request in time; check your connection and try again", what)
	}
	var te interface{ Timeout() bool }
	if errors.As(err, &te) && te.Timeout() {
		return fmt.Errorf("the tenant did not answer the %s request in time; check your connection and try again", what)
	}
	return err
}

// ErrCancelled means the caller cancelled the request.
var ErrCancelled = errors.New("cancelled")

type limitedReader struct {
	r        io.Reader
	left     int64
	exceeded bool
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		l.exceeded = true
		return 0, errors.New("response too large")
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// APIError is a non-success answer from the tenant.
type APIError struct {
	What    string
	Status  int
	Message string // the server's own message, when it sent one
}

func (e *APIError) Error() string {
	var msg string
	switch e.Status {
	case http.StatusUnauthorized:
		msg = "the tenant did not accept your sign-in for " + e.What + "; it may have expired — sign in again"
	case http.StatusForbidden:
		msg = "your account is not allowed to read " + e.What
	case http.StatusNotFound:
		msg = "the tenant has no " + e.What + " at this address; check the tenant and data service URL"
	case http.StatusMethodNotAllowed:
		msg = "the tenant does not allow this request on " + e.What
	case http.StatusInternalServerError:
		msg = "the tenant had an internal error reading " + e.What
	default:
		msg = fmt.Sprintf("the tenant answered HTTP %d for %s", e.Status, e.What)
	}
	if e.Message != "" {
		msg += ". The server said: " + e.Message
	}
	return msg
}

// serverMessage pulls the human message out of an error body: OData verbose
// ({"error":{"message":{"value":…}}}), JSON light and v4 ({"error":{"message":…}}),
// OAuth ({"error_description":…}), or XML <message>…</message>.
func serverMessage(b []byte) string {
	var j struct {
		Error            json.RawMessage `json:"error"`
		ODataError       json.RawMessage `json:"odata.error"`
		ErrorDescription string          `json:"error_description"`
		Message          string          `json:"Message"`
	}
	if json.Unmarshal(b, &j) == nil {
		if j.ErrorDescription != "" {
			return clip(j.ErrorDescription)
		}
		for _, raw := range []json.RawMessage{j.Error, j.ODataError} {
			var e struct {
				Message json.RawMessage `json:"message"`
			}
			if len(raw) == 0 || json.Unmarshal(raw, &e) != nil {
				continue
			}
			var s string
			if json.Unmarshal(e.Message, &s) == nil && s != "" {
				return clip(s)
			}
			var v struct {
				Value string `json:"value"`
			}
			if json.Unmarshal(e.Message, &v) == nil && v.Value != "" {
				return clip(v.Value)
			}
		}
		if j.Message != "" {
			return clip(j.Message)
		}
		return ""
	}
	s := string(b)
	if i := strings.Index(s, "<message"); i >= 0 {
		if j := strings.IndexByte(s[i:], '>'); j >= 0 {
			rest := s[i+j+1:]
			if k := strings.Index(rest, "</message>"); k >= 0 {
				return clip(strings.TrimSpace(rest[:k]))
			}
		}
	}
	return ""
}

// clip shortens a server's message to what fits in an error dialog, never
// inside a character: a message in Polish or Japanese cut mid-character
// would end in a replacement glyph, and the dialog, trace and log would
// carry invalid UTF-8.
func clip(s string) string {
	return textcut.Cut(s, 300, "…")
}
