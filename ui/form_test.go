package ui

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

// countingRegistration counts the checks of whether a scheme is registered.
type countingRegistration struct {
	fakeRegistration
	checks int
}

func (r *countingRegistration) Registered(s string) (bool, error) {
	r.checks++
	return r.fakeRegistration.Registered(s)
}

// newTestForm is a form on its own, with background work queued.
func newTestForm(t *testing.T) (*profileForm, *countingRegistration, *[]func()) {
	t.Helper()
	test.NewTempApp(t)
	reg := &countingRegistration{}
	var queue []func()
	f := newProfileForm(formActions{
		profiles: profileList{mapPrefs{}},
		schemes:  reg,
		goFn:     func(f func()) { queue = append(queue, f) },
		do:       func(f func()) { f() },
	})
	f.show(saved("Sandbox"))
	return f, reg, &queue
}

func runQueue(q *[]func()) {
	for len(*q) > 0 {
		f := (*q)[0]
		*q = (*q)[1:]
		f()
	}
}

// One change renders once: rendering sets widgets, whose handlers must not
// change the model again and render once more (redirect → callback switch
// → redirect …).
func TestFormChangeRendersOnce(t *testing.T) {
	f, _, _ := newTestForm(t)
	tests := []struct {
		name   string
		change func()
		check  func() bool
	}{
		{"typing a scheme redirect", func() { f.redirect.SetText(defaultCustomRedirect) }, func() bool { return f.callback.Selected == callbackScheme }},
		{"switching the callback", func() { f.callback.SetSelected(callbackLoopback) }, func() bool { return f.redirect.Text == defaultRedirect }},
		{"choosing a service account", func() { f.kind.SetSelected(kindService) }, func() bool { return !f.redirectForm.Visible() && !f.browserForm.Visible() }},
		{"typing a name", func() { test.Type(f.name, "x") }, func() bool { return f.model.name == f.name.Text && f.name.Text != "Sandbox" }},
		{"choosing the demo", func() { f.picker.SetSelected(choiceDemo) }, func() bool { return f.demoNote.Visible() && !f.tenantForm.Visible() }},
		{"ticking a scope", func() { f.scopeWrite.SetChecked(true) }, func() bool { return f.model.scopeWrite }},
	}
	for _, tt := range tests {
		before := f.renders
		tt.change()
		if n := f.renders - before; n != 1 {
			t.Errorf("%s: %d renders, want 1", tt.name, n)
		}
		if !tt.check() {
			t.Errorf("%s: not shown (model %+v)", tt.name, f.model)
		}
	}
}

// Whether a scheme opens the app is read from files or the registry: not
// on the UI goroutine, and not on every keystroke.
func TestFormChecksASchemeOnceInTheBackground(t *testing.T) {
	f, reg, queue := newTestForm(t)
	f.redirect.SetText("x-cez://oauth-callback/")
	if reg.checks != 0 || f.schemeNote.Text != "Checking whether x-cez:// links open this app…" {
		t.Fatalf("checked on the UI goroutine (%d), note %q", reg.checks, f.schemeNote.Text)
	}
	runQueue(queue)
	if reg.checks != 1 || !f.register.Visible() {
		t.Fatalf("%d checks, register shown %v, note %q", reg.checks, f.register.Visible(), f.schemeNote.Text)
	}
	for _, typed := range []string{"x-cez://o", "x-cez://oa", "x-cez://oauth-callback/"} {
		f.redirect.SetText(typed)
		runQueue(queue)
	}
	if reg.checks != 1 {
		t.Fatalf("%d checks while typing the same scheme", reg.checks)
	}
	_ = reg.Register("x-cez")
	f.schemeRegistered("x-cez")
	runQueue(queue)
	if reg.checks != 2 || f.register.Visible() || f.schemeNote.Text != "x-cez:// links open Cezanne HR Desktop on this computer." {
		t.Fatalf("after registering: %d checks, note %q", reg.checks, f.schemeNote.Text)
	}
}

