package ui

import (
	"bytes"
	"context"
	"fmt"
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
	win   fyne.Window       // for dialogs
}

// traceView shows a run's steps: a list with times, and the selected step's
// fields, with copy, reveal and export actions for bug reports.
type traceView struct {
	do       traceActions
	trace    *trace.Trace
	steps    []trace.Step
	selected int

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

	pending  atomic.Bool // steps changed since the last refresh
	unwatch  func()
	stopTick context.CancelFunc
}

func newTraceView(t *trace.Trace, do traceActions) *traceView {
	v := &traceView{do: do, trace: t, selected: -1}
	v.summary = widget.NewLabel("")
	v.list = widget.NewList(
		func() int { return len(v.steps) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, widget.NewLabel("+00000 ms"), widget.NewLabel("000"), widget.NewLabel("Step"))
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
			row.Objects[1].(*widget.Label).SetText(fmt.Sprintf("+%.0f ms", s.OffsetMS))
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
	v.curl.TextStyle = fyne.TextStyle{Monospace: true}
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
		if err := v.trace.WriteMarkdown(&b); err == nil {
			v.copy(b.String(), "Trace copied as Markdown: paste it into the bug report.")
		}
	})
	top := container.NewBorder(nil, nil, nil, container.NewHBox(copyMD, exportMD, exportJSON), v.summary)
	actions := container.NewHBox(v.copyURL, v.curlBtn, v.reveal)
	detail := container.NewBorder(container.NewVBox(v.title, v.where, v.errText, actions), nil, nil, nil,
		container.NewVScroll(container.NewVBox(v.fields, v.curl)))
	split := container.NewHSplit(v.list, detail)
	split.Offset = 0.42
	v.content = container.NewBorder(container.NewVBox(top, widget.NewSeparator()), v.status, nil, nil, split)
	v.showStep()
	v.watch()
	return v
}

// watch follows the trace: steps arrive from HTTP goroutines, which only
// mark the view stale; a UI-goroutine tick picks that up, so a burst of API
// calls (scrolling through People) costs one refresh, not hundreds.
func (v *traceView) watch() {
	v.unwatch = v.trace.Watch(func() { v.pending.Store(true) })
	ctx, cancel := context.WithCancel(context.Background())
	v.stopTick = cancel
	v.do.every(ctx, 250*time.Millisecond, func() {
		// A hidden tab waits: scrolling People makes a call every few
		// hundred milliseconds, and redrawing an unseen list costs the
		// table its smoothness.
		if v.content.Visible() && v.pending.Swap(false) {
			v.refresh()
		}
	})
	v.refresh()
}

// close stops following the trace.
func (v *traceView) close() {
	if v.unwatch != nil {
		v.unwatch()
		v.stopTick()
		v.unwatch = nil
	}
}

func (v *traceView) refresh() {
	v.steps = v.trace.Steps()
	calls := 0
	for _, s := range v.steps {
		if s.Kind == trace.StepAPICall {
			calls++
		}
	}
	text := fmt.Sprintf("%d steps · %d API calls · started %s", len(v.steps), calls, v.trace.Started().Format("15:04:05"))
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
		v.curl.SetText("")
		v.copyURL.Disable()
		v.curlBtn.Disable()
		v.reveal.Hide()
		return
	}
	s := v.steps[v.selected]
	head := s.Title
	if s.DurationMS > 0 {
		head += fmt.Sprintf(" · %.0f ms", s.DurationMS)
	}
	v.title.SetText(head)
	where := ""
	if s.URL != "" {
		where = s.Method + " " + s.URL
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
	name := "cezanne-trace-" + v.trace.Started().Format("20060102-150405") + ext
	chooseSavePath(v.do.win, name, ext, v.exportTo, func() {
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
func (a *App) showTraceWindow() {
	w := a.fyneApp.NewWindow("Flow trace · Cezanne HR Desktop")
	v := newTraceView(a.Trace(), a.traceActions())
	w.SetContent(v.content)
	w.Resize(fyne.NewSize(1000, 640))
	w.SetOnClosed(v.close)
	w.Show()
}
