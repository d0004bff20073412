package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/trace"
)

// TestFlowTraceTab: a sign-in with QA options shows every step in the trace
// tab; steps can be inspected, copied as curl and exported, and no export
// holds a secret.
func TestFlowTraceTab(t *testing.T) {
	h := newUIHarness(t, hrRobot(), nil)
	h.app.Start()
	f := h.app.form
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
	h := newUIHarness(t, hrRobot(), nil)
	h.app.Start()
	test.Tap(h.app.form.signIn)
	if h.app.signedIn == nil {
		t.Fatalf("not signed in: %q", h.app.form.message.Text)
	}
	tv := h.app.signedIn.trace
	tv.content.Resize(fyne.NewSize(1000, 700))
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