// A check that was asked again while it ran does not overwrite the newer one.
func TestFormIgnoresAStaleSchemeCheck(t *testing.T) {
	f, reg, queue := newTestForm(t)
	f.redirect.SetText(defaultCustomRedirect)
	stale := *queue
	*queue = nil
	_ = reg.Register("x-cez")
	f.schemeRegistered("x-cez")
	runQueue(queue)
	reg.schemes = nil // what the stale check would have seen
	runQueue(&stale)
	if f.register.Visible() {
		t.Fatalf("the stale check won: %q", f.schemeNote.Text)
	}
}

func TestFormValidationKeepsInput(t *testing.T) {
	h := newUIHarness(t, hrRobot(), nil)
	h.app.Start()
	f := h.app.form()
	f.picker.SetSelected(choiceNew)
	if !f.tenantForm.Visible() {
		t.Fatal("new profile hides the tenant fields")
	}
	test.Type(f.clientID, "my-client")
	test.Tap(f.signIn)
	if note := f.notes[fieldTenant]; !note.Visible() || !strings.Contains(note.Text, "Enter your tenant") {
		t.Fatalf("tenant note %q", note.Text)
	}
	if f.clientID.Text != "my-client" {
		t.Fatal("typed input lost")
	}
	f.tenant.SetText("http://hr.example.com/CezanneOnDemand")
	test.Tap(f.signIn)
	if note := f.notes[fieldTenant]; !note.Visible() || !strings.Contains(note.Text, "must use https") {
		t.Fatalf("tenant note %q", note.Text)
	}
}

func TestProfilesImportExportSwitch(t *testing.T) {
	h := newUIHarness(t, hrRobot(), nil)
	a := h.app
	a.Start()
	checkImportExport(t, h)
	signInToTwoProfiles(t, h)
	// Switching goes straight in from the keyring.
	opens := h.browserOpens()
	a.signedIn.switcher.SetSelected("Production")
	if a.signedIn == nil || a.ctl.profile.Name != "Production" || h.browserOpens() != opens {
		t.Fatalf("switch: signed in %v, profile %v, opens %d→%d", a.signedIn != nil, a.ctl.profile.Name, opens, h.browserOpens())
	}
	// Deleting a profile removes its keyring entries.
	a.ctl.removeProfile(a.ctl.profiles.get("Test tenant"))
	if a.ctl.profiles.get("Test tenant") != nil || stored(h.mem, "Test tenant", keyring.EntryRefreshToken) || stored(h.mem, "Test tenant", keyring.EntryClientSecret) {
		t.Fatal("deleted profile left behind")
	}
}

// checkImportExport imports the Production profile, as IT hands it out,
// refuses a file with a secret, and exports Production again.
func checkImportExport(t *testing.T, h *uiHarness) {
	t.Helper()
	a, f := h.app, h.app.form()
	// IT hands out a profile file: import it.
	prodJSON := fmt.Sprintf(`{"name":"Production","base_url":%q,"client_id":%q,"redirect_uri":%q,"scopes":["APIRead"],"auto_approve":"true"}`,
		h.tenant.BaseURL(), sandbox.ClientDesktopOnDemand, h.redirect())
	f.importFrom(strings.NewReader(prodJSON))
	if f.picker.Selected != "Production" || f.clientID.Text != sandbox.ClientDesktopOnDemand || f.autoApprove.Selected != "true" {
		t.Fatalf("imported profile not shown: %q %q %q", f.picker.Selected, f.clientID.Text, f.autoApprove.Selected)
	}
	f.importFrom(strings.NewReader(`{"name":"x","subdomain":"w3","client_id":"c","client_secret":"s","redirect_uri":"http://127.0.0.1:1/","scopes":["APIRead"]}`))
	if !strings.Contains(f.message.Text, "does not belong") {
		t.Fatalf("profile with a secret imported: %q", f.message.Text)
	}
	// Export writes the same format, with no secrets.
	var out bytes.Buffer
	if err := exportProfile(&out, a.ctl.profiles.get("Production")); err != nil {
		t.Fatal(err)
	}
	if back, err := importProfile(&out); err != nil || back.ClientID != sandbox.ClientDesktopOnDemand {
		t.Fatalf("export does not import again: %v", err)
	}
}

