package ui

import (
	"io"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
)

const (
	choiceDemo = "Demo tenant (built-in sandbox)"
	choiceNew  = "New profile…"

	callbackLoopback = "Loopback listener (http://127.0.0.1)"
	callbackScheme   = "Custom scheme (x-cez://)"

	kindBrowser = "Sign in in the browser"
	kindService = "Service account (client credentials)"
)

// Auto-approve choices as shown; the profile stores omit/true/false.
var autoApproveChoices = []string{"Omit", "true", "false"}

// defaultRedirect is offered for new profiles: a loopback URI with a fixed
// port, which is what Cezanne support registers for desktop apps here.
const defaultRedirect = "http://127.0.0.1:47613/oauth-callback/"

// profileForm is the sign-in form: which profile (tenant and client), and
// how to ask for access.
type profileForm struct {
	app *App

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
	callback    *widget.RadioGroup
	schemeNote  *widget.Label
	register    *widget.Button
	schemeRow   *fyne.Container
	demoNote    *widget.Label
	keyringNote *widget.Label
	message     *widget.Label
	signIn      *widget.Button
	export      *widget.Button
	remove      *widget.Button

	tenantForm   *widget.Form
	redirectForm *widget.Form
	browserForm  *widget.Form
	content      fyne.CanvasObject
}

func newProfileForm(a *App) *profileForm {
	f := &profileForm{app: a}
	f.name = widget.NewEntry()
	f.name.SetPlaceHolder("e.g. Production (defaults to the tenant)")
	f.tenant = widget.NewEntry()
	f.tenant.SetPlaceHolder("w3   or   https://w3.cezanneondemand.com/CezanneOnDemand")
	f.clientID = widget.NewEntry()
	f.clientID.SetPlaceHolder("oauth2democlient.app.cezannehr.com")
	f.secret = widget.NewPasswordEntry()
	f.secret.SetPlaceHolder("Kept in your system keyring; leave empty to use the saved one")
	f.redirect = widget.NewEntry()
	f.redirect.SetPlaceHolder(defaultRedirect)
	f.scopeRead = widget.NewCheck("APIRead (read people)", nil)
	f.scopeWrite = widget.NewCheck("APIWrite (change data)", nil)
	f.autoApprove = widget.NewRadioGroup(autoApproveChoices, nil)
	f.autoApprove.Horizontal = true
	f.autoApprove.Required = true
	f.pkce = widget.NewCheck("Use PKCE (recommended)", nil)
	f.qaScopes = widget.NewEntry()
	f.qaScopes.SetPlaceHolder("more scopes for this sign-in, separated by spaces")
	f.qaState = widget.NewEntry()
	f.qaState.SetPlaceHolder("empty: a fresh random state (recommended)")
	f.callback = widget.NewRadioGroup([]string{callbackLoopback, callbackScheme}, f.pickCallback)
	f.callback.Required = true
	f.schemeNote = widget.NewLabel("")
	f.schemeNote.Wrapping = fyne.TextWrapWord
	f.register = widget.NewButton("Register", func() {
		if scheme := f.scheme(); scheme != "" {
			a.askToRegister(scheme, func() { f.setMessage("") })
		}
	})
	f.schemeRow = container.NewBorder(nil, nil, nil, f.register, f.schemeNote)
	f.redirect.OnChanged = func(string) { f.syncCallback(); f.updateScheme() }
	f.kind = widget.NewRadioGroup([]string{kindBrowser, kindService}, func(string) { f.layoutKind(); f.updateScheme() })
	f.kind.Required = true
	f.demoNote = wrapped("The demo tenant is a simulated Cezanne tenant that runs on this computer with made-up people. "+
		"Sign in as hrprof@sandbox.cezannehr.com with the password demo1234. Nothing is saved when you close the app.", widget.MediumImportance)
	f.keyringNote = wrapped("", widget.WarningImportance)
	f.keyringNote.Hide()
	f.message = wrapped("", widget.DangerImportance)
	f.message.Hide()
	f.signIn = widget.NewButton("Sign in", f.submit)
	f.signIn.Importance = widget.HighImportance

	f.picker = widget.NewSelect(nil, f.pick)
	importButton := widget.NewButton("Import…", f.importDialog)
	f.export = widget.NewButton("Export…", f.exportDialog)
	f.remove = widget.NewButton("Delete", f.confirmRemove)

	f.tenantForm = widget.NewForm(
		widget.NewFormItem("Sign-in type", f.kind),
		widget.NewFormItem("Profile name", f.name),
		widget.NewFormItem("Tenant", f.tenant),
		widget.NewFormItem("Client ID", f.clientID),
		widget.NewFormItem("Client secret", f.secret),
	)
	f.redirectForm = widget.NewForm(widget.NewFormItem("Redirect URI", f.redirect))
	scopes := widget.NewForm(widget.NewFormItem("Scopes", container.NewHBox(f.scopeRead, f.scopeWrite)))
	f.browserForm = widget.NewForm(
		widget.NewFormItem("auto_approve", f.autoApprove),
		widget.NewFormItem("", f.pkce),
	)
	// QA staff test how the tenant treats what the app sends; HR staff never
	// need these, so they stay folded away and are not saved with the profile.
	qa := widget.NewAccordion(widget.NewAccordionItem("QA options for this sign-in", widget.NewForm(
		widget.NewFormItem("Extra scopes", f.qaScopes),
		widget.NewFormItem("Custom state", f.qaState),
		widget.NewFormItem("Receive the callback on", f.callback),
	)))
	title := widget.NewLabelWithStyle("Sign in to Cezanne HR", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = "headingText"
	profileRow := container.NewBorder(nil, nil, widget.NewLabel("Profile"), container.NewHBox(importButton, f.export, f.remove), f.picker)
	body := container.NewVBox(
		title, profileRow, f.demoNote,
		f.tenantForm, f.redirectForm, f.schemeRow, scopes, f.browserForm, qa,
		f.keyringNote, f.message,
		container.NewBorder(nil, nil, f.signIn, widget.NewButton("About", a.showAbout)),
	)
	f.content = container.NewCenter(container.NewGridWrap(fyne.NewSize(720, 740), container.NewVScroll(body)))
	return f
}

func wrapped(text string, importance widget.Importance) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.Importance = importance
	return l
}

