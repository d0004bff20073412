package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/consent"
)

// pressed records the consent screen's actions.
type pressed struct{ got []string }

func (p *pressed) actions() consentActions {
	add := func(name string) func() { return func() { p.got = append(p.got, name) } }
	return consentActions{
		proceed: add("continue"), skip: add("skip"), repeat: add("repeat"), stopRun: add("stop-run"),
		reply: func(shown bool) {
			p.got = append(p.got, map[bool]string{true: "yes", false: "no"}[shown])
		},
		cancel: add("cancel"), back: add("back"),
		again: func(string) { p.got = append(p.got, "again") }, copy: func(string) { p.got = append(p.got, "copy") },
		save: func(i int) { p.got = append(p.got, "save "+consentFormats[i].name) },
	}
}

// consentStateAt is a check of six runs at phase, run 3 in hand.
func consentStateAt(phase consent.Phase) *consentState {
	st := &consentState{profile: &auth.Profile{Name: "QA", BaseURL: "https://w3.example.com/CezanneOnDemand", ClientID: "c1"},
		phase: phase, current: 2, instruction: "do this"}
	for _, s := range consent.NewPlan(false).Steps {
		st.rows = append(st.rows, consentRow{step: s, status: "to do", tone: toneInfo})
	}
	st.rows[0].status, st.rows[0].done = "shown", true
	return st
}

// verdictReport is a finished check's report that matches no mode: run 2
// saw no consent page, as only Automatic would, which differs at run 6.
func verdictReport() *consent.Report {
	var cells []consent.Cell
	for _, s := range consent.NewPlan(false).Steps {
		shown := consent.Expected(consent.OnDemand, s.AutoApprove, s.Authorisation)
		if s.Number == 2 {
			shown = false
		}
		c := consent.Cell{Run: s.Number, AutoApprove: s.AutoApprove, Authorisation: s.Authorisation, Outcome: consent.Granted,
			ConsentShown: &shown, Counted: true, Expected: map[consent.Mode]bool{}}
		for _, m := range consent.Modes {
			c.Expected[m] = consent.Expected(m, s.AutoApprove, s.Authorisation)
		}
		cells = append(cells, c)
	}
	flags := []consent.Flag{{Run: 2, Kind: consent.FlagNoRefreshToken, Detail: "the token response had no refresh_token"}}
	return &consent.Report{Cells: cells, Verdict: consent.Decide(cells, flags)}
}

// visibleButtons are the labels of the buttons the screen shows: those of
// its rows of buttons that show, then Cancel (or Back) in the footer.
func visibleButtons(v *consentView) []string {
	var out []string
	for _, row := range []*fyne.Container{v.beforeRow, v.browserRow, v.questionRow, v.doneRow} {
		if !row.Visible() {
			continue
		}
		for _, o := range row.Objects {
			if b, ok := o.(*widget.Button); ok && b.Visible() {
				out = append(out, b.Text)
			}
		}
	}
	return append(out, v.cancelB.Text)
}

