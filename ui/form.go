package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
)

const (
	choiceDemo   = "Demo tenant (built-in sandbox)"
	choiceTenant = "Your Cezanne tenant"
)

// Auto-approve choices as shown; the profile stores omit/true/false.
var autoApproveChoices = []string{"Omit", "true", "false"}

// defaultRedirect is offered for new profiles: a loopback URI with a fixed
// port, which is what Cezanne support registers for desktop apps here.
const defaultRedirect = "http://127.0.0.1:47613/oauth-callback/"

// profileForm is the first-run form: which tenant, which client, how to ask.
type profileForm struct {
	app *App

	choice      *widget.RadioGroup
	name        *widget.Entry
	tenant      *widget.Entry
	clientID    *widget.Entry
	secret      *widget.Entry
	redirect    *widget.Entry
	scopeRead   *widget.Check
	scopeWrite  *widget.Check
	autoApprove *widget.RadioGroup
	pkce        *widget.Check
	demoNote    *widget.Label
	tenantForm  *widget.Form
	message     *widget.Label
	signIn      *widget.Button
	content     fyne.CanvasObject
}

func newProfileForm(a *App, p *auth.Profile) *profileForm {
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
	f.demoNote = widget.NewLabel("The demo tenant is a simulated Cezanne tenant that runs on this computer with made-up people. " +
		"Sign in as hrprof@sandbox.cezannehr.com with the password demo1234. Nothing is saved when you close the app.")
	f.demoNote.Wrapping = fyne.TextWrapWord
	f.demoNote.Importance = widget.MediumImportance
	f.message = widget.NewLabel("")
	f.message.Wrapping = fyne.TextWrapWord
	f.message.Importance = widget.DangerImportance
	f.message.Hide()
	f.signIn = widget.NewButton("Sign in", f.submit)
	f.signIn.Importance = widget.HighImportance

	f.tenantForm = widget.NewForm(
		widget.NewFormItem("Profile name", f.name),
		widget.NewFormItem("Tenant", f.tenant),
		widget.NewFormItem("Client ID", f.clientID),
		widget.NewFormItem("Client secret", f.secret),
		widget.NewFormItem("Redirect URI", f.redirect),
	)
	requestForm := widget.NewForm(
		widget.NewFormItem("Scopes", container.NewHBox(f.scopeRead, f.scopeWrite)),
		widget.NewFormItem("auto_approve", f.autoApprove),
		widget.NewFormItem("", f.pkce),
	)
	f.choice = widget.NewRadioGroup([]string{choiceDemo, choiceTenant}, f.choose)
	f.choice.Required = true
	f.fill(p)
	title := widget.NewLabelWithStyle("Sign in to Cezanne HR", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = "headingText"
	body := container.NewVBox(
		title,
		f.choice,
		f.demoNote,
		f.tenantForm,
		requestForm,
		f.message,
		container.NewHBox(f.signIn),
	)
	f.content = container.NewCenter(container.NewGridWrap(fyne.NewSize(680, 560), container.NewVScroll(body)))
	return f
}

// fill shows a profile; nil means nothing is configured yet: the demo.
func (f *profileForm) fill(p *auth.Profile) {
	f.scopeRead.SetChecked(true)
	f.autoApprove.SetSelected("Omit")
	f.pkce.SetChecked(true)
	f.redirect.SetText(defaultRedirect)
	if p == nil || p.Demo {
		f.choice.SetSelected(choiceDemo)
		return
	}
	if p.BaseURL != "" {
		f.tenant.SetText(p.BaseURL)
	} else {
		f.tenant.SetText(p.Subdomain)
	}
	f.name.SetText(p.Name)
	f.clientID.SetText(p.ClientID)
	f.redirect.SetText(p.RedirectURI)
	f.scopeRead.SetChecked(containsScope(p.Scopes, auth.ScopeRead))
	f.scopeWrite.SetChecked(containsScope(p.Scopes, auth.ScopeWrite))
	switch p.AutoApprove {
	case auth.AutoApproveTrue, auth.AutoApproveFalse:
		f.autoApprove.SetSelected(p.AutoApprove)
	}
	f.pkce.SetChecked(p.UsePKCE())
	f.choice.SetSelected(choiceTenant)
}

func (f *profileForm) choose(choice string) {
	if choice == choiceDemo {
		f.demoNote.Show()
		f.tenantForm.Hide()
	} else {
		f.demoNote.Hide()
		f.tenantForm.Show()
	}
	f.setMessage("")
}

func (f *profileForm) setMessage(msg string) {
	f.message.SetText(msg)
	if msg == "" {
		f.message.Hide()
	} else {
		f.message.Show()
	}
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
	if f.choice.Selected == choiceDemo {
		p.Demo = true
		p.ClientID = "demo"
		p.RedirectURI = defaultRedirect
		return p, p.Normalize()
	}
	if t := strings.TrimSpace(f.tenant.Text); strings.Contains(t, "://") {
		p.BaseURL = t
	} else {
		p.Subdomain = t
	}
	return p, p.Normalize()
}

// submit validates and starts signing in; errors stay on the form.
func (f *profileForm) submit() {
	p, err := f.profile()
	if err != nil {
		f.setMessage(errorText(err))
		return
	}
	if !p.Demo {
		saveProfile(f.app.fyneApp.Preferences(), p)
	}
	f.app.signIn(p, f.secret.Text)
}

func containsScope(scopes []string, s string) bool {
	for _, v := range scopes {
		if v == s {
			return true
		}
	}
	return false
}