// refreshPicker lists the demo, the saved profiles and "New profile…".
func (f *profileForm) refreshPicker() {
	f.picker.Options = append(append([]string{choiceDemo}, f.app.profiles.names()...), choiceNew)
	f.picker.Refresh()
}

// show selects a profile on the form; nil means the demo tenant.
func (f *profileForm) show(p *auth.Profile) {
	f.refreshPicker()
	name := choiceDemo
	if p != nil && !p.Demo {
		name = p.Name
		if f.app.profiles.get(p.Name) == nil {
			// A --profile not saved yet: offer it all the same.
			f.picker.Options = append([]string{choiceDemo, p.Name}, f.picker.Options[1:]...)
		}
	}
	f.fill(p)
	f.picker.SetSelected(name)
}

func (f *profileForm) pick(choice string) {
	switch choice {
	case choiceDemo:
		f.fill(nil)
	case choiceNew:
		f.fill(&auth.Profile{RedirectURI: defaultRedirect, Scopes: []string{auth.ScopeRead}})
	default:
		if p := f.app.profiles.get(choice); p != nil {
			f.fill(p)
		} else if f.app.opts.Profile != nil && f.app.opts.Profile.Name == choice {
			f.fill(f.app.opts.Profile)
		}
	}
	f.setMessage("")
}