// TestConsentScreenShowsEachPhase: the screen offers, in each phase, only
// what can be done then (Continue or Skip before a run; the browser's
// buttons while it is open; Yes/No/Repeat/Skip at the question; the report
// at the end), and the verdict names the differing cell in red.
func TestConsentScreenShowsEachPhase(t *testing.T) {
	test.NewTempApp(t)
	finished := consentStateAt(consent.PhaseFinished)
	finished.report, finished.current = verdictReport(), -1
	failed := consentStateAt(consent.PhaseFinished)
	failed.failure = "The consent check could not start: No client secret."
	browser := consentStateAt(consent.PhaseBrowser)
	browser.authURL = "https://w3.example.com/CezanneOnDemand/OAuth/Authorize?x=1"
	tests := []struct {
		name    string
		st      *consentState
		buttons []string
		verdict string
		danger  bool
	}{
		{"before a run", consentStateAt(consent.PhaseBefore), []string{"Continue (Enter)", "Skip this run (S)", "Cancel"}, "", false},
		{"browser open", browser, []string{"Open the browser again", "Copy sign-in link", "Stop this run", "Cancel"}, "", false},
		{"question", consentStateAt(consent.PhaseQuestion), []string{"Yes (Y)", "No (N)", "Repeat this run (R)", "Skip this run (S)", "Cancel"}, "", false},
		{"verdict", finished, []string{"HTML… (H)", "Markdown… (M)", "JSON… (J)", "Back to sign-in"}, "Matches no documented mode", true},
		{"could not start", failed, []string{"Back to sign-in"}, "The consent check could not start: No client secret.", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &pressed{}
			v := newConsentView(p.actions())
			w := test.NewTempWindow(t, v.content)
			w.Resize(fyne.NewSize(1100, 900))
			v.render(tt.st)
			if got := visibleButtons(v); !slices.Equal(got, tt.buttons) {
				t.Errorf("buttons %q, want %q", got, tt.buttons)
			}
			if !strings.HasPrefix(v.verdict.Text, tt.verdict) || (tt.verdict != "") != v.verdict.Visible() {
				t.Errorf("verdict %q (shown %v), want %q", v.verdict.Text, v.verdict.Visible(), tt.verdict)
			}
			if tt.name == "verdict" && (!strings.Contains(v.verdict.Text, "\n• OnDemand") || !strings.Contains(v.verdict.Text, "run 2")) {
				t.Errorf("the verdict does not name the cell OnDemand differs at: %q", v.verdict.Text)
			}
			if tt.danger && v.verdict.Importance != widget.DangerImportance {
				t.Errorf("verdict importance %v", v.verdict.Importance)
			}
			if v.bar.Value != 1 || v.bar.Max != 6 {
				t.Errorf("progress %v of %v, want 1 of 6", v.bar.Value, v.bar.Max)
			}
			if v.title.Text != "Consent check · QA" {
				t.Errorf("title %q", v.title.Text)
			}
		})
	}
}

// TestConsentScreenVerdictTable: with the report, each run's row gains the
// documented expectation of each mode, and the one that differs from the
// observation is marked; the flags are listed below.
func TestConsentScreenVerdictTable(t *testing.T) {
	test.NewTempApp(t)
	st := consentStateAt(consent.PhaseFinished)
	st.report, st.current = verdictReport(), -1
	for i, c := range st.report.Cells {
		st.rows[i].status, st.rows[i].tone = cellStatus(c)
	}
	v := newConsentView((&pressed{}).actions())
	v.render(st)
	const cols = 7
	if len(v.runs.Objects) != cols*7 {
		t.Fatalf("%d cells in the runs table, want %d", len(v.runs.Objects), cols*7)
	}
	cell := func(row, col int) *widget.Label { return v.runs.Objects[row*cols+col].(*widget.Label) }
	if h := cell(0, 6).Text; h != "If OnDemand" {
		t.Errorf("last heading %q", h)
	}
	// Run 2: auto_approve omitted, second; no consent page seen, which
	// OnDemand does not expect and Automatic does.
	if got := cell(2, 6); got.Text != "shown ✗" || got.Importance != widget.DangerImportance {
		t.Errorf("run 2 under OnDemand: %q (%v)", got.Text, got.Importance)
	}
	if got := cell(2, 5); got.Text != "not shown" || got.Importance != widget.SuccessImportance {
		t.Errorf("run 2 under Automatic: %q (%v)", got.Text, got.Importance)
	}
	if got := cell(2, 3); got.Text != "not shown" {
		t.Errorf("run 2 observed %q", got.Text)
	}
	if !strings.Contains(v.flags.Text, "Run 2: the token response had no refresh_token") {
		t.Errorf("flags %q", v.flags.Text)
	}
}

