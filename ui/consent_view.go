package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/consent"
)

// consentActions are what the check screen's buttons do.
type consentActions struct {
	proceed, skip, repeat func()
	// stopRun gives up waiting for the browser of the run in progress.
	stopRun func()
	reply   func(shown bool)
	cancel  func()
	// again opens the browser on the run's link again; copy puts the
	// link on the clipboard.
	again, copy func(url string)
	// save asks where to save the report in format i of consentFormats.
	save func(format int)
	// back leaves the finished check for the sign-in form.
	back func()
}

// consentView is the consent check's screen: the runs and where each is,
// what to do now and the buttons for it, and at the end the verdict.
type consentView struct {
	do      consentActions
	content fyne.CanvasObject
	renders int

	title       *widget.Label
	tenant      *widget.Label
	bar         *widget.ProgressBar
	runs        *fyne.Container // the runs table, rebuilt by render
	instruction *widget.Label
	outcome     *widget.Label
	hint        *widget.Label
	browserNote *widget.Label
	legend      *widget.Label
	verdict     *widget.Label
	flags       *widget.Label
	saved       *widget.Label
	spinner     *busyIndicator

	// The buttons of each phase, shown only in it.
	beforeRow, browserRow, questionRow, doneRow *fyne.Container
	proceedB, yesB, noB, cancelB                *widget.Button
	authURL                                     string
}

// consentWidth is as wide as the check screen grows: its verdict table has
// seven columns.
const consentWidth = 1000

