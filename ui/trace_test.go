package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/trace"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

// TestFlowTraceTab: a sign-in with QA options shows every step in the trace
// tab; steps can be inspected, copied as curl and exported, and no export
// holds a secret.
func TestFlowTraceTab(t *testing.T) {
	h := newUIHarness(t, hrRobot(), nil)
	h.app.Start()
	f := h.app.form()
	test.Type(f.qaState, "qa-state-42")
	test.Tap(f.signIn)
	v := h.app.signedIn
	if v == nil {
		t.Fatalf("not signed in: %q", f.message.Text)
	}
	if !strings.Contains(h.opened[0], "state=qa-state-42") {
		t.Fatalf("custom state not sent: %s", h.opened[0])
	}
	if len(v.tabs.Items) != 2 || v.tabs.Items[1].Text != "Flow trace" {
		t.Fatal("no Flow trace tab")
	}
	tv := v.trace
	checkTraceSteps(t, tv)
	checkTraceStepActions(t, h, tv)
	checkTraceExports(t, h, tv)
}

// checkTraceSteps: the tab lists the sign-in's steps, then the API calls.
func checkTraceSteps(t *testing.T, tv *traceView) {
	t.Helper()
	want := []trace.StepKind{trace.StepAuthorize, trace.StepBrowser, trace.StepCallback, trace.StepTokenRequest, trace.StepTokenResponse, trace.StepOutcome, trace.StepTokenInfo}
	if len(tv.steps) < len(want)+2 {
		t.Fatalf("%d steps in the trace tab", len(tv.steps))
	}
	for i, k := range want {
		if tv.steps[i].Kind != k {
			t.Fatalf("step %d is %s, want %s", i+1, tv.steps[i].Kind, k)
		}
	}
	// $metadata and the first People page follow TokenInfo.
	if last := tv.steps[len(tv.steps)-1]; last.Kind != trace.StepAPICall || last.Status != 200 {
		t.Fatalf("last step %+v", last)
	}
	if !strings.Contains(tv.summary.Text, "API calls") {
		t.Fatalf("summary %q", tv.summary.Text)
	}
}

// checkTraceStepActions: a step's URL and curl command can be copied, and
// the access token is shown only when asked for.
func checkTraceStepActions(t *testing.T, h *uiHarness, tv *traceView) {
	t.Helper()
	tv.list.Select(0)
	if tv.title.Text != "Authorize URL" || !tv.copyURL.Visible() || tv.copyURL.Disabled() {
		t.Fatalf("authorize step shows %q", tv.title.Text)
	}
	test.Tap(tv.copyURL)
	if got := h.fyneApp.Clipboard().Content(); !strings.Contains(got, "/OAuth/Authorize?") {
		t.Fatalf("copied %q", got)
	}
	tv.list.Select(3)
	test.Tap(tv.curlBtn)
	if got := h.fyneApp.Clipboard().Content(); !strings.Contains(got, "$CLIENT_SECRET") || !strings.Contains(got, "$CODE") {
		t.Fatalf("curl copied %q", got)
	}
	tv.list.Select(4)
	if !tv.reveal.Visible() {
		t.Fatal("no reveal on the token response")
	}
	tok, _ := h.app.ctl.session.Token()
	if tv.trace.RevealAccessToken() != tok.AccessToken {
		t.Fatal("reveal would not show the session's access token")
	}
	for _, o := range test.LaidOutObjects(h.app.win.Content()) {
		if strings.Contains(textOf(o), tok.AccessToken) {
			t.Fatal("the access token is on screen before reveal")
		}
	}
}

// checkTraceExports: Markdown and JSON exports hold the custom state and
// no secret.
func checkTraceExports(t *testing.T, h *uiHarness, tv *traceView) {
	t.Helper()
	tok, _ := h.app.ctl.session.Token()
	dir := t.TempDir()
	c, _ := h.tenant.OAuthClient("desktop-ondemand.sandbox.cezannehr.com")
	for _, name := range []string{"trace.md", "trace.json"} {
		path := filepath.Join(dir, name)
		tv.exportTo(path)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if containsAny(string(b), tok.AccessToken, tok.RefreshToken, c.Secret) {
			t.Fatalf("%s contains a secret", name)
		}
		if !strings.Contains(string(b), "qa-state-42") {
			t.Fatalf("%s lacks the custom state", name)
		}
		if !strings.Contains(tv.status.Text, "Trace exported to") {
			t.Fatalf("status %q", tv.status.Text)
		}
	}
}

