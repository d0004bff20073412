package sandbox

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Robot plays the person in the browser against a sandbox tenant: it opens an
// authorization URL, signs in on the login page, approves or denies on the
// consent page, and follows the final redirect to the app. QA scripts and
// tests use it where a real browser would be too slow or is not installed.
type Robot struct {
	Username string
	Password string
	// Deny clicks "Deny" instead of "Allow" on the consent page.
	Deny bool
	// NoDeliver stops at the final redirect instead of loading it, for callers
	// that only want to see where the tenant sent the browser.
	NoDeliver bool

	// session is the robot's browser, made on the first run; it keeps the
	// cookie jar between runs so a second authorisation finds the user
	// already signed in.
	session *http.Client
}

// RobotResult says what the robot saw.
type RobotResult struct {
	LoginShown   bool
	ConsentShown bool
	// RedirectURL is where the tenant finally sent the browser: the app's
	// redirect URI with code or error and state.
	RedirectURL string
	// AppStatus and AppPage are the app's answer when the redirect was an
	// http(s) URL the robot could load (the loopback receiver's page).
	AppStatus int
	AppPage   string
}

// ErrorPageError is returned when the tenant showed an error page instead of
// redirecting (unknown client, unregistered redirect URI, …).
type ErrorPageError struct {
	Status int
	Title  string
	Detail string
}

func (e *ErrorPageError) Error() string {
	return fmt.Sprintf("tenant error page (%d): %s: %s", e.Status, e.Title, e.Detail)
}

var (
	hiddenRequest = regexp.MustCompile(`name="request" value="([^"]+)"`)
	errorTitle    = regexp.MustCompile(`id="error-title">([^<]*)<`)
	errorMessage  = regexp.MustCompile(`id="error-message">([^<]*)<`)
	loginError    = regexp.MustCompile(`id="login-error">([^<]*)<`)
)

// Run completes one authorization. It stops following redirects at the first
// one that leaves the tenant, and delivers it to the app if it is http(s).
func (rb *Robot) Run(ctx context.Context, authorizeURL string) (*RobotResult, error) {
	client := rb.browser()
	start, err := url.Parse(authorizeURL)
	if err != nil {
		return nil, fmt.Errorf("robot: bad authorize URL: %w", err)
	}
	res := &RobotResult{}
	resp, body, err := robotDo(ctx, client, http.MethodGet, authorizeURL, nil)
	for step := 0; err == nil && step < 6; step++ {
		if loc := resp.Header.Get("Location"); resp.StatusCode/100 == 3 && loc != "" {
			target, perr := resp.Request.URL.Parse(loc)
			if perr != nil {
				return res, fmt.Errorf("robot: bad redirect %q: %w", loc, perr)
			}
			if target.Host == start.Host && target.Scheme == start.Scheme {
				resp, body, err = robotDo(ctx, client, http.MethodGet, target.String(), nil)
				continue
			}
			res.RedirectURL = target.String()
			return res, rb.deliver(ctx, client, res)
		}
		form, ferr := rb.answer(resp, body, res)
		if ferr != nil {
			return res, ferr
		}
		resp, body, err = robotDo(ctx, client, http.MethodPost, resp.Request.URL.String(), form)
	}
	if err != nil {
		return res, err
	}
	return res, errors.New("robot: too many steps without reaching the app")
}

// answer is the form the person would send from a tenant page: the login
// or the consent form. On an error page, or a failed login, it returns the
// error instead.
func (rb *Robot) answer(resp *http.Response, body string, res *RobotResult) (url.Values, error) {
	switch {
	case strings.Contains(body, `data-step="login"`):
		if res.LoginShown && loginError.MatchString(body) {
			return nil, fmt.Errorf("robot: login failed: %s", html.UnescapeString(loginError.FindStringSubmatch(body)[1]))
		}
		res.LoginShown = true
		return url.Values{
			"request": {formRequest(body)}, "action": {"login"},
			"username": {rb.Username}, "password": {rb.Password},
		}, nil
	case strings.Contains(body, `data-step="consent"`):
		res.ConsentShown = true
		action := "approve"
		if rb.Deny {
			action = "deny"
		}
		return url.Values{"request": {formRequest(body)}, "action": {action}}, nil
	case errorTitle.MatchString(body):
		return nil, &ErrorPageError{
			Status: resp.StatusCode,
			Title:  html.UnescapeString(errorTitle.FindStringSubmatch(body)[1]),
			Detail: html.UnescapeString(firstMatch(errorMessage, body)),
		}
	}
	return nil, fmt.Errorf("robot: unexpected page (HTTP %d)", resp.StatusCode)
}

func (rb *Robot) browser() *http.Client {
	if rb.session == nil {
		jar, _ := cookiejar.New(nil)
		rb.session = &http.Client{Jar: jar, Timeout: 30 * time.Second}
	}
	c := *rb.session
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

func (rb *Robot) deliver(ctx context.Context, client *http.Client, res *RobotResult) error {
	u, err := url.Parse(res.RedirectURL)
	if rb.NoDeliver || err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil // a custom scheme: the OS would hand it to the app
	}
	resp, body, err := robotDo(ctx, client, http.MethodGet, res.RedirectURL, nil)
	if err != nil {
		return fmt.Errorf("robot: deliver to app: %w", err)
	}
	res.AppStatus, res.AppPage = resp.StatusCode, body
	return nil
}

func robotDo(ctx context.Context, c *http.Client, method, target string, form url.Values) (*http.Response, string, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return nil, "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp, string(b), err
}

func formRequest(body string) string { return html.UnescapeString(firstMatch(hiddenRequest, body)) }

func firstMatch(re *regexp.Regexp, s string) string {
	if m := re.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}
