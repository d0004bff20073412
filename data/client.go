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

// get fetches target and hands the body to decode; non-2xx answers become *APIError.
func (c *Client) get(ctx context.Context, what, target string, accept string, decode func(io.Reader) error) error {
	return c.getLimited(ctx, what, target, accept, c.maxBody(), decode)
}

// getLimited is get with a body limit of its own.
func (c *Client) getLimited(ctx context.Context, what, target string, accept string, limit int64, decode func(io.Reader) error) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return fmt.Errorf("bad %s address: %w", what, err)
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("MaxDataServiceVersion", "3.0")
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return transportError(what, err)
	}
	defer resp.Body.Close()
	body := &limitedReader{r: resp.Body, left: limit}
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		return &APIError{What: what, Status: resp.StatusCode, Message: serverMessage(b)}
	}
	if err := decode(body); err != nil {
		if body.exceeded {
			return fmt.Errorf("the %s response is larger than %d MiB; ask for fewer rows", what, limit>>20)
		}
		if ctx.Err() != nil {
			return transportError(what, ctx.Err())
		}
		return fmt.Errorf("the %s response could not be read: %w", what, err)
	}
	return nil
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

// clip shortens a server's message to what fits in an error dialog.
func clip(s string) string {
	const limit = 300
	if len(s) > limit {
		return s[:limit] + "…"
	}
	return s
}