// containsAny says whether s contains any of subs.
func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// TestTraceStepPaneShowsTheSelectedStep: QA clicks one step, then another;
// every name and value in the pane is the second step's, never a row left
// over from the first (Fyne's Form keeps its first row when Items is reset).
func TestTraceStepPaneShowsTheSelectedStep(t *testing.T) {
	h, tv := demoSignedInTrace(t)
	h.app.signedIn.tabs.SelectIndex(1)
	h.app.win.Resize(fyne.NewSize(1300, 800))
	index := func(k trace.StepKind) int {
		for i, s := range tv.steps {
			if s.Kind == k {
				return i
			}
		}
		t.Fatalf("no %s step", k)
		return -1
	}
	for _, tc := range []struct {
		name  string
		first trace.StepKind
		then  trace.StepKind
	}{
		{"authorize then token response", trace.StepAuthorize, trace.StepTokenResponse},
		{"token response then callback", trace.StepTokenResponse, trace.StepCallback},
		{"callback then token request", trace.StepCallback, trace.StepTokenRequest},
		{"token request then authorize", trace.StepTokenRequest, trace.StepAuthorize},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first := index(tc.first)
			tv.list.Select(first)
			// Drawn once, as the window does between two clicks.
			h.app.win.Canvas().Capture()
			if got, want := shownFields(tv), fieldTexts(tv.steps[first].Fields); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("%s pane shows\n%q\nwant\n%q", tc.first, got, want)
			}
			i := index(tc.then)
			tv.list.Select(i)
			want := fieldTexts(tv.steps[i].Fields)
			got := shownFields(tv)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("%s pane shows\n%q\nwant\n%q", tc.then, got, want)
			}
		})
	}
}

// fieldTexts is how a step's fields read in the pane: name, then value.
func fieldTexts(fields []trace.Field) []string {
	var out []string
	for _, f := range fields {
		name := f.Name
		if f.Note != "" {
			name += " (" + f.Note + ")"
		}
		out = append(out, name, f.Value)
	}
	return out
}

// shownFields are the texts drawn in the fields area, top to bottom, as a
// person reads them: labels whole, other text (a form's names) as drawn.
func shownFields(tv *traceView) []string {
	var out []string
	label := "" // the label whose lines are being drawn
	for _, o := range test.LaidOutObjects(tv.fields) {
		switch w := o.(type) {
		case *widget.Label:
			label = ""
			if w.Visible() && w.Text != "" {
				label = w.Text
				out = append(out, w.Text)
			}
		case *canvas.Text:
			if w.Visible() && w.Text != "" && !strings.Contains(label, w.Text) {
				label = ""
				out = append(out, w.Text)
			}
		}
	}
	return out
}

// TestTraceRunsCompare: a consent check signs in, signs out and signs in
// again; the trace tab lists both runs, shows the newest, and shows the
// first again when QA picks it, in its own window too.
func TestTraceRunsCompare(t *testing.T) {
	h := newUIHarness(t, hrRobot(), nil)
	h.app.Start()
	var states []string
	for run := 1; run <= 2; run++ {
		test.Tap(h.app.form().signIn)
		if h.app.signedIn == nil {
			t.Fatalf("run %d: not signed in: %q", run, h.app.form().message.Text)
		}
		states = append(states, authorizeState(t, h.app.signedIn.trace))
		if run == 1 {
			h.app.confirmSignOut(false)
		}
	}
	tv := h.app.signedIn.trace
	checkRunList(t, tv)
	for _, tc := range []struct {
		name string
		pick int
	}{
		{"the first run", 0},
		{"back to the second", 1},
		{"the first again", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tv.runPick.SetSelectedIndex(tc.pick)
			if tv.selected != -1 {
				t.Fatal("a step of the other run stays chosen")
			}
			if got := authorizeState(t, tv); got != states[tc.pick] {
				t.Fatalf("shows state %q, want run %d's %q", got, tc.pick+1, states[tc.pick])
			}
		})
	}
	checkRunWindow(t, h, tv)
}

