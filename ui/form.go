package ui

import (
	"bytes"
	"io"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/atomicfile"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/urlscheme"
)

// formActions are what the form needs from the rest of the app.
type formActions struct {
	profiles profileList
	// launch is --profile: offered even before it is saved.
	launch        *auth.Profile
	signIn        func(p *auth.Profile, typedSecret string)
	confirmDelete func(p *auth.Profile, then func())
	remove        func(p *auth.Profile)
	// importProfile adds a profile read from a file; the controller asks
	// when its name is taken by another tenant's or client's profile.
	importProfile func(p *auth.Profile)
	// register asks to register scheme, and calls done once it is.
	register func(scheme string, done func())
	about    func()
	state    func(name string, args ...any)
	win      fyne.Window // for dialogs
	files    fileDialogs
	// schemes checks custom schemes (nil: they are not offered).
	schemes urlscheme.Registration
	goFn    func(func()) // background work
	do      func(func()) // back on the UI goroutine
	// consentCheck starts the consent check of a browser profile (the QA
	// options' "Consent check…"); nil: not offered.
	consentCheck func(p *auth.Profile, typedSecret string)
}

// profileForm is the sign-in form: which profile (tenant and client), and
// how to ask for access. What it holds is model; widgets write into it,
// and render shows it.
type profileForm struct {
	do        formActions
	model     formModel
	rendering bool // render is setting widgets: their handlers keep still
	renders   int
	// checks are the scheme registration checks, one per scheme; an entry
	// that is not done is running.
	checks map[string]*schemeCheck

	picker      *widget.Select
	kind        *widget.RadioGroup
	name        *widget.Entry
	tenant      *widget.Entry
	clientID    *widget.Entry
	secret      *widget.Entry
	redirect    *widget.Entry
	scopeRead   *widget.Check
	scopeWrite  *widget.Check
	autoApprove *widget.RadioGroup
	pkce        *widget.Check
	qaScopes    *widget.Entry
	qaState     *widget.Entry
	dataService *widget.Entry
	dataConfirm *widget.Check
	callback    *widget.RadioGroup
	schemeNote  *widget.Label
	register    *widget.Button
	schemeRow   *fyne.Container
	demoNote    *widget.Label
	keyringNote *widget.Label
	// keyringDetails holds the keyring's own words, for support staff.
	keyringDetails *widget.Accordion
	keyringDetail  *widget.Label
	keyringBox     *fyne.Container
	keyringErr     error
	// scopeNames names, under the QA options, the scopes the ticks ask for.
	scopeNames *widget.Label
	message    *widget.Label
	// messageDetails holds the technical cause of the message, folded.
	messageDetails *widget.Accordion
	messageDetail  *widget.Label
	// notes say, beside each field, what is wrong with it; the tenant's
	// also says where a tenant that can be read signs in.
	notes [fieldCount]*widget.Label
	// attempted: Sign in was pressed with problems, so they show, each
	// until it is fixed.
	attempted bool
	// secretGone are the profiles whose saved client secret turned out
	// to be missing: the form asks for it until one is typed.
	secretGone map[string]bool
	signIn     *widget.Button
	consent    *fyne.Container // "Consent check…" and what it does
	export     *widget.Button
	remove     *widget.Button

	tenantForm   *widget.Form
	redirectForm *widget.Form
	browserForm  *widget.Form
	advanced     *widget.Accordion
	qa           *widget.Accordion
	content      fyne.CanvasObject
}

// change is a widget handler that applies set to the model and renders,
// unless the widget changed because of a render.
func change[T any](f *profileForm, set func(m formModel, v T) formModel) func(T) {
	return func(v T) {
		if f.rendering {
			return
		}
		f.model = set(f.model, v)
		f.render()
	}
}

