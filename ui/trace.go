package ui

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/trace"
)

// traceActions are what the trace view needs from the app.
type traceActions struct {
	every func(ctx context.Context, interval time.Duration, f func())
	goFn  func(func())
	state func(name string, args ...any)
	copy  func(text string) // to the clipboard
	// openURL opens a page in the browser; it may block until the
	// browser exits, so it is run with goFn.
	openURL func(url string) error
	// newWindow shows a run in a window of its own, to compare runs.
	newWindow func(t *trace.Trace)
	win       fyne.Window // for dialogs
	files     fileDialogs
}

// traceView shows a run's steps: a list with times, and the selected step's
// fields, with copy, reveal and export actions for bug reports.
type traceView struct {
	do       traceActions
	runs     *trace.Runs
	trace    *trace.Trace // the run shown
	follow   bool         // show each new run as it starts
	steps    []trace.Step
	selected int

	runPick   *widget.Select
	runTraces []*trace.Trace // runPick's options, in order
	compare   *widget.Button
	admin     *widget.Button

	list    *widget.List
	summary *widget.Label
	title   *widget.Label
	where   *widget.Label
	errText *widget.Label
	fields  *fyne.Container // a name and value per row
	curl    *widget.Label
	copyURL *widget.Button
	curlBtn *widget.Button
	reveal  *widget.Button
	status  *widget.Label
	content fyne.CanvasObject
	// shown says whether the view can be seen; nil: whether content is
	// visible. In the signed-in view's tab it sits in a holder, which the
	// tabs hide instead of it.
	shown func() bool

	pending   atomic.Bool // steps or runs changed since the last refresh
	unwatch   func()      // stops hearing of the shown run's steps
	unwatchRs func()
	stopTick  context.CancelFunc
}

// newTraceView shows run t of runs, or (t nil) the newest run, following
// each new one.
func newTraceView(runs *trace.Runs, t *trace.Trace, do traceActions) *traceView {
	v := &traceView{do: do, runs: runs, trace: t, follow: t == nil, selected: -1}
	if t == nil {
		v.trace = runs.Newest()
	}
	v.summary = widget.NewLabel("")
	v.summary.Wrapping = fyne.TextWrapWord
	v.runPick = widget.NewSelect(nil, nil)
	v.runPick.PlaceHolder = "No sign-in yet"
	v.compare = widget.NewButton("Open in a new window", func() { v.do.newWindow(v.trace) })
	v.admin = widget.NewButton("Demo tenant admin page…", v.openAdmin)
	v.admin.Hide()
	v.list = widget.NewList(
		func() int { return len(v.steps) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, widget.NewLabel("00:00:00.000"), widget.NewLabel("000"), widget.NewLabel("Step"))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(v.steps) {
				return
			}
			s := v.steps[id]
			row := o.(*fyne.Container)
			title := row.Objects[0].(*widget.Label)
			title.SetText(s.Title)
			title.Importance = widget.MediumImportance
			if s.Error != "" {
				title.Importance = widget.DangerImportance
			}
			row.Objects[1].(*widget.Label).SetText(trace.Clock(s.At))
			status := ""
			if s.Status != 0 {
				status = fmt.Sprint(s.Status)
			}
			row.Objects[2].(*widget.Label).SetText(status)
		})
	v.list.OnSelected = func(id widget.ListItemID) { v.selected = id; v.showStep() }

	v.title = widget.NewLabelWithStyle("Select a step", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.where = widget.NewLabel("")
	v.where.Wrapping = fyne.TextWrapBreak
	v.where.Selectable = true
	v.errText = wrapped("", widget.DangerImportance)
	v.errText.Hide()
	v.fields = container.New(layout.NewFormLayout())
	v.curl = widget.NewLabel("")
	v.curl.Wrapping = fyne.TextWrapBreak
	v.curl.Selectable = true
	v.copyURL = widget.NewButton("Copy URL", func() { v.copy(v.steps[v.selected].URL, "URL copied.") })
	v.curlBtn = widget.NewButton("Copy as curl", func() {
		v.copy(v.steps[v.selected].Curl, "curl command copied; set the $ variables it names first.")
	})
	v.reveal = widget.NewButton("Reveal access token…", v.confirmReveal)
	v.status = widget.NewLabel("")
	v.status.Wrapping = fyne.TextWrapWord

	exportMD := widget.NewButton("Export Markdown…", func() { v.exportDialog(".md") })
	exportJSON := widget.NewButton("Export JSON…", func() { v.exportDialog(".json") })
	copyMD := widget.NewButton("Copy as Markdown", func() {
		var b bytes.Buffer
		if v.trace == nil {
			return
		}
		if err := v.trace.WriteMarkdown(&b); err == nil {
			v.copy(b.String(), "Trace copied as Markdown: paste it into the bug report.")
		}
	})
	runBar := container.NewBorder(nil, nil, widget.NewLabel("Run"), container.NewHBox(v.compare, v.admin), v.runPick)
	top := container.NewVBox(runBar, container.NewBorder(nil, nil, nil, container.NewHBox(copyMD, exportMD, exportJSON), v.summary))
	actions := container.NewHBox(v.copyURL, v.curlBtn, v.reveal)
	detail := container.NewBorder(container.NewVBox(v.title, v.where, v.errText, actions), nil, nil, nil,
		stillScroll(container.NewVBox(v.fields, v.curl)))
	split := container.NewHSplit(v.list, detail)
	split.Offset = 0.42
	v.content = container.NewBorder(container.NewVBox(top, widget.NewSeparator()), v.status, nil, nil, split)
	v.showStep()
	v.watch()
	return v
}