// signInToTwoProfiles signs in to Production (imported), out again, and to
// a new profile of another client.
func signInToTwoProfiles(t *testing.T, h *uiHarness) {
	t.Helper()
	a, f := h.app, h.app.form()
	// Sign in to two profiles of different clients.
	test.Type(f.secret, h.secretOf(sandbox.ClientDesktopOnDemand))
	test.Tap(f.signIn)
	if a.signedIn == nil {
		t.Fatalf("Production: %q", f.message.Text)
	}
	test.Tap(findButton(t, a, "Sign out"))
	a.signOutDialog.Hide()
	test.Tap(findButton(t, a, "Reload")) // still signed in to Production
	a.ctl.signOut(false)
	test.Tap(findButton(t, a, "Sign in")) // sign in to Production again
	f.picker.SetSelected(choiceNew)
	f.name.SetText("Test tenant")
	f.tenant.SetText(h.tenant.BaseURL())
	f.clientID.SetText(sandbox.ClientDesktopAutomatic)
	f.secret.SetText(h.secretOf(sandbox.ClientDesktopAutomatic))
	f.redirect.SetText(h.redirect())
	test.Tap(f.signIn)
	if a.signedIn == nil || a.ctl.profile.Name != "Test tenant" {
		t.Fatalf("Test tenant: %q", f.message.Text)
	}
	// Each profile has its own keyring entries.
	for _, name := range []string{"Production", "Test tenant"} {
		if !stored(h.mem, name, keyring.EntryRefreshToken) || !stored(h.mem, name, keyring.EntryClientSecret) {
			t.Fatalf("%s has no keyring entries of its own", name)
		}
	}
}

// TestFormImportAsksBeforeReplacing: Import… of a file named like a saved
// profile, for another tenant, shows a question; each answer does what it
// says and the form tells what happened.
func TestFormImportAsksBeforeReplacing(t *testing.T) {
	tests := []struct {
		button  string
		root    string // Production's tenant afterwards ("" means unchanged)
		message string
	}{
		{"Keep my profile", "", "Kept your saved profile Production"},
		{"Import as Production (2)", "", "Imported the file as Production (2)"},
		{"Replace Production", "https://evil.example.com/CezanneOnDemand", "Replaced the profile Production"},
	}
	for _, tt := range tests {
		t.Run(tt.button, func(t *testing.T) {
			h := newUIHarness(t, nil, nil)
			p, _ := h.profile("Production", sandbox.ClientDesktopOnDemand, nil)
			a := h.newApp(p)
			a.Start()
			crafted := fmt.Sprintf(`{"name":"Production","base_url":"https://evil.example.com/CezanneOnDemand","client_id":%q,"redirect_uri":%q,"scopes":["APIRead"]}`,
				sandbox.ClientDesktopOnDemand, h.redirect())
			a.form().importFrom(strings.NewReader(crafted))
			if got := a.ctl.profiles.get("Production"); got.Root() != p.Root() {
				t.Fatalf("the saved profile was replaced before anyone was asked: %s", got.Root())
			}
			confirmDialog(t, a, tt.button)
			want := tt.root
			if want == "" {
				want = p.Root()
			}
			if got := a.ctl.profiles.get("Production"); got.Root() != want {
				t.Fatalf("Production is for %s, want %s", got.Root(), want)
			}
			if !strings.Contains(a.form().message.Text, tt.message) {
				t.Fatalf("form says %q, want %q", a.form().message.Text, tt.message)
			}
		})
	}
}