func newProfileForm(do formActions) *profileForm {
	f := &profileForm{do: do, checks: map[string]*schemeCheck{}, secretGone: map[string]bool{}}
	f.newFields()
	f.submitOnEnter()
	f.signIn = widget.NewButton("Sign in", f.submit)
	f.signIn.Importance = widget.HighImportance
	importButton := widget.NewButton("Import…", f.importDialog)
	f.export = widget.NewButton("Export…", f.exportDialog)
	f.remove = widget.NewButton("Delete", f.confirmRemove)

	f.tenantForm = widget.NewForm(
		widget.NewFormItem("Sign-in type", f.kind),
		widget.NewFormItem("Profile name", f.name),
		f.fieldItem(fieldTenant, f.tenant),
		f.fieldItem(fieldClientID, f.clientID),
		f.fieldItem(fieldSecret, f.secret),
	)
	f.redirectForm = widget.NewForm(f.fieldItem(fieldRedirect, f.redirect))
	scopes := widget.NewForm(f.fieldItem(fieldScopes, container.NewHBox(f.scopeRead, f.scopeWrite)))
	f.browserForm = widget.NewForm(
		widget.NewFormItem("auto_approve", f.autoApprove),
		widget.NewFormItem("PKCE", f.pkce),
	)
	// The consent check walks QA through the whole auto_approve matrix,
	// so it sits with the switches it would otherwise take by hand.
	f.consent = container.NewBorder(nil, nil, widget.NewButton("Consent check…", f.checkConsent), nil,
		wrapped("Runs the authorisations that tell Cezanne's auto-approve modes apart and writes a report.", widget.LowImportance))
	// QA staff test how the tenant treats what the app sends; HR staff never
	// need these, so the protocol's own names and switches stay folded away.
	f.qa = widget.NewAccordion(widget.NewAccordionItem("QA options", container.NewVBox(
		f.browserForm,
		widget.NewForm(
			widget.NewFormItem("Scopes", f.scopeNames),
			f.fieldItem(fieldQAScopes, f.qaScopes),
			widget.NewFormItem("Custom state", f.qaState),
			widget.NewFormItem("Receive the callback on", f.callback),
		),
		f.consent)))
	// A data service elsewhere than the tenant receives the sign-in, so
	// the person confirms it here; a profile file never can.
	f.advanced = widget.NewAccordion(widget.NewAccordionItem("Advanced options", widget.NewForm(
		f.fieldItem(fieldDataService, f.dataService),
		widget.NewFormItem("", f.dataConfirm),
	)))
	title := widget.NewLabelWithStyle("Sign in to Cezanne HR", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = "headingText"
	profileRow := container.NewBorder(nil, nil, widget.NewLabel("Profile"), container.NewHBox(importButton, f.export, f.remove), f.picker)
	body := container.NewVBox(
		title, profileRow, f.demoNote, f.keyringBox, // seen before anything is typed
		f.tenantForm, f.redirectForm, f.schemeRow, scopes, f.advanced, f.qa,
	)
	// Sign in sits below the scrolling fields, where messages cannot push
	// it away and no window height hides it.
	footer := container.NewVBox(widget.NewSeparator(), f.message, f.messageDetails,
		container.NewBorder(nil, nil, f.signIn, widget.NewButton("About", do.about)))
	f.content = container.NewBorder(nil, readable(container.NewPadded(footer)), nil, nil, stillScroll(readable(body)))
	return f
}

// formWidth is as wide as the form grows: wider lines are hard to read.
const formWidth = 760

// readable centres o, as wide as the window up to formWidth.
func readable(o fyne.CanvasObject) fyne.CanvasObject {
	return container.New(&maxWidthLayout{max: formWidth}, o)
}

// maxWidthLayout gives its objects the whole height and at most max of
// the width, centred.
type maxWidthLayout struct{ max float32 }

func (l *maxWidthLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	w := min(size.Width, l.max)
	for _, o := range objects {
		o.Move(fyne.NewPos((size.Width-w)/2, 0))
		o.Resize(fyne.NewSize(w, size.Height))
	}
}

func (l *maxWidthLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objects {
		s = s.Max(o.MinSize())
	}
	return s
}

// fieldItem is the form row of field: its label (fieldNames, which the
// summary of problems names too), and input with the field's note under it.
func (f *profileForm) fieldItem(which field, input fyne.CanvasObject) *widget.FormItem {
	note := wrapped("", widget.DangerImportance)
	note.Hide()
	f.notes[which] = note
	return widget.NewFormItem(fieldNames[which], container.NewVBox(input, note))
}

// newFields makes the form's inputs, each writing into the model.
func (f *profileForm) newFields() {
	f.picker = widget.NewSelect(nil, func(choice string) {
		if !f.rendering {
			f.pick(choice)
		}
	})
	f.kind = widget.NewRadioGroup([]string{kindBrowser, kindService}, change(f, func(m formModel, v string) formModel { m.kind = v; return m }))
	f.kind.Required = true
	f.name = entry("e.g. Production (defaults to the tenant)", change(f, func(m formModel, v string) formModel { m.name = v; return m }))
	f.tenant = entry("w3   or   https://w3.cezanneondemand.com/CezanneOnDemand", change(f, func(m formModel, v string) formModel { m.tenant = v; return m }))
	f.clientID = entry("oauth2democlient.app.cezannehr.com", change(f, func(m formModel, v string) formModel { m.clientID = v; return m }))
	f.secret = widget.NewPasswordEntry()
	f.secret.SetPlaceHolder("Kept in your system keyring; leave empty to use the saved one")
	f.secret.OnChanged = change(f, func(m formModel, v string) formModel { m.secret = v; return m })
	f.redirect = entry(defaultRedirect, change(f, formModel.withRedirect))
	f.scopeRead = widget.NewCheck(permissionRead, change(f, func(m formModel, v bool) formModel { m.scopeRead = v; return m }))
	f.scopeWrite = widget.NewCheck(permissionWrite, change(f, func(m formModel, v bool) formModel { m.scopeWrite = v; return m }))
	f.autoApprove = widget.NewRadioGroup(autoApproveChoices, change(f, func(m formModel, v string) formModel { m.autoApprove = v; return m }))
	f.autoApprove.Horizontal = true
	f.autoApprove.Required = true
	f.pkce = widget.NewCheck("Send a PKCE challenge (recommended)", change(f, func(m formModel, v bool) formModel { m.pkce = v; return m }))
	f.qaScopes = entry("more scopes for this sign-in, separated by spaces", change(f, func(m formModel, v string) formModel { m.qaScopes = v; return m }))
	f.qaState = entry("empty: a fresh random state (recommended)", change(f, func(m formModel, v string) formModel { m.qaState = v; return m }))
	f.dataService = entry("empty: the tenant's own DataService.svc", change(f, func(m formModel, v string) formModel { m.dataService = v; return m }))
	f.dataConfirm = widget.NewCheck("", change(f, func(m formModel, v bool) formModel { m.dataServiceConfirmed = v; return m }))
	f.callback = widget.NewRadioGroup([]string{callbackLoopback, callbackScheme}, change(f, formModel.withCallback))
	f.callback.Required = true
	f.schemeNote = widget.NewLabel("")
	f.schemeNote.Wrapping = fyne.TextWrapWord
	f.register = widget.NewButton("Register", func() {
		if scheme := f.model.scheme(); scheme != "" {
			f.do.register(scheme, func() { f.setMessage("") })
		}
	})
	f.schemeRow = container.NewBorder(nil, nil, nil, f.register, f.schemeNote)
	f.demoNote = wrapped("The demo tenant is a simulated Cezanne tenant that runs on this computer with made-up people. "+
		"Sign in as hrprof@sandbox.cezannehr.com with the password demo1234. Nothing is saved when you close the app.", widget.MediumImportance)
	f.keyringNote = wrapped("", widget.WarningImportance)
	f.keyringDetail = wrapped("", widget.LowImportance)
	f.keyringDetail.Selectable = true
	f.keyringDetails = widget.NewAccordion(widget.NewAccordionItem("Details", f.keyringDetail))
	f.keyringBox = container.NewVBox(f.keyringNote, f.keyringDetails)
	f.keyringBox.Hide()
	f.scopeNames = wrapped("", widget.LowImportance)
	f.message = wrapped("", widget.DangerImportance)
	f.message.Hide()
	f.messageDetail = wrapped("", widget.LowImportance)
	f.messageDetail.Selectable = true
	f.messageDetails = widget.NewAccordion(widget.NewAccordionItem("Details", f.messageDetail))
	f.messageDetails.Hide()
}

func entry(placeholder string, changed func(string)) *widget.Entry {
	e := widget.NewEntry()
	e.SetPlaceHolder(placeholder)
	e.OnChanged = changed
	return e
}

// submitOnEnter makes Enter in any of the form's entries press Sign in.
func (f *profileForm) submitOnEnter() {
	for _, e := range []*widget.Entry{f.name, f.tenant, f.clientID, f.secret, f.redirect, f.qaScopes, f.qaState, f.dataService} {
		e.OnSubmitted = func(string) { f.submit() }
	}
}

// render shows the model in the widgets. Setting a widget fires its
// handler, so handlers keep still while rendering; widgets already showing
// the value are left alone (an entry being typed in keeps its cursor).
func (f *profileForm) render() {
	f.rendering = true
	defer func() { f.rendering = false }()
	f.renders++
	m := f.model
	if f.picker.Selected != m.choice {
		f.picker.SetSelected(m.choice)
	}
	for e, text := range map[*widget.Entry]string{
		f.name: m.name, f.tenant: m.tenant, f.clientID: m.clientID, f.secret: m.secret,
		f.redirect: m.redirect, f.qaScopes: m.qaScopes, f.qaState: m.qaState, f.dataService: m.dataService,
	} {
		if e.Text != text {
			e.SetText(text)
		}
	}
	for c, on := range map[*widget.Check]bool{f.scopeRead: m.scopeRead, f.scopeWrite: m.scopeWrite, f.pkce: m.pkce, f.dataConfirm: m.dataServiceConfirmed} {
		if c.Checked != on {
			c.SetChecked(on)
		}
	}
	for r, choice := range map[*widget.RadioGroup]string{f.kind: m.kind, f.autoApprove: m.autoApprove, f.callback: m.callback} {
		if r.Selected != choice {
			r.SetSelected(choice)
		}
	}
	vis := m.visible()
	showIf(f.demoNote, vis.demoNote)
	showIf(f.tenantForm, vis.tenantForm)
	showIf(f.redirectForm, vis.redirectForm)
	showIf(f.browserForm, vis.browserForm)
	showIf(f.consent, vis.browserForm && f.do.consentCheck != nil)
	showIf(f.advanced, vis.tenantForm)
	f.renderDataService(vis.dataServiceConfirm)
	saved := vis.profileFile && f.do.profiles.get(m.choice) != nil
	enable(f.export, saved || (vis.profileFile && f.launched(m.choice)))
	enable(f.remove, saved)
	f.renderScheme()
	f.renderProblems()
	f.renderKeyring()
	f.scopeNames.SetText(scopeNames(m))
	if m.choice != choiceNew && m.choice != "" {
		f.do.profiles.setQA(m.choice, m.qa())
	}
}

// scopeNames are the scopes signing in asks for, by name: the permission
// ticks', and those of the tenant's own the profile has, which have no tick.
func scopeNames(m formModel) string {
	short := map[string]string{auth.ScopeRead: "APIRead", auth.ScopeWrite: "APIWrite"}
	var names []string
	for _, s := range m.scopes() {
		if n, ok := short[s]; ok {
			s = n
		}
		names = append(names, s)
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, " ")
}

// launched reports whether choice is the --profile the app started with.
func (f *profileForm) launched(choice string) bool {
	return f.do.launch != nil && f.do.launch.Name == choice
}

// renderProblems shows, once Sign in was pressed, what is wrong beside
// each field, and where the tenant signs in once it can be read.
func (f *profileForm) renderProblems() {
	problems := f.model.problems(f.secretKnown())
	for i, note := range f.notes {
		msg := ""
		if f.attempted {
			msg = problems[i]
		}
		note.Importance = widget.DangerImportance
		if field(i) == fieldTenant && msg == "" {
			msg, note.Importance = f.model.tenantHint(), widget.LowImportance
		}
		setNote(note, msg) // SetText refreshes: a new Importance shows too
	}
	if f.attempted && len(problems.names()) == 0 {
		f.attempted = false
		f.setMessage("")
	}
}

// secretKnown reports whether signing in needs no typed client secret: one
// comes from the environment, or the profile as typed is the saved one
// (or the --profile one), whose secret the keyring keeps.
func (f *profileForm) secretKnown() bool {
	if os.Getenv(auth.SecretEnv) != "" {
		return true
	}
	p, err := f.model.profile()
	if err != nil || f.secretGone[p.Name] {
		return false
	}
	if old := f.do.profiles.get(p.Name); old != nil {
		return sameBinding(old, p)
	}
	return f.launched(p.Name) && sameBinding(f.do.launch, p)
}

// renderDataService names, on the tick, the address that would receive
// the sign-in, and opens the advanced options when there is one to confirm.
func (f *profileForm) renderDataService(show bool) {
	showIf(f.dataConfirm, show)
	if !show {
		return
	}
	text := "Send my sign-in to " + auth.DisplayOrigin(f.model.dataServiceElsewhere()) + " too (it is not my tenant's address)"
	if f.dataConfirm.Text != text {
		f.dataConfirm.SetText(text)
	}
	if !f.model.dataServiceConfirmed {
		f.advanced.Open(0)
	}
}

func showIf(o fyne.CanvasObject, on bool) {
	if on != o.Visible() {
		if on {
			o.Show()
		} else {
			o.Hide()
		}
	}
}

// renderScheme says whether the custom scheme opens this app here, and
// offers to register it; a loopback warning (localhost) shows here too.
// Whether a scheme is registered is read from files (or the registry), so
// it is checked in the background, once per scheme.
func (f *profileForm) renderScheme() {
	scheme := f.model.scheme()
	check, start := f.schemeCheck(scheme)
	note := f.model.schemeNote(f.do.schemes != nil, check)
	f.schemeNote.SetText(note.text)
	showIf(f.register, note.register)
	showIf(f.schemeRow, note.show)
	if start {
		f.startCheck(scheme)
	}
}

// schemeCheck is what is known about scheme, and whether to start checking.
func (f *profileForm) schemeCheck(scheme string) (schemeCheck, bool) {
	if scheme == "" || f.do.schemes == nil {
		return schemeCheck{}, false
	}
	if c, ok := f.checks[scheme]; ok {
		return *c, false
	}
	return schemeCheck{}, true
}

func (f *profileForm) startCheck(scheme string) {
	c := &schemeCheck{}
	f.checks[scheme] = c
	reg := f.do.schemes
	f.do.goFn(func() {
		ok, err := reg.Registered(scheme)
		f.do.do(func() {
			if f.checks[scheme] != c {
				return // asked again since (it was registered)
			}
			*c = schemeCheck{done: true, registered: ok, err: err}
			f.renderScheme()
		})
	})
}

// schemeRegistered checks scheme again.
func (f *profileForm) schemeRegistered(scheme string) {
	delete(f.checks, scheme)
	f.renderScheme()
}

// refreshPicker lists the demo, the saved profiles and "New profile…".
func (f *profileForm) refreshPicker() {
	f.picker.Options = append(append([]string{choiceDemo}, f.do.profiles.names()...), choiceNew)
	f.picker.Refresh()
}

// show selects a profile on the form; nil means the demo tenant.
func (f *profileForm) show(p *auth.Profile) {
	f.refreshPicker()
	name := choiceDemo
	if p != nil && !p.Demo {
		name = p.Name
		if f.do.profiles.get(p.Name) == nil {
			// A --profile not saved yet: offer it all the same.
			f.picker.Options = append([]string{choiceDemo, p.Name}, f.picker.Options[1:]...)
		}
	}
	f.showChoice(name, p)
}

// showChoice shows p as choice with its remembered QA choices; the QA
// options open when they send anything but the defaults.
func (f *profileForm) showChoice(choice string, p *auth.Profile) {
	f.attempted = false
	f.model = f.model.withProfile(choice, p).withQA(f.do.profiles.qa(choice))
	if f.model.qaSet() {
		f.qa.Open(0)
	} else {
		f.qa.Close(0)
	}
	// A data service of the profile's own is where People come from:
	// it shows, not folded away where nobody would think to look.
	if strings.TrimSpace(f.model.dataService) != "" && !f.model.demo() {
		f.advanced.Open(0)
	} else {
		f.advanced.Close(0)
	}
	f.render()
	f.setMessage("")
}

// pick shows the profile chosen in the picker.
func (f *profileForm) pick(choice string) {
	var p *auth.Profile
	switch choice {
	case choiceDemo:
	case choiceNew:
		p = &auth.Profile{RedirectURI: defaultRedirect, Scopes: []string{auth.ScopeRead}}
	default:
		if p = f.do.profiles.get(choice); p == nil && f.do.launch != nil && f.do.launch.Name == choice {
			p = f.do.launch
		}
	}
	f.showChoice(choice, p)
}

// focusFirst puts the cursor in the first field to fix, for the keyboard.
func (f *profileForm) focusFirst(problems fieldProblems) {
	inputs := map[field]*widget.Entry{fieldTenant: f.tenant, fieldClientID: f.clientID, fieldSecret: f.secret,
		fieldRedirect: f.redirect, fieldDataService: f.dataService, fieldQAScopes: f.qaScopes}
	for i, msg := range problems {
		if e := inputs[field(i)]; msg != "" && e != nil && f.do.win != nil {
			f.do.win.Canvas().Focus(e)
			return
		}
	}
}

// listed is names joined as in a sentence: "A", "A and B", "A, B and C".
func listed(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func (f *profileForm) setMessage(msg string) { f.say(msg, toneError) }

// toneImportance colours each tone of message.
var toneImportance = map[tone]widget.Importance{
	toneError: widget.DangerImportance, toneWarning: widget.WarningImportance,
	toneDone: widget.SuccessImportance, toneInfo: widget.MediumImportance,
}

// say shows msg under the form, coloured by what it means; its technical
// cause, if it has one, waits under Details.
func (f *profileForm) say(msg string, t tone) {
	plain, details := splitDetails(msg)
	f.message.Importance = toneImportance[t]
	setNote(f.message, plain)
	f.messageDetail.SetText(details)
	f.messageDetails.CloseAll()
	showIf(f.messageDetails, details != "")
}

// needSecret asks, beside the field, for the client secret of the profile
// shown: the keyring turned out to have none for it.
func (f *profileForm) needSecret() {
	if p, err := f.model.profile(); err == nil {
		f.secretGone[p.Name] = true
	}
	f.attempted = true
	f.render()
}

func (f *profileForm) clearSecret() {
	f.model.secret = ""
	f.render()
}

// setKeyringProblem explains that nothing can be saved, and turns signing
// in into a session-only sign-in.
func (f *profileForm) setKeyringProblem(err error) {
	f.keyringErr = err
	f.renderKeyring()
}

// renderKeyring says, for a profile, that the keyring cannot be used; the
// keyring's own message waits under Details. The demo saves nothing in
// any case, so it has nothing to say there.
func (f *profileForm) renderKeyring() {
	show := f.keyringErr != nil && !f.model.demo()
	showIf(f.keyringBox, show)
	text := "Sign in"
	if show {
		f.keyringNote.SetText(errorText(keyring.ErrUnavailable) + " " +
			"You can still sign in for this session only: nothing is written to disk, and you will sign in again next time.")
		f.keyringDetail.SetText(f.keyringErr.Error())
		text = "Sign in for this session only"
	}
	if f.signIn.Text != text {
		f.signIn.SetText(text)
	}
}

// submit validates, saves the profile and starts signing in; errors stay on
// the form with everything typed still there.
func (f *profileForm) submit() {
	if p, secret, ok := f.ready(); ok {
		f.do.signIn(p, secret)
	}
}

// checkConsent is "Consent check…": the same checks and saving as Sign in,
// then the consent check of the profile instead of a sign-in.
func (f *profileForm) checkConsent() {
	if f.do.consentCheck == nil {
		return
	}
	if p, secret, ok := f.ready(); ok {
		f.do.consentCheck(p, secret)
	}
}

// ready validates the form and saves its profile, returning it with the
// secret typed; when it is not ready, it says why beside each field.
func (f *profileForm) ready() (*auth.Profile, string, bool) {
	if problems := f.model.problems(f.secretKnown()); len(problems.names()) > 0 {
		f.attempted = true
		f.render()
		f.setMessage("Please check " + listed(problems.names()) + ": what needs changing is written in red beside each.")
		f.focusFirst(problems)
		return nil, "", false
	}
	secret := f.model.secret
	p, err := f.model.profile()
	if err == nil && strings.TrimSpace(secret) != "" {
		delete(f.secretGone, p.Name)
	}
	if err != nil {
		f.setMessage(errorText(err))
		return nil, "", false
	}
	if !p.Demo {
		f.do.profiles.save(p)
		f.do.profiles.setQA(p.Name, f.model.qa())
		f.do.profiles.setCurrent(p.Name)
		f.refreshPicker()
		if f.model.choice != p.Name {
			f.model = f.model.withProfile(p.Name, p)
			f.render()
			f.setMessage("")
		}
	} else {
		f.do.profiles.setCurrent("")
	}
	return p, secret, true
}

// confirmRemove deletes the selected profile and its keyring entries.
func (f *profileForm) confirmRemove() {
	if p := f.do.profiles.get(f.model.choice); p != nil {
		f.do.confirmDelete(p, func() { f.do.remove(p) })
	}
}

func (f *profileForm) importDialog() {
	f.do.files.openFile("Import a profile", ".json", auth.MaxProfileFile, f.importFrom, func(err error) {
		f.setMessage("Could not read the file: " + errorText(err))
	})
}

// importFrom reads a profile file and hands it to the controller, which
// adds and selects it.
func (f *profileForm) importFrom(r io.Reader) {
	p, err := importProfile(r)
	if err != nil {
		f.setMessage(errorText(err))
		return
	}
	f.do.importProfile(p)
}

func (f *profileForm) exportDialog() {
	p, err := f.model.profile()
	if err != nil {
		f.setMessage(errorText(err))
		return
	}
	f.do.files.saveAs("Export the profile", safeFileName(p.Name)+".json", ".json", f.exportToPath, func() {
		f.setMessage("Profiles can be exported to files on this computer only.")
	})
}

// exportToPath writes the profile the form shows to path, off the UI
// goroutine (atomicfile: a failed write leaves an older file whole).
func (f *profileForm) exportToPath(path string) {
	var buf bytes.Buffer
	if err := f.exportTo(&buf); err != nil {
		f.setMessage("Could not export the profile: " + errorText(err))
		return
	}
	f.do.goFn(func() {
		err := atomicfile.WriteBytes(path, 0o644, buf.Bytes())
		f.do.do(func() {
			if err != nil {
				f.setMessage("Could not export the profile: " + errorText(err))
				return
			}
			f.say("Profile exported to "+path, toneDone)
			f.do.state("profile-exported", "path", path)
		})
	})
}

// exportTo writes the profile the form shows, as Export… saves it.
func (f *profileForm) exportTo(w io.Writer) error {
	p, err := f.model.profile()
	if err != nil {
		return err
	}
	return exportProfile(w, p)
}

func safeFileName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) {
			return '-'
		}
		return r
	}, s)
	if s == "" {
		return "profile"
	}
	return s
}