// pickRun shows the run chosen in the run list; choosing the newest
// follows the runs that start after it.
func (v *traceView) pickRun(i int) {
	if i < 0 || i >= len(v.runTraces) {
		return
	}
	v.follow = i == len(v.runTraces)-1
	v.showRun(v.runTraces[i])
}

// showRun switches the view to run t, its first step not yet chosen.
func (v *traceView) showRun(t *trace.Trace) {
	if t == v.trace {
		return
	}
	if v.unwatch != nil {
		v.unwatch()
	}
	v.trace = t
	v.unwatch = t.Watch(func() { v.pending.Store(true) })
	v.selected = -1
	v.list.UnselectAll()
	v.status.SetText("")
	v.refresh()
	v.showStep()
}

// runLabel names a run in the run list: its number, when it started, the
// profile and how it ended.
func (v *traceView) runLabel(t *trace.Trace) string {
	parts := []string{fmt.Sprintf("Run %d", v.runs.Number(t)), t.Started().Format("15:04:05")}
	if p := t.Profile(); p != nil {
		parts = append(parts, p.Name)
	}
	outcome := t.Outcome()
	if outcome == "" {
		outcome = "signing in…"
	}
	return strings.Join(append(parts, outcome), " · ")
}

// refreshRuns fills the run list, keeping the shown run chosen.
func (v *traceView) refreshRuns() {
	v.runTraces = v.runTraces[:0]
	var labels []string
	shown := -1
	for _, t := range v.runs.List() {
		// A resume that found nothing stored recorded nothing: listed,
		// it would only be one more "Run" to look through.
		if t.Empty() && t != v.trace {
			continue
		}
		if t == v.trace {
			shown = len(labels)
		}
		v.runTraces = append(v.runTraces, t)
		labels = append(labels, v.runLabel(t))
	}
	// Options change while the view is told which is chosen; no choice
	// is the person's until the list is filled again.
	v.runPick.OnChanged = nil
	v.runPick.SetOptions(labels)
	if shown >= 0 {
		v.runPick.SetSelectedIndex(shown)
	}
	v.runPick.OnChanged = func(string) { v.pickRun(v.runPick.SelectedIndex()) }
	enable(v.compare, v.trace != nil && v.do.newWindow != nil)
	showIf(v.admin, demoAdminURL(v.trace) != "")
}

// demoAdminURL is the built-in demo tenant's QA admin page (consents,
// auto-approve modes, faults) for a run against it, or "".
func demoAdminURL(t *trace.Trace) string {
	if t == nil {
		return ""
	}
	p := t.Profile()
	if p == nil || !p.Demo || p.BaseURL == "" {
		return ""
	}
	u, err := url.Parse(p.BaseURL)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host + "/sandbox/admin"
}