// visibleTexts are the texts of the labels a person can see under o.
func visibleTexts(o fyne.CanvasObject) []string {
	if o == nil || !o.Visible() {
		return nil
	}
	switch w := o.(type) {
	case *widget.Label:
		return []string{w.Text}
	case *canvas.Text:
		return []string{w.Text}
	case *widget.Check:
		return []string{w.Text}
	case *fyne.Container:
		var out []string
		for _, c := range w.Objects {
			out = append(out, visibleTexts(c)...)
		}
		return out
	case fyne.Widget:
		var out []string
		for _, c := range test.WidgetRenderer(w).Objects() {
			out = append(out, visibleTexts(c)...)
		}
		return out
	}
	return nil
}

// showing reports whether a label containing text shows in the window.
func showing(a *App, text string) bool {
	for _, s := range visibleTexts(a.win.Content()) {
		if strings.Contains(s, text) {
			return true
		}
	}
	return false
}

// checkShowing checks that each of shows shows, and none of hides.
func checkShowing(t *testing.T, a *App, shows, hides []string) {
	t.Helper()
	for _, s := range shows {
		if !showing(a, s) {
			t.Errorf("%q does not show; the window shows %q", s, visibleTexts(a.win.Content()))
		}
	}
	for _, s := range hides {
		if showing(a, s) {
			t.Errorf("%q still shows", s)
		}
	}
}

func mustBeSignedIn(t *testing.T, h *uiHarness, f *profileForm) {
	t.Helper()
	if h.app.signedIn == nil {
		t.Fatalf("not signed in: %q", f.message.Text)
	}
}