// fill shows a profile's settings; nil means the demo tenant.
func (f *profileForm) fill(p *auth.Profile) {
	demo := p == nil || p.Demo
	if demo {
		p = &auth.Profile{Scopes: []string{auth.ScopeRead}, RedirectURI: defaultRedirect}
	}
	f.name.SetText(p.Name)
	if p.BaseURL != "" {
		f.tenant.SetText(p.BaseURL)
	} else {
		f.tenant.SetText(p.Subdomain)
	}
	f.clientID.SetText(p.ClientID)
	f.secret.SetText("")
	f.redirect.SetText(p.RedirectURI)
	if f.redirect.Text == "" {
		f.redirect.SetText(defaultRedirect)
	}
	f.scopeRead.SetChecked(slices.Contains(p.Scopes, auth.ScopeRead))
	f.scopeWrite.SetChecked(slices.Contains(p.Scopes, auth.ScopeWrite))
	switch p.AutoApprove {
	case auth.AutoApproveTrue, auth.AutoApproveFalse:
		f.autoApprove.SetSelected(p.AutoApprove)
	default:
		f.autoApprove.SetSelected("Omit")
	}
	f.pkce.SetChecked(p.UsePKCE())
	if p.ServiceAccount() {
		f.kind.SetSelected(kindService)
	} else {
		f.kind.SetSelected(kindBrowser)
	}
	if demo {
		f.demoNote.Show()
		f.tenantForm.Hide()
		f.redirectForm.Hide()
		f.export.Disable()
		f.remove.Disable()
	} else {
		f.demoNote.Hide()
		f.tenantForm.Show()
		f.export.Enable()
		f.remove.Enable()
	}
	f.layoutKind()
	f.syncCallback()
	f.updateScheme()
}

// pickCallback switches where the callback is received: for the demo
// tenant its loopback or x-cez client, for a profile the redirect URI.
func (f *profileForm) pickCallback(choice string) {
	if f.picker.Selected != choiceDemo && f.picker.Selected != "" {
		r, _ := auth.ParseRedirectURI(f.redirect.Text)
		isScheme := r != nil && r.Kind == auth.RedirectCustomScheme
		switch {
		case choice == callbackScheme && !isScheme:
			f.redirect.SetText(defaultCustomRedirect)
		case choice == callbackLoopback && (isScheme || r == nil):
			f.redirect.SetText(defaultRedirect)
		}
	}
	f.updateScheme()
}

// syncCallback shows the redirect URI's kind on the switch.
func (f *profileForm) syncCallback() {
	if f.picker.Selected == choiceDemo || f.picker.Selected == "" {
		if f.callback.Selected == "" {
			f.callback.SetSelected(callbackLoopback)
		}
		return
	}
	want := callbackLoopback
	if r, err := auth.ParseRedirectURI(f.redirect.Text); err == nil && r.Kind == auth.RedirectCustomScheme {
		want = callbackScheme
	}
	if f.callback.Selected != want {
		f.callback.SetSelected(want)
	}
}

// scheme is the custom scheme the form would sign in with, or "".
func (f *profileForm) scheme() string {
	if f.picker.Selected == choiceDemo || f.picker.Selected == "" {
		if f.callback.Selected == callbackScheme {
			return "x-cez"
		}
		return ""
	}
	r, err := auth.ParseRedirectURI(f.redirect.Text)
	if err != nil || r.Kind != auth.RedirectCustomScheme || f.kind.Selected == kindService {
		return ""
	}
	return r.URL.Scheme
}

// updateScheme says whether the custom scheme opens this app here, and
// offers to register it; a loopback warning (localhost) shows here too.
func (f *profileForm) updateScheme() {
	if f.schemeRow == nil {
		return
	}
	scheme := f.scheme()
	if scheme == "" {
		f.register.Hide()
		if r, err := auth.ParseRedirectURI(f.redirect.Text); err == nil && r.Warning != "" && f.redirectForm.Visible() {
			f.schemeNote.SetText(r.Warning)
			f.schemeRow.Show()
			return
		}
		f.schemeRow.Hide()
		return
	}
	f.schemeRow.Show()
	if f.app.opts.Schemes == nil {
		f.schemeNote.SetText(scheme + ":// links cannot be received by this build.")
		f.register.Hide()
		return
	}
	ok, err := f.app.opts.Schemes.Registered(scheme)
	switch {
	case err != nil:
		f.schemeNote.SetText("Could not check whether " + scheme + ":// links open this app: " + errorText(err))
		f.register.Show()
	case ok:
		f.schemeNote.SetText(scheme + ":// links open Cezanne HR Desktop on this computer.")
		f.register.Hide()
	default:
		f.schemeNote.SetText(scheme + ":// links do not open Cezanne HR Desktop on this computer yet; the browser could not hand back the sign-in.")
		f.register.Show()
	}
}

// layoutKind hides what a service account does not use.
func (f *profileForm) layoutKind() {
	demo := f.picker.Selected == choiceDemo || f.picker.Selected == ""
	if f.kind.Selected == kindService && !demo {
		f.redirectForm.Hide()
		f.browserForm.Hide()
		return
	}
	if !demo {
		f.redirectForm.Show()
	}
	f.browserForm.Show()
}