// openAdmin opens the demo tenant's admin page in the browser, off the UI
// goroutine: opening a browser can take as long as the browser runs.
func (v *traceView) openAdmin() {
	page := demoAdminURL(v.trace)
	if page == "" || v.do.openURL == nil {
		return
	}
	v.status.SetText("Opening the demo tenant's admin page in your browser…")
	v.do.state("demo-admin-opened", "url", page)
	open := v.do.openURL
	v.do.goFn(func() {
		err := open(page)
		fyne.Do(func() {
			if err != nil {
				v.status.SetText("Could not open the browser. Open " + page + " in a browser on this computer.")
			}
		})
	})
}

// watch follows the trace: steps arrive from HTTP goroutines, which only
// mark the view stale; a UI-goroutine tick picks that up, so a burst of API
// calls (scrolling through People) costs one refresh, not hundreds.
func (v *traceView) watch() {
	if v.trace != nil {
		v.unwatch = v.trace.Watch(func() { v.pending.Store(true) })
	}
	v.unwatchRs = v.runs.Watch(func() { v.pending.Store(true) })
	ctx, cancel := context.WithCancel(context.Background())
	v.stopTick = cancel
	v.do.every(ctx, 250*time.Millisecond, func() {
		// A hidden tab waits: scrolling People makes a call every few
		// hundred milliseconds, and redrawing an unseen list costs the
		// table its smoothness.
		if v.isShown() && v.pending.Swap(false) {
			v.refresh()
		}
	})
	v.refresh()
}

func (v *traceView) isShown() bool {
	if v.shown != nil {
		return v.shown()
	}
	return v.content.Visible()
}

// close stops following the trace.
func (v *traceView) close() {
	if v.unwatchRs != nil {
		if v.unwatch != nil {
			v.unwatch()
		}
		v.unwatchRs()
		v.stopTick()
		v.unwatch, v.unwatchRs = nil, nil
	}
}

func (v *traceView) refresh() {
	if newest := v.runs.Newest(); v.follow && newest != nil && newest != v.trace {
		v.showRun(newest) // refreshes again
		return
	}
	v.refreshRuns()
	if v.trace == nil {
		v.summary.SetText("No sign-in has started yet.")
		return
	}
	v.steps = v.trace.Steps()
	calls := 0
	for _, s := range v.steps {
		if s.Kind == trace.StepAPICall {
			calls++
		}
	}
	text := fmt.Sprintf("%d steps · %d API calls · started at %s", len(v.steps), calls, v.trace.Started().Format("15:04:05"))
	if n := len(v.steps); n > 0 {
		last := v.steps[n-1]
		text += " · " + trace.Duration(last.OffsetMS+last.DurationMS) + " so far"
	}
	if n := v.runs.Dropped(); n > 0 {
		text += fmt.Sprintf(" · %d earlier runs left out", n)
	}
	if n := v.trace.Dropped(); n > 0 {
		text += fmt.Sprintf(" · %d older calls left out", n)
	}
	v.summary.SetText(text)
	v.list.Refresh()
	if v.selected >= 0 && v.selected < len(v.steps) {
		v.showStep()
	}
}

// showStep fills the detail pane with the selected step.
func (v *traceView) showStep() {
	if v.selected < 0 || v.selected >= len(v.steps) {
		v.title.SetText("Select a step to see its details")
		v.where.SetText("")
		setNote(v.errText, "")
		v.fields.RemoveAll()
		v.curl.TextStyle = fyne.TextStyle{}
		v.curl.SetText("")
		v.copyURL.Disable()
		v.curlBtn.Disable()
		v.reveal.Hide()
		return
	}
	s := v.steps[v.selected]
	v.title.SetText(s.Title)
	where := "At " + trace.Clock(s.At) + ", " + trace.Duration(s.OffsetMS) + " after the start"
	if s.DurationMS > 0 {
		where += "; took " + trace.Duration(s.DurationMS)
	}
	if s.URL != "" {
		where += "\n" + s.Method + " " + s.URL
	}
	if s.Status != 0 {
		where += fmt.Sprintf("\nHTTP %d", s.Status)
		if s.Size > 0 {
			where += fmt.Sprintf(" · %s bytes", thousands(int(s.Size)))
		}
	}
	v.where.SetText(strings.TrimSpace(where))
	setNote(v.errText, s.Error)
	v.showFields(s.Fields)
	// Monospace only once there is a command to show: Fyne loads a
	// style's faces when it first measures text in it, even empty text,
	// and that took 50-80 ms on the UI goroutine in the frame that put
	// this (hidden) tab into the signed-in view. Now whoever opens a
	// step pays it, once.
	v.curl.TextStyle = fyne.TextStyle{Monospace: s.Curl != ""}
	v.curl.SetText(s.Curl)
	enable(v.copyURL, s.URL != "")
	enable(v.curlBtn, s.Curl != "")
	if s.Kind == trace.StepTokenResponse && s.Field("access_token") != "" && v.trace.RevealAccessToken() != "" {
		v.reveal.Show()
	} else {
		v.reveal.Hide()
	}
}

