package ui

import (
	"errors"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
)

// TestCancelWhileWaitingForBrowser: the person gives up while the browser
// is open and the sign-in still waits in the background.
func TestCancelWhileWaitingForBrowser(t *testing.T) {
	h := newUIHarness(t, nil, nil)
	var queue []func()
	run := func() {
		for len(queue) > 0 {
			f := queue[0]
			queue = queue[1:]
			f()
		}
	}
	a := h.newApp(nil, func(o *Options) { o.Go = func(f func()) { queue = append(queue, f) } })
	a.Start()
	run()
	test.Tap(a.form().signIn)
	if a.waiting == nil {
		t.Fatalf("no waiting screen: %q", a.form().message.Text)
	}
	test.Tap(a.waiting.cancel)
	run() // the sign-in's work ends, cancelled
	if a.signedIn != nil || !a.ctl.screens.onForm() || a.form().message.Text != "Signing in was cancelled." {
		t.Fatalf("after cancel: signed in %v, message %q", a.signedIn != nil, a.form().message.Text)
	}
}

const waitingLink = "http://127.0.0.1:47613/CezanneOnDemand/OAuth/Authorize?client_id=desktop&state=s"

// waitingApp shows the waiting screen of an attempt, with background work
// queued rather than run, as a goroutine would leave it until later.
func waitingApp(t *testing.T) (*uiHarness, *App, *[]func()) {
	t.Helper()
	h := newUIHarness(t, nil, nil)
	var queue []func()
	a := h.newApp(nil, func(o *Options) { o.Go = func(f func()) { queue = append(queue, f) } })
	a.ctl.showWaiting(&auth.Profile{Name: "Sandbox"})
	a.waiting.setAttempt(waitingLink)
	return h, a, &queue
}

// TestOpenTheBrowserAgainLeavesTheWindowResponsive: the opener can take
// until the browser quits, so tapping "Open the browser again" must return
// at once, with the window saying what happens, and hear the outcome later.
func TestOpenTheBrowserAgainLeavesTheWindowResponsive(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		wantStatus string
	}{
		{"opened", nil, "Your browser is open on 127.0.0.1:47613."},
		{"failed", errors.New("xdg-open could not open a browser (exit status 3)"), "Your browser could not be opened."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, a, queue := waitingApp(t)
			h.browser = func(string) error { return tt.err }
			v := a.waiting
			test.Tap(v.again)
			if h.browserOpens() != 0 {
				t.Fatal("the browser was opened on the UI goroutine")
			}
			if !v.again.Disabled() || v.status.Text != "Opening your browser again…" {
				t.Fatalf("while opening: again disabled %v, status %q", v.again.Disabled(), v.status.Text)
			}
			for _, f := range *queue {
				f()
			}
			if h.browserOpens() != 1 || v.again.Disabled() || v.status.Text != tt.wantStatus {
				t.Fatalf("after opening: %d opened, again disabled %v, status %q", h.browserOpens(), v.again.Disabled(), v.status.Text)
			}
		})
	}
}

// TestBrowserThatCannotOpenOffersTheLink: the waiting screen stays, shows
// the link and why, makes Copy sign-in link the button to press, and keeps
// its spinner (the listener still waits).
func TestBrowserThatCannotOpenOffersTheLink(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		wantShown bool
		status    string
		copyStyle widget.Importance
	}{
		{"no browser", errors.New("xdg-open could not open a browser: no method available"), true,
			"Your browser could not be opened.", widget.HighImportance},
		{"opened", nil, false, "Your browser is open on 127.0.0.1:47613.", widget.MediumImportance},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, a, _ := waitingApp(t)
			v := a.waiting
			test.WidgetRenderer(v.spinner)
			a.ctl.browserOpened(v, tt.err)
			if v.noBrowser.Visible() != tt.wantShown || v.status.Text != tt.status || v.copy.Importance != tt.copyStyle {
				t.Fatalf("link shown %v, status %q, copy importance %v", v.noBrowser.Visible(), v.status.Text, v.copy.Importance)
			}
			if !v.spinner.Running() || a.win.Content() != v.content {
				t.Fatal("the waiting screen stopped waiting")
			}
			if !tt.wantShown {
				return
			}
			if v.link.Text != waitingLink || v.cause.Text != "What the system said: "+tt.err.Error() {
				t.Fatalf("link %q, cause %q", v.link.Text, v.cause.Text)
			}
			test.Tap(findButton(t, a, "Copy sign-in link"))
			if got := h.fyneApp.Clipboard().Content(); got != waitingLink {
				t.Fatalf("clipboard %q", got)
			}
		})
	}
}

// TestWaitingScreenUsesOnlyTheFormsFaces: Fyne loads a text style's font
// faces (its own and a system font to fall back on) the first time it
// measures any text in that style, empty or hidden text included, on the
// UI goroutine: an italic or monospace face was 50-80 ms here, in the
// frame that first showed the waiting screen right after Sign in. So the
// waiting screen, whether the browser opened or not, draws in the styles
// the form has already loaded.
func TestWaitingScreenUsesOnlyTheFormsFaces(t *testing.T) {
	_, a, _ := waitingApp(t)
	loaded := textStyles(a.form().content)
	for _, step := range []struct {
		name string
		do   func()
	}{
		{"opening the browser", func() {}},
		{"the browser open", func() { a.waiting.browserOpened(nil) }},
		{"no browser", func() { a.waiting.browserOpened(errors.New("xdg-open: no method available")) }},
	} {
		step.do()
		for style := range textStyles(a.waiting.content) {
			if !loaded[style] {
				t.Errorf("%s: the waiting screen has text in %+v, which the form does not use (form: %v)", step.name, style, loaded)
			}
		}
	}
}