func newConsentView(do consentActions) *consentView {
	v := &consentView{do: do}
	v.title = widget.NewLabelWithStyle("Consent check", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.title.SizeName = "headingText"
	v.tenant = wrapped("", widget.MediumImportance)
	v.bar = widget.NewProgressBar()
	v.runs = container.New(&columnsLayout{n: 4})
	v.instruction = wrapped("", widget.MediumImportance)
	v.instruction.TextStyle = fyne.TextStyle{Bold: true}
	v.outcome = wrapped("", widget.MediumImportance)
	v.hint = wrapped("", widget.LowImportance)
	v.browserNote = wrapped("", widget.WarningImportance)
	v.legend = wrapped("", widget.LowImportance)
	v.verdict = wrapped("", widget.SuccessImportance)
	v.verdict.TextStyle = fyne.TextStyle{Bold: true}
	v.flags = wrapped("", widget.WarningImportance)
	v.saved = wrapped("", widget.SuccessImportance)
	v.spinner = newBusyIndicator()
	v.spinner.Stop()

	v.proceedB = widget.NewButton("Continue (Enter)", do.proceed)
	v.proceedB.Importance = widget.HighImportance
	v.beforeRow = container.NewHBox(v.proceedB, widget.NewButton("Skip this run (S)", do.skip))
	v.browserRow = container.NewHBox(
		widget.NewButton("Open the browser again", func() { do.again(v.authURL) }),
		widget.NewButton("Copy sign-in link", func() { do.copy(v.authURL) }),
		widget.NewButton("Stop this run", do.stopRun))
	v.yesB = widget.NewButton("Yes (Y)", func() { do.reply(true) })
	v.yesB.Importance = widget.HighImportance
	v.noB = widget.NewButton("No (N)", func() { do.reply(false) })
	v.noB.Importance = widget.HighImportance
	v.questionRow = container.NewHBox(v.yesB, v.noB, widget.NewSeparator(),
		widget.NewButton("Repeat this run (R)", do.repeat), widget.NewButton("Skip this run (S)", do.skip))
	save := make([]fyne.CanvasObject, 0, len(consentFormats)+1)
	save = append(save, widget.NewLabel("Save the report as"))
	for i, f := range consentFormats {
		b := widget.NewButton(f.name+"… ("+string(f.key)+")", func() { do.save(i) })
		if i == 0 {
			b.Importance = widget.HighImportance // what people attach to tickets
		}
		save = append(save, b)
	}
	v.doneRow = container.NewHBox(save...)
	v.cancelB = widget.NewButton("Cancel", do.cancel)

	body := container.NewVBox(v.title, v.tenant, v.bar, v.runs, v.legend, widget.NewSeparator(),
		v.instruction, v.outcome, v.hint, v.browserNote, v.spinner,
		v.beforeRow, v.browserRow, v.questionRow,
		v.verdict, v.flags, v.doneRow, v.saved)
	footer := container.NewVBox(widget.NewSeparator(), container.NewBorder(nil, nil, v.cancelB, nil))
	v.content = container.NewBorder(nil, container.New(&maxWidthLayout{max: consentWidth}, container.NewPadded(footer)), nil, nil,
		stillScroll(container.New(&maxWidthLayout{max: consentWidth}, container.NewPadded(body))))
	return v
}

// render shows st.
func (v *consentView) render(st *consentState) {
	v.renders++
	if p := st.profile; p != nil {
		v.title.SetText("Consent check · " + p.Name)
		v.tenant.SetText("Tenant " + p.Root() + " · client " + p.ClientID)
	}
	v.renderProgress(st)
	v.renderRuns(st)
	v.instruction.SetText(st.instruction)
	showIf(v.instruction, st.instruction != "")
	v.outcome.Importance = toneImportance[st.outcomeTone]
	setNote(v.outcome, st.outcome)
	setNote(v.hint, st.hint)
	setNote(v.browserNote, st.browserNote)
	v.authURL = st.authURL
	running := !st.finished() && (st.phase == consent.PhaseBrowser || st.phase == consent.PhaseClearing || st.phase == "")
	if running {
		v.spinner.Show()
		v.spinner.Start()
	} else {
		v.spinner.Stop()
		v.spinner.Hide()
	}
	showIf(v.beforeRow, st.phase == consent.PhaseBefore && !st.finished())
	showIf(v.browserRow, st.phase == consent.PhaseBrowser && st.authURL != "" && !st.unattended && !st.finished())
	showIf(v.questionRow, st.phase == consent.PhaseQuestion && !st.finished())
	v.renderVerdict(st)
	if st.finished() {
		v.cancelB.SetText("Back to sign-in")
		v.cancelB.OnTapped = v.do.back
	} else {
		v.cancelB.SetText("Cancel")
		v.cancelB.OnTapped = v.do.cancel
	}
}

// renderProgress fills the bar with the runs done.
func (v *consentView) renderProgress(st *consentState) {
	done := 0
	for _, r := range st.rows {
		if r.done {
			done++
		}
	}
	if len(st.rows) == 0 {
		v.bar.Hide()
		return
	}
	v.bar.Max = float64(len(st.rows))
	v.bar.SetValue(float64(done))
	v.bar.Show()
}

// renderRuns lists the runs and where each is; with the report, each
// run's documented expectation per mode as well, a differing one marked.
func (v *consentView) renderRuns(st *consentState) {
	head := []string{"Run", "auto_approve", "Authorisation", "Consent page"}
	var exp map[int]consent.Cell
	if st.report != nil {
		exp = map[int]consent.Cell{}
		for _, c := range st.report.Cells {
			exp[c.Run] = c
		}
		for _, m := range consent.Modes {
			head = append(head, "If "+string(m))
		}
	}
	cells := make([]fyne.CanvasObject, 0, len(head)*(len(st.rows)+1))
	for _, h := range head {
		cells = append(cells, widget.NewLabelWithStyle(h, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	for i, r := range st.rows {
		run := widget.NewLabel(fmt.Sprint(r.step.Number))
		if i == st.current && !st.finished() {
			run.SetText(fmt.Sprintf("▸ %d", r.step.Number))
			run.TextStyle = fyne.TextStyle{Bold: true}
		}
		status := widget.NewLabel(r.status)
		status.Importance = toneImportance[r.tone]
		status.Truncation = fyne.TextTruncateEllipsis
		cells = append(cells, run, widget.NewLabel(r.step.AutoApprove.Label()), widget.NewLabel(string(r.step.Authorisation)), status)
		if exp != nil {
			cells = append(cells, expectedCells(exp[r.step.Number])...)
		}
	}
	v.runs.Layout = &columnsLayout{n: len(head)}
	v.runs.Objects = cells
	v.runs.Refresh()
}

// expectedCells are what each documented mode expects of a run: the consent
// page "shown" or "not shown", in red where the observation differs.
func expectedCells(c consent.Cell) []fyne.CanvasObject {
	out := make([]fyne.CanvasObject, 0, len(consent.Modes))
	for _, m := range consent.Modes {
		want, ok := c.Expected[m]
		l := widget.NewLabel("")
		if ok {
			l.SetText(consentShownText(want))
		}
		switch {
		case ok && c.DiffersFrom(m):
			l.Importance = widget.DangerImportance
			l.SetText(consentShownText(want) + " ✗")
		case ok && c.Observed():
			l.Importance = widget.SuccessImportance
		}
		out = append(out, l)
	}
	return out
}

func consentShownText(shown bool) string {
	if shown {
		return "shown"
	}
	return "not shown"
}

// renderVerdict says which documented modes the runs match, what else
// is worth a look, and offers the report; or why there is none.
func (v *consentView) renderVerdict(st *consentState) {
	showIf(v.doneRow, st.report != nil)
	legend := ""
	if st.report != nil {
		legend = "Each \"If\" column is what Cezanne's documentation expects of that mode; ✗ marks a run whose observation differs."
	}
	setNote(v.legend, legend)
	v.saved.Importance = toneImportance[st.savedTone]
	setNote(v.saved, st.saved)
	switch {
	case st.report != nil:
		vd := st.report.Verdict
		v.verdict.Importance = widget.SuccessImportance
		if vd.NoMatch() || vd.Counted == 0 {
			v.verdict.Importance = widget.DangerImportance
		}
		setNote(v.verdict, verdictHeadline(vd)+fmt.Sprintf("\n(%d runs counted, took %s)", vd.Counted, st.took.Round(100*time.Millisecond)))
		setNote(v.flags, flagsText(vd.Flags))
	case st.failure != "":
		v.verdict.Importance = widget.DangerImportance
		setNote(v.verdict, st.failure)
		setNote(v.flags, "")
	default:
		setNote(v.verdict, "")
		setNote(v.flags, "")
	}
}

// verdictHeadline is the verdict as a sentence starting with a capital,
// and for no match one line per mode, closest first.
func verdictHeadline(vd consent.Verdict) string {
	s := vd.Headline
	if s == "" {
		s = vd.Summary
	}
	if s == "" {
		return ""
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if len(vd.Details) == 0 {
		return s + "."
	}
	return s + ":\n• " + strings.Join(vd.Details, "\n• ")
}

// flagsText lists what else the runs saw, one line each.
func flagsText(flags []consent.Flag) string {
	if len(flags) == 0 {
		return ""
	}
	lines := []string{"Also worth a look:"}
	for _, f := range flags {
		lines = append(lines, fmt.Sprintf("• Run %d: %s", f.Run, f.Detail))
	}
	return strings.Join(lines, "\n")
}

// typedKey is the screen's keyboard: Enter continues, Y and N answer, R
// repeats and S skips, each only where its button shows; with the report,
// H, M and J save it.
func (v *consentView) typedKey(st *consentState, k *fyne.KeyEvent) {
	if st.report != nil {
		for i, f := range consentFormats {
			if k.Name == f.key {
				v.do.save(i)
			}
		}
		return
	}
	yes, no := func() { v.do.reply(true) }, func() { v.do.reply(false) }
	keys := map[consent.Phase]map[fyne.KeyName]func(){
		consent.PhaseBefore:   {fyne.KeyReturn: v.do.proceed, fyne.KeyEnter: v.do.proceed, fyne.KeyS: v.do.skip},
		consent.PhaseQuestion: {fyne.KeyY: yes, fyne.KeyN: no, fyne.KeyR: v.do.repeat, fyne.KeyS: v.do.skip},
	}
	if f := keys[st.phase][k.Name]; f != nil {
		f()
	}
}