func (f *profileForm) setMessage(msg string) { setNote(f.message, msg) }

// setKeyringProblem explains that nothing can be saved, and turns signing
// in into a session-only sign-in.
func (f *profileForm) setKeyringProblem(err error) {
	if err == nil {
		f.keyringNote.Hide()
		f.signIn.SetText("Sign in")
		return
	}
	f.keyringNote.SetText(errorText(keyring.ErrUnavailable) + " (" + err.Error() + "). " +
		"You can still sign in for this session only: nothing is written to disk, and you will sign in again next time.")
	f.keyringNote.Show()
	f.signIn.SetText("Sign in for this session only")
}

// profile reads the form into a validated profile.
func (f *profileForm) profile() (*auth.Profile, error) {
	p := &auth.Profile{
		Name:        f.name.Text,
		ClientID:    f.clientID.Text,
		RedirectURI: f.redirect.Text,
		AutoApprove: strings.ToLower(f.autoApprove.Selected),
	}
	if f.scopeRead.Checked {
		p.Scopes = append(p.Scopes, auth.ScopeRead)
	}
	if f.scopeWrite.Checked {
		p.Scopes = append(p.Scopes, auth.ScopeWrite)
	}
	pkce := f.pkce.Checked
	p.PKCE = &pkce
	if f.picker.Selected == choiceDemo {
		p.Demo, p.ClientID, p.RedirectURI = true, "demo", defaultRedirect
		if f.callback.Selected == callbackScheme {
			p.RedirectURI = defaultCustomRedirect
		}
		return p, p.Normalize()
	}
	if f.kind.Selected == kindService {
		p.GrantType = auth.GrantServiceAccount
	}
	if t := strings.TrimSpace(f.tenant.Text); strings.Contains(t, "://") {
		p.BaseURL = t
	} else {
		p.Subdomain = t
	}
	return p, p.Normalize()
}

// submit validates, saves the profile and starts signing in; errors stay on
// the form with everything typed still there.
func (f *profileForm) submit() {
	secret := f.secret.Text
	p, err := f.profile()
	if err != nil {
		f.setMessage(errorText(err))
		return
	}
	if !p.Demo {
		f.app.profiles.save(p)
		f.app.profiles.setCurrent(p.Name)
		f.refreshPicker()
		if f.picker.Selected != p.Name {
			f.picker.SetSelected(p.Name)
		}
	} else {
		f.app.profiles.setCurrent("")
	}
	f.app.signIn(p, secret)
}

func (f *profileForm) importDialog() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		defer rc.Close()
		f.importFrom(rc)
	}, f.app.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".json"}))
	d.Show()
}

// importFrom adds a profile from a file and selects it.
func (f *profileForm) importFrom(r io.Reader) {
	p, err := importProfile(r)
	if err != nil {
		f.setMessage(errorText(err))
		return
	}
	f.app.profiles.save(p)
	f.show(p)
	f.setMessage("")
	f.app.state("profile-imported", "profile", p.Name)
}

func (f *profileForm) exportDialog() {
	p, err := f.profile()
	if err != nil {
		f.setMessage(errorText(err))
		return
	}
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		defer wc.Close()
		if err := exportProfile(wc, p); err != nil {
			f.setMessage("Could not export the profile: " + errorText(err))
		}
	}, f.app.win)
	d.SetFileName(safeFileName(p.Name) + ".json")
	d.Show()
}

// confirmRemove deletes the selected profile and its keyring entries.
func (f *profileForm) confirmRemove() {
	name := f.picker.Selected
	p := f.app.profiles.get(name)
	if p == nil {
		return
	}
	dialog.ShowConfirm("Delete "+name+"?",
		"The profile and its saved sign-in and client secret will be removed from this computer.",
		func(ok bool) {
			if ok {
				f.app.removeProfile(p)
			}
		}, f.app.win)
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

// qaOptions are the per-run QA settings: scopes to add to the profile's,
// and a state to send instead of a random one.
func (f *profileForm) qaOptions() (extraScopes []string, state string) {
	return strings.Fields(f.qaScopes.Text), strings.TrimSpace(f.qaState.Text)
}