// checkRunList: both runs are listed, numbered, with how they ended, and
// the newest is chosen.
func checkRunList(t *testing.T, tv *traceView) {
	t.Helper()
	if len(tv.runPick.Options) != 2 || tv.runPick.SelectedIndex() != 1 {
		t.Fatalf("run list %q, chosen %d", tv.runPick.Options, tv.runPick.SelectedIndex())
	}
	for i, want := range []string{"Run 1 · ", "Run 2 · "} {
		if o := tv.runPick.Options[i]; !strings.HasPrefix(o, want) || !strings.HasSuffix(o, " · Demo tenant · Signed in") {
			t.Fatalf("run %d is listed as %q", i+1, o)
		}
	}
}

// checkRunWindow: Open in a new window shows the run chosen (the first) in
// a window of its own, to put beside the tab.
func checkRunWindow(t *testing.T, h *uiHarness, tv *traceView) {
	t.Helper()
	test.Tap(tv.compare)
	windows := h.fyneApp.Driver().AllWindows()
	other := windows[len(windows)-1]
	if other == h.app.win || !strings.HasPrefix(other.Title(), "Flow trace") {
		t.Fatalf("no window of its own: %q", other.Title())
	}
	for _, o := range test.LaidOutObjects(other.Content()) {
		if s, ok := o.(*widget.Select); ok && s.SelectedIndex() != 0 {
			t.Fatalf("the new window shows run %d, want run 1", s.SelectedIndex()+1)
		}
	}
}

// authorizeState picks the Authorize step in the trace view and returns
// the state shown in its pane, with which each run is told apart.
func authorizeState(t *testing.T, tv *traceView) string {
	t.Helper()
	for i, s := range tv.steps {
		if s.Kind == trace.StepAuthorize {
			tv.list.Select(i)
			got := shownFields(tv)
			for j := 0; j+1 < len(got); j += 2 {
				if got[j] == "state" {
					return got[j+1]
				}
			}
			t.Fatalf("no state shown: %q", got)
		}
	}
	t.Fatal("no Authorize step")
	return ""
}

// TestTraceTimesAndOmittedAutoApprove: steps are listed at clock times, the
// pane says when a step happened and how long it took in words, and an
// auto_approve the app did not send reads "(omitted)".
func TestTraceTimesAndOmittedAutoApprove(t *testing.T) {
	_, tv := demoSignedInTrace(t)
	clock := regexp.MustCompile(`^\d\d:\d\d:\d\d\.\d\d\d$`)
	for _, tc := range []struct {
		kind      trace.StepKind
		wantWhere string
		field     string
		want      string
	}{
		{trace.StepAuthorize, `^At \d\d:\d\d:\d\d\.\d\d\d, \d+ ms after the start\nGET http`, "auto_approve (not sent)", "(omitted)"},
		{trace.StepTokenRequest, `^At \d\d:\d\d:\d\d\.\d\d\d, [\d.]+ m?s after the start(; took [\d.]+ m?s)?\nPOST http`, "grant_type", "authorization_code"},
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			i := slices.IndexFunc(tv.steps, func(s trace.Step) bool { return s.Kind == tc.kind })
			tv.list.Select(i)
			if !regexp.MustCompile(tc.wantWhere).MatchString(tv.where.Text) {
				t.Fatalf("pane says %q", tv.where.Text)
			}
			got := shownFields(tv)
			j := slices.Index(got, tc.field)
			if j < 0 || got[j+1] != tc.want {
				t.Fatalf("fields %q lack %s = %s", got, tc.field, tc.want)
			}
			row := test.LaidOutObjects(tv.list)
			found := false
			for _, o := range row {
				if l, ok := o.(*widget.Label); ok && clock.MatchString(l.Text) {
					found = true
				}
				if l, ok := o.(*widget.Label); ok && strings.HasSuffix(l.Text, " ms") && strings.HasPrefix(l.Text, "+") {
					t.Fatalf("the list shows a raw offset %q", l.Text)
				}
			}
			if !found {
				t.Fatal("the list shows no clock time")
			}
		})
	}
}