// TestFormBehavesLikeAForm: a person fills in a new profile the way people
// fill in forms: every problem shows at once beside its field and goes as
// soon as it is fixed, the Sign in button stays where it was, Enter signs
// in, nothing is saved while the form is wrong, and Delete and Export are
// off for a profile that does not exist yet.
func TestFormBehavesLikeAForm(t *testing.T) {
	tenantMissing, clientMissing, secretMissing := "Enter your tenant", "Enter the client ID", "Enter the client secret"
	tests := []struct {
		name  string
		steps func(h *uiHarness, f *profileForm)
		shows []string // labels that must show
		hides []string // labels that must not
		check func(t *testing.T, h *uiHarness, f *profileForm)
	}{
		{"every problem beside its field, nothing saved", func(h *uiHarness, f *profileForm) { test.Tap(f.signIn) },
			[]string{tenantMissing, clientMissing, secretMissing}, nil,
			func(t *testing.T, h *uiHarness, f *profileForm) {
				if names := h.app.ctl.profiles.names(); len(names) != 0 || h.app.ctl.profile != nil {
					t.Fatalf("saved %v, signing in as %v", names, h.app.ctl.profile)
				}
				if h.app.win.Canvas().Focused() != f.tenant {
					t.Fatalf("the cursor is in %v, not in the tenant", h.app.win.Canvas().Focused())
				}
			}},
		{"a fixed field loses its error at once", func(h *uiHarness, f *profileForm) {
			test.Tap(f.signIn)
			test.Type(f.tenant, "acme")
		}, []string{clientMissing, secretMissing}, []string{tenantMissing}, nil},
		{"a pasted tenant address is understood", func(h *uiHarness, f *profileForm) {
			f.tenant.SetText("acme.cezanneondemand.com")
			test.Tap(f.signIn)
		}, []string{clientMissing, "https://acme.cezanneondemand.com/CezanneOnDemand"}, []string{tenantMissing, "not a tenant"}, nil},
		{"a saved secret is not asked for again", func(h *uiHarness, f *profileForm) {
			p, secret := h.profile("Production", sandbox.ClientDesktopOnDemand, nil)
			if err := auth.Secrets(h.mem, p).Set(p.Name, keyring.EntryClientSecret, secret); err != nil {
				panic(err)
			}
			h.app.ctl.profiles.save(p)
			f.show(p)
			test.Tap(f.signIn)
		}, nil, []string{secretMissing}, mustBeSignedIn},
		{"a saved secret that is gone is asked for beside its field", func(h *uiHarness, f *profileForm) {
			p, _ := h.profile("Production", sandbox.ClientDesktopOnDemand, nil)
			h.app.ctl.profiles.save(p)
			f.show(p)
			test.Tap(f.signIn)
			test.Tap(f.signIn)
		}, []string{secretMissing}, nil, func(t *testing.T, h *uiHarness, f *profileForm) {
			if !f.notes[fieldSecret].Visible() || !h.app.onForm() || h.browserOpens() != 0 {
				t.Fatalf("secret note %q, on the form %v, browser opened %d times", f.notes[fieldSecret].Text, h.app.onForm(), h.browserOpens())
			}
		}},
		{"Enter signs in", func(h *uiHarness, f *profileForm) {
			f.tenant.SetText(h.tenant.BaseURL())
			f.clientID.SetText(sandbox.ClientDesktopOnDemand)
			f.redirect.SetText(h.redirect())
			test.Type(f.secret, h.secretOf(sandbox.ClientDesktopOnDemand))
			f.secret.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		}, nil, nil, mustBeSignedIn},
		{"Delete and Export are off for a new profile", func(*uiHarness, *profileForm) {}, nil, nil,
			func(t *testing.T, _ *uiHarness, f *profileForm) {
				if !f.remove.Disabled() || !f.export.Disabled() {
					t.Fatalf("Delete disabled %v, Export disabled %v", f.remove.Disabled(), f.export.Disabled())
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newUIHarness(t, hrRobot(), nil)
			h.app.Start()
			h.app.win.Resize(fyne.NewSize(1024, 768))
			f := h.app.form()
			f.picker.SetSelected(choiceNew)
			d := fyne.CurrentApp().Driver()
			before := d.AbsolutePositionForObject(f.signIn)
			tt.steps(h, f)
			checkShowing(t, h.app, tt.shows, tt.hides)
			if h.app.onForm() {
				if after := d.AbsolutePositionForObject(f.signIn); after != before {
					t.Errorf("Sign in moved from %v to %v", before, after)
				}
			}
			if tt.check != nil {
				tt.check(t, h, f)
			}
		})
	}
}

// TestFormRemembersQAChoices: QA staff set auto_approve and extra scopes
// once per profile; signing out, a session that ended, another profile in
// between or a restart of the app keep them.
func TestFormRemembersQAChoices(t *testing.T) {
	setDemo := func(f *profileForm) {
		f.qa.Open(0)
		f.autoApprove.SetSelected("true")
		f.qaScopes.SetText("APIRead")
	}
	demoKept := func(t *testing.T, f *profileForm) {
		t.Helper()
		if f.autoApprove.Selected != "true" || f.qaScopes.Text != "APIRead" || !f.qa.Items[0].Open {
			t.Fatalf("auto_approve %q, extra scopes %q, QA options open %v", f.autoApprove.Selected, f.qaScopes.Text, f.qa.Items[0].Open)
		}
	}
	tests := []struct {
		name string
		run  func(t *testing.T, h *uiHarness) *App // the app to look at afterwards
	}{
		{"sign out", func(t *testing.T, h *uiHarness) *App {
			setDemo(h.app.form())
			test.Tap(h.app.form().signIn)
			if h.app.signedIn == nil {
				t.Fatalf("not signed in: %q", h.app.form().message.Text)
			}
			h.app.ctl.signOut(false)
			return h.app
		}},
		{"the session ended", func(t *testing.T, h *uiHarness) *App {
			setDemo(h.app.form())
			test.Tap(h.app.form().signIn)
			h.app.ctl.sessionEnded(auth.ErrSignInAgain)
			return h.app
		}},
		{"a restart", func(t *testing.T, h *uiHarness) *App {
			setDemo(h.app.form())
			a := h.newApp(nil)
			a.Start()
			return a
		}},
		{"another profile in between", func(t *testing.T, h *uiHarness) *App {
			f := h.app.form()
			setDemo(f)
			h.app.ctl.profiles.save(saved("Sandbox"))
			f.refreshPicker()
			f.picker.SetSelected("Sandbox")
			if f.qaScopes.Text != "" || f.qa.Items[0].Open {
				t.Fatalf("the demo's extra scopes %q came along (QA options open %v)", f.qaScopes.Text, f.qa.Items[0].Open)
			}
			f.qaScopes.SetText("APIWrite")
			f.picker.SetSelected(choiceDemo)
			demoKept(t, f)
			f.picker.SetSelected("Sandbox")
			if f.qaScopes.Text != "APIWrite" {
				t.Fatalf("Sandbox's extra scopes are %q", f.qaScopes.Text)
			}
			f.picker.SetSelected(choiceDemo)
			return h.app
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newUIHarness(t, hrRobot(), nil)
			h.app.Start()
			demoKept(t, tt.run(t, h).form())
		})
	}
}

// TestFormFitsTheWindow: on common laptop screens and a small one, the
// form's buttons lie inside the window, whichever profile is chosen:
// the fields scroll, Sign in does not.
func TestFormFitsTheWindow(t *testing.T) {
	h := newUIHarness(t, hrRobot(), nil)
	h.app.Start()
	f := h.app.form()
	d := fyne.CurrentApp().Driver()
	for _, size := range []fyne.Size{{Width: 1366, Height: 768}, {Width: 1280, Height: 800}, {Width: 1024, Height: 768}, {Width: 800, Height: 600}} {
		for _, choice := range []string{choiceDemo, choiceNew} {
			t.Run(fmt.Sprintf("%vx%v %s", size.Width, size.Height, choice), func(t *testing.T) {
				f.picker.SetSelected(choice)
				if choice == choiceNew {
					test.Tap(f.signIn) // its problems show: the form is at its longest
				}
				h.app.win.Resize(size)
				canvas := h.app.win.Canvas().Size()
				for _, b := range []*widget.Button{f.signIn, findButton(t, h.app, "About"), findButton(t, h.app, "Import…"), f.remove} {
					at, bs := d.AbsolutePositionForObject(b), b.Size()
					if at.X < 0 || at.Y < 0 || at.X+bs.Width > canvas.Width || at.Y+bs.Height > canvas.Height || bs.Width == 0 {
						t.Errorf("%q at %v size %v is not inside the %v window", b.Text, at, bs, canvas)
					}
				}
				h.app.showForm("")
			})
		}
	}
}

// TestFormShowsTheDataService: a profile with a data service of its own
// opens Advanced options on it, so the person sees where People come
// from; one without keeps them folded; the demo has none.
func TestFormShowsTheDataService(t *testing.T) {
	withData := func(url string) *auth.Profile {
		p := saved("Production")
		p.DataServiceURL = url
		return p
	}
	tests := []struct {
		name     string
		p        *auth.Profile // nil: the demo
		shown    bool          // Advanced options show at all
		open     bool
		dataText string
	}{
		{"same origin", withData("https://w3.cezanneondemand.com/HR/odata"), true, true, "https://w3.cezanneondemand.com/HR/odata"},
		{"elsewhere", withData("https://data.example.com/odata"), true, true, "https://data.example.com/odata"},
		{"none", withData(""), true, false, ""},
		{"demo", nil, false, false, ""},
	}
	f, _, _ := newTestForm(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.show(withData("https://w3.cezanneondemand.com/before")) // whatever was shown before
			f.show(tt.p)
			if f.advanced.Visible() != tt.shown || f.advanced.Items[0].Open != tt.open || f.dataService.Text != tt.dataText {
				t.Fatalf("Advanced options shown %v, open %v, data service %q", f.advanced.Visible(), f.advanced.Items[0].Open, f.dataService.Text)
			}
		})
	}
}