// showFields replaces every row of the fields area. The rows are new
// widgets each time: widget.Form, reset and appended to, keeps drawing its
// old first row, so QA saw the first step's value beside another's name.
func (v *traceView) showFields(fields []trace.Field) {
	rows := make([]fyne.CanvasObject, 0, 2*len(fields))
	for _, f := range fields {
		name := f.Name
		if f.Note != "" {
			name += " (" + f.Note + ")"
		}
		value := widget.NewLabel(f.Value)
		value.Wrapping = fyne.TextWrapBreak
		value.Selectable = true
		rows = append(rows, widget.NewLabelWithStyle(name, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}), value)
	}
	v.fields.Objects = rows
	v.fields.Refresh()
}

func enable(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

func (v *traceView) copy(text, done string) {
	v.do.copy(text)
	v.status.SetText(done)
}

// confirmReveal shows the current access token only after a warning: it is
// the one secret a tester may need in full (to replay a call), and the
// only one the trace can show.
func (v *traceView) confirmReveal() {
	dialog.ShowConfirm("Reveal the access token?",
		"Anyone who sees it can act as you until it expires.\nIt is never written to logs or exported traces.",
		func(ok bool) {
			if !ok {
				return
			}
			tok := v.trace.RevealAccessToken()
			text := widget.NewLabel(tok)
			text.Wrapping = fyne.TextWrapBreak
			text.Selectable = true
			text.TextStyle = fyne.TextStyle{Monospace: true}
			copyBtn := widget.NewButton("Copy", func() { v.copy(tok, "Access token copied.") })
			d := dialog.NewCustom("Access token", "Close", container.NewVBox(text, copyBtn), v.do.win)
			d.Resize(fyne.NewSize(560, 240))
			v.do.state("trace-token-revealed")
			d.Show()
		}, v.do.win)
}

func (v *traceView) exportDialog(ext string) {
	if v.trace == nil {
		return
	}
	name := "cezanne-trace-" + v.trace.Started().Format("20060102-150405") + ext
	v.do.files.saveAs("Export the flow trace", name, ext, v.exportTo, func() {
		v.status.SetText("Traces can be exported to files on this computer only.")
	})
}

// exportTo saves the trace (Markdown for .md, JSON otherwise) off the UI
// goroutine.
func (v *traceView) exportTo(path string) {
	t := v.trace
	v.do.goFn(func() {
		err := t.Save(path)
		fyne.Do(func() {
			if err != nil {
				v.status.SetText("Could not export the trace: " + errorText(err))
				return
			}
			v.status.SetText("Trace exported to " + path)
			v.do.state("trace-exported", "path", path)
		})
	})
}

// showTraceWindow opens the trace in a window of its own: during sign-in,
// before the signed-in view and its tab exist.
func (a *App) showTraceWindow() { a.showRunWindow(nil) }

// showRunWindow opens run t (nil: the newest, following new ones) in a
// window of its own, so two runs can be put side by side.
func (a *App) showRunWindow(t *trace.Trace) {
	a.Trace() // a run to show, even before any sign-in
	w := a.fyneApp.NewWindow("Flow trace · Cezanne HR Desktop")
	v := newTraceView(&a.traces, t, a.traceActions(w))
	w.SetContent(v.content)
	w.Resize(fyne.NewSize(1000, 640))
	w.SetOnClosed(v.close)
	w.Show()
}

// Traces are this app session's flow traces, oldest first.
func (a *App) Traces() *trace.Runs { return &a.traces }

// openBrowserAgain is "Open the browser again" on the waiting screen,
// recorded in the run's trace: each extra tab can finish the sign-in.
func (a *App) openBrowserAgain(u string) error {
	done := a.Trace().BrowserAgain()
	err := a.opts.OpenBrowser(u)
	done(err)
	return err
}