// TestConsentScreenKeys: Enter continues, Y and N answer, R repeats and S
// skips, each only in the phase whose button shows.
func TestConsentScreenKeys(t *testing.T) {
	tests := []struct {
		phase consent.Phase
		key   fyne.KeyName
		want  []string
	}{
		{consent.PhaseBefore, fyne.KeyReturn, []string{"continue"}},
		{consent.PhaseBefore, fyne.KeyEnter, []string{"continue"}},
		{consent.PhaseBefore, fyne.KeyS, []string{"skip"}},
		{consent.PhaseBefore, fyne.KeyY, nil},
		{consent.PhaseQuestion, fyne.KeyY, []string{"yes"}},
		{consent.PhaseQuestion, fyne.KeyN, []string{"no"}},
		{consent.PhaseQuestion, fyne.KeyR, []string{"repeat"}},
		{consent.PhaseQuestion, fyne.KeyReturn, nil},
		{consent.PhaseBrowser, fyne.KeyY, nil},
		{consent.PhaseFinished, fyne.KeyS, nil},
		{consent.PhaseFinished, fyne.KeyH, []string{"save HTML"}},
		{consent.PhaseFinished, fyne.KeyJ, []string{"save JSON"}},
		{consent.PhaseQuestion, fyne.KeyJ, nil},
	}
	for _, tt := range tests {
		t.Run(string(tt.phase)+"-"+string(tt.key), func(t *testing.T) {
			p := &pressed{}
			v := &consentView{do: p.actions()}
			st := consentStateAt(tt.phase)
			if tt.phase == consent.PhaseFinished {
				st.report = verdictReport()
			}
			v.typedKey(st, &fyne.KeyEvent{Name: tt.key})
			if !slices.Equal(p.got, tt.want) {
				t.Errorf("pressed %q, want %q", p.got, tt.want)
			}
		})
	}
}

// TestConsentScreenFitsLaptopScreens: on common laptop screens, and the
// smallest window the app supports, the consent screen needs no more room
// than the window has, and what the person must press in each phase is in
// sight without scrolling.
func TestConsentScreenFitsLaptopScreens(t *testing.T) {
	test.NewTempApp(t)
	finished := consentStateAt(consent.PhaseFinished)
	finished.report, finished.current = verdictReport(), -1
	for i, c := range finished.report.Cells {
		finished.rows[i].status, finished.rows[i].tone = cellStatus(c)
	}
	browser := consentStateAt(consent.PhaseBrowser)
	browser.authURL = "https://w3.example.com/CezanneOnDemand/OAuth/Authorize?x=1"
	phases := []struct {
		name  string
		st    *consentState
		press []string // must be in sight
	}{
		{"before a run", consentStateAt(consent.PhaseBefore), []string{"Continue (Enter)", "Skip this run (S)", "Cancel"}},
		{"browser open", browser, []string{"Stop this run", "Cancel"}},
		{"question", consentStateAt(consent.PhaseQuestion), []string{"Yes (Y)", "No (N)", "Cancel"}},
		{"verdict", finished, []string{"Back to sign-in"}},
	}
	for _, size := range []fyne.Size{{Width: 1366, Height: 768}, {Width: 1280, Height: 800}, {Width: 1024, Height: 768}, {Width: 800, Height: 600}} {
		for _, ph := range phases {
			t.Run(fmt.Sprintf("%v×%v %s", size.Width, size.Height, ph.name), func(t *testing.T) {
				v := newConsentView((&pressed{}).actions())
				w := test.NewTempWindow(t, v.content)
				v.render(ph.st)
				w.Resize(size)
				if m := w.Content().MinSize(); m.Width > size.Width || m.Height > size.Height {
					t.Errorf("the screen needs %v, more than the window's %v", m, size)
				}
				inSight := buttonsInSight(w, size)
				for _, label := range ph.press {
					if !inSight[label] {
						t.Errorf("%q is not in sight in the %v window (in sight: %v)", label, size, inSight)
					}
				}
			})
		}
	}
}

// buttonsInSight are the labels of the buttons drawn wholly inside the
// window, scrolled or not.
func buttonsInSight(w fyne.Window, size fyne.Size) map[string]bool {
	labels := map[string]bool{}
	for _, o := range shownObjects(w.Content()) {
		b, ok := o.(*widget.Button)
		if !ok {
			continue
		}
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b)
		if pos.X >= 0 && pos.Y >= 0 && pos.X+b.Size().Width <= size.Width+0.5 && pos.Y+b.Size().Height <= size.Height+0.5 {
			labels[b.Text] = true
		}
	}
	return labels
}