// TestTraceRecordsEveryOpenTheBrowserAgain: each "Open the browser again"
// on the waiting screen is a step of the run, a failed one with its cause.
func TestTraceRecordsEveryOpenTheBrowserAgain(t *testing.T) {
	h := newUIHarness(t, nil, nil)
	robot := hrRobot()
	calls := 0
	h.browser = func(u string) error {
		calls++
		switch calls {
		case 1: // the sign-in opens the browser; the person asks twice more
			test.Tap(h.app.waiting.again)
			test.Tap(h.app.waiting.again)
			go func() {
				if _, err := robot.Run(context.Background(), u); err != nil {
					t.Errorf("robot: %v", err)
				}
			}()
		case 3:
			return errors.New("xdg-open: no method available for opening the link")
		}
		return nil
	}
	h.app.Start()
	test.Tap(h.app.form().signIn)
	if h.app.signedIn == nil {
		t.Fatalf("not signed in: %q", h.app.form().message.Text)
	}
	var got []string
	for _, s := range h.app.signedIn.trace.steps {
		if s.Kind == trace.StepBrowser {
			got = append(got, s.Title+" | "+s.Error)
		}
	}
	want := []string{
		"Browser opened | ",
		"Browser opened again | ",
		"Browser could not be opened again | xdg-open: no method available for opening the link",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("browser steps\n%q\nwant\n%q", got, want)
	}
}

// TestTraceDemoAdminPage: against the demo tenant the trace tab opens the
// tenant's admin page (consents, modes, faults) in the browser; against
// another tenant there is no such button.
func TestTraceDemoAdminPage(t *testing.T) {
	for _, tc := range []struct {
		name string
		demo bool
	}{
		{"demo tenant", true},
		{"another tenant", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newUIHarness(t, hrRobot(), nil)
			if tc.demo {
				h.app.Start()
				test.Tap(h.app.form().signIn)
			} else {
				p, secret := h.profile("Sandbox", sandbox.ClientDesktopOnDemand, nil)
				h.app = h.newApp(p)
				signInWith(t, h.app, secret)
			}
			if h.app.signedIn == nil {
				t.Fatalf("not signed in: %q", h.app.form().message.Text)
			}
			tv := h.app.signedIn.trace
			if tv.admin.Visible() != tc.demo {
				t.Fatalf("admin button shown: %v", tv.admin.Visible())
			}
			if !tc.demo {
				return
			}
			opened := h.browserOpens()
			h.browser = func(string) error { return nil } // the robot only signs in
			test.Tap(tv.admin)
			if h.browserOpens() != opened+1 || h.opened[opened] != strings.TrimSuffix(h.tenant.BaseURL(), "/CezanneOnDemand")+"/sandbox/admin" {
				t.Fatalf("opened %q", h.opened[opened:])
			}
			if !strings.Contains(tv.status.Text, "admin page") {
				t.Fatalf("status %q", tv.status.Text)
			}
		})
	}
}

// demoSignedInTrace signs in to the demo tenant as the HR robot and returns
// the harness and the signed-in view's flow trace.
func demoSignedInTrace(t *testing.T) (*uiHarness, *traceView) {
	t.Helper()
	h := newUIHarness(t, hrRobot(), nil)
	h.app.Start()
	test.Tap(h.app.form().signIn)
	if h.app.signedIn == nil {
		t.Fatalf("not signed in: %q", h.app.form().message.Text)
	}
	return h, h.app.signedIn.trace
}

// TestTraceLoadsMonospaceOnlyForACommand: the trace tab comes into the
// signed-in view as it first shows (hidden behind People), and Fyne loads
// a text style's faces on the UI goroutine when it first measures any text
// in it, empty text too (50-80 ms for a monospace face here). So the tab
// has no monospace text until a step with a curl command is shown, and
// then shows the command in monospace.
func TestTraceLoadsMonospaceOnlyForACommand(t *testing.T) {
	h, tv := demoSignedInTrace(t)
	mono := fyne.TextStyle{Monospace: true}
	if textStyles(tv.content)[mono] {
		t.Fatal("the trace tab has monospace text with no step shown")
	}
	withCurl, without := -1, -1
	for i, s := range tv.steps {
		if s.Curl != "" && withCurl < 0 {
			withCurl = i
		}
		if s.Curl == "" && without < 0 {
			without = i
		}
	}
	if withCurl < 0 || without < 0 {
		t.Fatalf("want a step with a curl command and one without: %d, %d", withCurl, without)
	}
	h.app.signedIn.tabs.SelectIndex(1)
	tv.list.Select(without)
	if textStyles(tv.content)[mono] {
		t.Error("a step without a command shows monospace text")
	}
	tv.list.Select(withCurl)
	if !textStyles(tv.curl)[mono] || tv.curl.Text != tv.steps[withCurl].Curl {
		t.Errorf("the command %q is not shown in monospace: %q in %+v", tv.steps[withCurl].Curl, tv.curl.Text, tv.curl.TextStyle)
	}
}
