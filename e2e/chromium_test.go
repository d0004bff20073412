package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium is Debian's headless Chromium driven over the DevTools protocol:
// the person in the browser for the QA matrix.
type chromium struct {
	ctx context.Context
}

// startChromium starts one headless Chromium for the test. Without it the
// test skips, unless CEZANNE_E2E=1 (make test) says it must run.
func startChromium(t *testing.T) *chromium {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("CEZANNE_E2E") == "1" {
			t.Fatal("CEZANNE_E2E=1 but Chromium is not installed (make test installs Debian's chromium)")
		}
		t.Skip("Chromium is not installed; run `make test`")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.DisableGPU,
		// CI runs as root, where Chromium's sandbox cannot start.
		chromedp.NoSandbox,
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int]("1")); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return &chromium{ctx: ctx}
}

// person is one browser profile (its own cookies): a person who signs in
// on the tenant's login page once and stays signed in there.
type person struct {
	ctx      context.Context
	username string
	password string
}

func (c *chromium) newPerson(t *testing.T, username, password string) *person {
	ctx, cancel := chromedp.NewContext(c.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// The first tab creates the browser context that later tabs share.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int]("1")); err != nil {
		t.Fatalf("opening a browser profile: %v", err)
	}
	return &person{ctx: ctx, username: username, password: password}
}

// browserVisit is what the person saw while authorising.
type browserVisit struct {
	LoginShown   bool
	ConsentShown bool
	// FinalURL is where the browser ended: the app's redirect URI.
	FinalURL string
	// AppTitle is the title of the app's loopback page.
	AppTitle string
}

// authorize opens authURL in a new tab, as the system browser does for the
// app, signs in on the login page if it shows, clicks Allow (or Deny) on the
// consent page if it shows, and returns once the tab shows the page at
// appPrefix (the app's redirect URI).
func (p *person) authorize(authURL, appPrefix string, deny bool) (browserVisit, error) {
	var v browserVisit
	tab, closeTab := chromedp.NewContext(p.ctx)
	defer closeTab()
	ctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(authURL)); err != nil {
		return v, fmt.Errorf("opening the Authorize URL: %w", err)
	}
	const which = `document.querySelector('#sign-in') ? 'login' :
		document.querySelector('#approve') ? 'consent' :
		location.href.startsWith(%q) && document.readyState === 'complete' ? 'app' : 'wait'`
	var last error
	for {
		page, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(which, appPrefix)))
		if ctx.Err() != nil {
			return v, fmt.Errorf("the browser did not reach the app (last page %q, last error %v): %w", page, last, ctx.Err())
		}
		if err != nil { // the page is navigating
			time.Sleep(50 * time.Millisecond)
			continue
		}
		switch page {
		case "login":
			v.LoginShown = true
			err = p.submit(ctx, func(ctx context.Context) error {
				return chromedp.Do(ctx,
					chromedp.SendKeys(chromedp.CSS("#username"), p.username),
					chromedp.SendKeys(chromedp.CSS("#password"), p.password),
					chromedp.Click(chromedp.CSS("#sign-in")),
				)
			})
		case "consent":
			v.ConsentShown = true
			button := "#approve"
			if deny {
				button = "#deny"
			}
			err = p.submit(ctx, func(ctx context.Context) error { return chromedp.Do(ctx, chromedp.Click(chromedp.CSS(button))) })
		case "app":
			if v.FinalURL, err = chromedp.Run(ctx, chromedp.Location()); err == nil {
				v.AppTitle, err = chromedp.Run(ctx, chromedp.Evaluate[string]("document.title"))
			}
			return v, err
		default:
			time.Sleep(50 * time.Millisecond)
		}
		if err != nil {
			// A click that navigates can outrun the wait; look again.
			last = err
		}
	}
}

// submit runs actions that submit a form, then waits until the browser has
// left the page: a marker set on the old document is gone from the new one.
func (p *person) submit(ctx context.Context, actions func(context.Context) error) error {
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void]("window.__submitted = true")); err != nil {
		return err
	}
	actx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := actions(actx); err != nil {
		return err
	}
	for actx.Err() == nil {
		left, err := chromedp.Run(actx, chromedp.Evaluate[bool]("window.__submitted !== true"))
		if err == nil && left {
			return nil
		}
		time.Sleep(30 * time.Millisecond)
	}
	return fmt.Errorf("the page did not change after submitting: %w", actx.Err())
}
