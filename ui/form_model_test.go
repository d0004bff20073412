package ui

import (
	"errors"
	"strings"
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
)

func TestModelFor(t *testing.T) {
	service := saved("Payroll")
	service.GrantType = auth.GrantServiceAccount
	byURL := saved("Production")
	byURL.Subdomain, byURL.BaseURL = "", "https://hr.example.com/CezanneOnDemand"
	byURL.AutoApprove = auth.AutoApproveTrue
	byURL.Scopes = []string{auth.ScopeRead, auth.ScopeWrite}
	scheme := saved("Scheme")
	scheme.RedirectURI = defaultCustomRedirect
	tests := []struct {
		name   string
		choice string
		p      *auth.Profile
		want   formModel
	}{
		{"demo", choiceDemo, nil, formModel{choice: choiceDemo, kind: kindBrowser, redirect: defaultRedirect, scopeRead: true,
			autoApprove: "Omit", pkce: true, callback: callbackLoopback}},
		{"service account", "Payroll", service, formModel{choice: "Payroll", kind: kindService, name: "Payroll", tenant: "w3", clientID: "c",
			redirect: defaultRedirect, scopeRead: true, autoApprove: "Omit", pkce: true, callback: callbackLoopback}},
		{"base URL, auto-approve, both scopes", "Production", byURL, formModel{choice: "Production", kind: kindBrowser, name: "Production",
			tenant: byURL.BaseURL, clientID: "c", redirect: defaultRedirect, scopeRead: true, scopeWrite: true, autoApprove: "true",
			pkce: true, callback: callbackLoopback}},
		{"custom scheme", "Scheme", scheme, formModel{choice: "Scheme", kind: kindBrowser, name: "Scheme", tenant: "w3", clientID: "c",
			redirect: defaultCustomRedirect, scopeRead: true, autoApprove: "Omit", pkce: true, callback: callbackScheme}},
		{"new profile", choiceNew, &auth.Profile{Scopes: []string{auth.ScopeRead}}, formModel{choice: choiceNew, kind: kindBrowser,
			redirect: defaultRedirect, scopeRead: true, autoApprove: "Omit", pkce: true, callback: callbackLoopback}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.want
			if tt.p != nil {
				want.from = tt.p // what signing in starts from
			}
			if got := modelFor(tt.choice, tt.p); got != want {
				t.Fatalf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

// What is not part of a profile survives choosing another one.
func TestWithProfileKeepsTheQAOptions(t *testing.T) {
	m := modelFor(choiceDemo, nil).withCallback(callbackScheme)
	m.qaScopes, m.qaState, m.secret = "APIWrite", "s", "typed"
	demo := m.withProfile(choiceDemo, nil)
	if demo.qaScopes != "APIWrite" || demo.qaState != "s" || demo.callback != callbackScheme || demo.secret != "" {
		t.Fatalf("demo again: %+v", demo)
	}
	p := m.withProfile("Sandbox", saved("Sandbox"))
	if p.qaScopes != "APIWrite" || p.callback != callbackLoopback {
		t.Fatalf("a loopback profile: %+v", p)
	}
}

func TestCallbackAndRedirectStayInStep(t *testing.T) {
	profile := modelFor("Sandbox", saved("Sandbox"))
	tests := []struct {
		name         string
		m            formModel
		wantRedirect string
		wantCallback string
	}{
		{"scheme switch sets the scheme redirect", profile.withCallback(callbackScheme), defaultCustomRedirect, callbackScheme},
		{"loopback switch sets the loopback redirect", profile.withRedirect("x-cez://other/").withCallback(callbackLoopback), defaultRedirect, callbackLoopback},
		{"a loopback redirect of one's own stays", profile.withRedirect("http://127.0.0.1:5000/cb/").withCallback(callbackLoopback), "http://127.0.0.1:5000/cb/", callbackLoopback},
		{"an unusable redirect gives way to loopback", profile.withRedirect("nonsense").withCallback(callbackLoopback), defaultRedirect, callbackLoopback},
		{"a scheme redirect of one's own stays", profile.withRedirect("x-cez://other/").withCallback(callbackScheme), "x-cez://other/", callbackScheme},
		{"typing a scheme redirect moves the switch", profile.withRedirect("x-cez://oauth-callback/"), defaultCustomRedirect, callbackScheme},
		{"typing a loopback redirect moves it back", profile.withCallback(callbackScheme).withRedirect(defaultRedirect), defaultRedirect, callbackLoopback},
		{"the demo's switch leaves its redirect", modelFor(choiceDemo, nil).withCallback(callbackScheme), defaultRedirect, callbackScheme},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.m.redirect != tt.wantRedirect || tt.m.callback != tt.wantCallback {
				t.Fatalf("redirect %q, callback %q; want %q, %q", tt.m.redirect, tt.m.callback, tt.wantRedirect, tt.wantCallback)
			}
		})
	}
}

func TestFormVisibility(t *testing.T) {
	browser := modelFor("Sandbox", saved("Sandbox"))
	service := browser
	service.kind = kindService
	demoService := modelFor(choiceDemo, nil)
	demoService.kind = kindService
	tests := []struct {
		name string
		m    formModel
		want formVisibility
	}{
		{"demo", modelFor(choiceDemo, nil), formVisibility{demoNote: true, browserForm: true}},
		{"nothing chosen yet", formModel{}, formVisibility{demoNote: true, browserForm: true}},
		{"demo ignores the hidden sign-in type", demoService, formVisibility{demoNote: true, browserForm: true}},
		{"browser profile", browser, formVisibility{tenantForm: true, redirectForm: true, browserForm: true, profileFile: true}},
		{"service account", service, formVisibility{tenantForm: true, profileFile: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.visible(); got != tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestFormSchemeNote(t *testing.T) {
	loopback := modelFor("Sandbox", saved("Sandbox"))
	scheme := loopback.withCallback(callbackScheme)
	service := scheme
	service.kind = kindService
	localhost := loopback.withRedirect("http://localhost:47613/cb/")
	demoScheme := modelFor(choiceDemo, nil).withCallback(callbackScheme)
	tests := []struct {
		name        string
		m           formModel
		canRegister bool
		check       schemeCheck
		wantScheme  string
		want        schemeNote
	}{
		{"loopback", loopback, true, schemeCheck{}, "", schemeNote{}},
		{"service accounts use no redirect", service, true, schemeCheck{}, "", schemeNote{}},
		{"demo through x-cez", demoScheme, true, schemeCheck{done: true, registered: true}, "x-cez",
			schemeNote{show: true, text: "x-cez:// links open Cezanne HR Desktop on this computer."}},
		{"checking", scheme, true, schemeCheck{}, "x-cez", schemeNote{show: true, text: "Checking whether x-cez:// links open this app…"}},
		{"not registered", scheme, true, schemeCheck{done: true}, "x-cez", schemeNote{show: true, register: true,
			text: "x-cez:// links do not open Cezanne HR Desktop on this computer yet; the browser could not hand back the sign-in."}},
		{"check failed", scheme, true, schemeCheck{done: true, err: errors.New("no desktop files")}, "x-cez",
			schemeNote{show: true, register: true, text: "Could not check whether x-cez:// links open this app: No desktop files."}},
		{"this build cannot", scheme, false, schemeCheck{}, "x-cez", schemeNote{show: true, text: "x-cez:// links cannot be received by this build."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if s := tt.m.scheme(); s != tt.wantScheme {
				t.Fatalf("scheme %q, want %q", s, tt.wantScheme)
			}
			if got := tt.m.schemeNote(tt.canRegister, tt.check); got != tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	if n := localhost.schemeNote(true, schemeCheck{}); !n.show || n.register || n.text == "" {
		t.Fatalf("a localhost redirect's warning: %+v", n)
	}
	localhost.kind = kindService
	if n := localhost.schemeNote(true, schemeCheck{}); n.show {
		t.Fatalf("a hidden redirect warns: %+v", n)
	}
}

func TestFormModelProfile(t *testing.T) {
	profile := modelFor("Sandbox", saved("Sandbox"))
	service := profile
	service.kind = kindService
	byURL := profile
	byURL.tenant = " https://hr.example.com/CezanneOnDemand "
	noTenant := profile
	noTenant.tenant = ""
	demoScheme := modelFor(choiceDemo, nil).withCallback(callbackScheme)
	demoScheme.scopeWrite, demoScheme.pkce = true, false
	tests := []struct {
		name    string
		m       formModel
		check   func(p *auth.Profile) bool
		wantErr string
	}{
		{"browser profile", profile, func(p *auth.Profile) bool {
			return p.Name == "Sandbox" && p.Subdomain == "w3" && p.GrantType != auth.GrantServiceAccount && p.RedirectURI == defaultRedirect
		}, ""},
		{"service account", service, func(p *auth.Profile) bool { return p.ServiceAccount() }, ""},
		{"base URL", byURL, func(p *auth.Profile) bool {
			return p.BaseURL == "https://hr.example.com/CezanneOnDemand" && p.Subdomain == ""
		}, ""},
		{"demo through x-cez", demoScheme, func(p *auth.Profile) bool {
			return p.Demo && p.RedirectURI == defaultCustomRedirect && len(p.Scopes) == 2 && !p.UsePKCE()
		}, ""},
		{"no tenant", noTenant, nil, "Enter your tenant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := tt.m.profile()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(errorText(err), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !tt.check(p) {
				t.Fatalf("profile %+v, err %v", p, err)
			}
		})
	}
}

// TestFormModelKeepsWhatItHasNoFieldFor: signing in from the form starts
// from the profile shown, so what the form has no field for, and what
// the person did not touch, is the profile's own; what the person
// changed is changed.
func TestFormModelKeepsWhatItHasNoFieldFor(t *testing.T) {
	const own = "https://hr.acme.example/scopes/payroll"
	hosted := saved("Acme")
	hosted.Subdomain, hosted.BaseURL = "", "https://acme.cezanneondemand.com/CezanneOnDemand"
	hosted.Scopes = []string{own, auth.ScopeWrite, auth.ScopeRead}
	no := false
	quiet := saved("Quiet") // says nothing of PKCE
	for _, p := range []*auth.Profile{hosted, quiet} {
		if err := p.Normalize(); err != nil { // as read from a file
			t.Fatal(err)
		}
	}
	tests := []struct {
		name   string
		p      *auth.Profile
		edit   func(m formModel) formModel
		want   func(p *auth.Profile) // p as the form should hand it back
		scopes string                // the scopes the QA options name
	}{
		{"untouched", hosted, nil, func(*auth.Profile) {}, own + " APIWrite APIRead"},
		{"read unticked", hosted, func(m formModel) formModel { m.scopeRead = false; return m },
			func(p *auth.Profile) { p.Scopes = []string{own, auth.ScopeWrite} }, own + " APIWrite"},
		{"both unticked, own kept", hosted, func(m formModel) formModel { m.scopeRead, m.scopeWrite = false, false; return m },
			func(p *auth.Profile) { p.Scopes = []string{own} }, own},
		{"tenant typed again", hosted, func(m formModel) formModel { m.tenant = "acme"; return m },
			func(p *auth.Profile) { p.BaseURL, p.Subdomain = "", "acme" }, own + " APIWrite APIRead"},
		{"PKCE unsaid", quiet, nil, func(*auth.Profile) {}, "APIRead"},
		{"PKCE unticked", quiet, func(m formModel) formModel { m.pkce = false; return m },
			func(p *auth.Profile) { p.PKCE = &no }, "APIRead"},
		{"made a service account", quiet, func(m formModel) formModel { m.kind = kindService; return m },
			func(p *auth.Profile) { p.GrantType, p.RedirectURI, p.AutoApprove = auth.GrantServiceAccount, "", "" }, "APIRead"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := modelFor(tt.p.Name, tt.p)
			if tt.edit != nil {
				m = tt.edit(m)
			}
			want := *tt.p
			want.Scopes = append([]string(nil), tt.p.Scopes...)
			tt.want(&want)
			got, err := m.profile()
			if err != nil {
				t.Fatal(err)
			}
			if g, w := string(got.Marshal()), string(want.Marshal()); g != w {
				t.Fatalf("got  %s\nwant %s", g, w)
			}
			if got := scopeNames(m); got != tt.scopes {
				t.Fatalf("scopes named %q, want %q", got, tt.scopes)
			}
			if m.problems(true) != (fieldProblems{}) {
				t.Fatalf("problems %q", m.problems(true))
			}
		})
	}
}

func TestQAOptions(t *testing.T) {
	m := formModel{qaScopes: "  APIWrite  Extra ", qaState: " s1 "}
	scopes, state := m.qaOptions()
	if strings.Join(scopes, "|") != "APIWrite|Extra" || state != "s1" {
		t.Fatalf("scopes %q, state %q", scopes, state)
	}
}

// TestFormModelDataService: the data service URL survives the form (it
// used to be dropped), and a data service at another origin than the
// tenant is used only with the person's tick, shown only then.
func TestFormModelDataService(t *testing.T) {
	withData := func(url string, confirmed bool) *auth.Profile {
		p := saved("Production")
		p.DataServiceURL, p.DataServiceConfirmed = url, confirmed
		return p
	}
	tests := []struct {
		name      string
		p         *auth.Profile
		tick      *bool // the person ticks (true) or unticks (false) the box
		elsewhere string
		confirmed bool
	}{
		{"none", withData("", false), nil, "", false},
		{"same origin", withData("https://w3.cezanneondemand.com/Other/DataService.svc", false), ptr(true), "", false},
		{"elsewhere, not confirmed", withData("https://data.example.com/DataService.svc", false), nil, "https://data.example.com:443", false},
		{"elsewhere, confirmed before", withData("https://data.example.com/DataService.svc", true), nil, "https://data.example.com:443", true},
		{"elsewhere, ticked now", withData("https://data.example.com/DataService.svc", false), ptr(true), "https://data.example.com:443", true},
		{"elsewhere, unticked now", withData("https://data.example.com/DataService.svc", true), ptr(false), "https://data.example.com:443", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := modelFor("Production", tt.p)
			if tt.tick != nil {
				m.dataServiceConfirmed = *tt.tick
			}
			if got := m.dataServiceElsewhere(); got != tt.elsewhere {
				t.Fatalf("dataServiceElsewhere = %q, want %q", got, tt.elsewhere)
			}
			if m.visible().dataServiceConfirm != (tt.elsewhere != "") {
				t.Fatalf("confirmation shown: %v", m.visible().dataServiceConfirm)
			}
			p, err := m.profile()
			if err != nil {
				t.Fatal(err)
			}
			if p.DataServiceURL != tt.p.DataServiceURL || p.DataServiceConfirmed != tt.confirmed {
				t.Fatalf("profile data service %q confirmed %v, want %q %v", p.DataServiceURL, p.DataServiceConfirmed, tt.p.DataServiceURL, tt.confirmed)
			}
		})
	}
	if modelFor(choiceDemo, nil).visible().dataServiceConfirm {
		t.Fatal("the demo offers a data service confirmation")
	}
}

func ptr[T any](v T) *T { return &v }

// What people paste as their tenant: the subdomain, the host, or any
// address from the browser's address bar.
func TestParseTenant(t *testing.T) {
	tests := []struct {
		typed, subdomain, baseURL string
	}{
		{" Acme ", "acme", ""},
		{"acme.cezanneondemand.com", "acme", ""},
		{"ACME.CezanneOnDemand.com/", "acme", ""},
		{"https://acme.cezanneondemand.com", "acme", ""},
		{"https://acme.cezanneondemand.com/CezanneOnDemand/OAuth/Authorize?client_id=x#top", "acme", ""},
		{"hr.example.com/CezanneOnDemand/Home", "", "https://hr.example.com/CezanneOnDemand"},
		{"https://hr.example.com/cezanneondemand/", "", "https://hr.example.com/cezanneondemand"},
		{"https://hr.example.com/HR", "", "https://hr.example.com/HR"},
		{"http://127.0.0.1:8080/CezanneOnDemand/DataService.svc", "", "http://127.0.0.1:8080/CezanneOnDemand"},
		{"http://acme.cezanneondemand.com", "", "http://acme.cezanneondemand.com"},
	}
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			p := parseTenant(tt.typed)
			if p.Subdomain != tt.subdomain || p.BaseURL != tt.baseURL {
				t.Fatalf("subdomain %q, base URL %q; want %q, %q", p.Subdomain, p.BaseURL, tt.subdomain, tt.baseURL)
			}
		})
	}
}

// Each field says what is wrong with it, all at once.
func TestFormModelProblems(t *testing.T) {
	valid := modelFor("Sandbox", saved("Sandbox"))
	valid.secret = "s"
	empty := modelFor(choiceNew, &auth.Profile{RedirectURI: defaultRedirect, Scopes: []string{auth.ScopeRead}})
	noScopes := valid
	noScopes.scopeRead = false
	badRedirect := valid.withRedirect("ftp://x/")
	service := badRedirect
	service.kind = kindService
	badData := valid
	badData.dataService = "http://data.example.com/DataService.svc"
	badQA := modelFor(choiceDemo, nil)
	badQA.qaScopes = `APIRead "x"`
	httpTenant := valid
	httpTenant.tenant = "http://hr.example.com/CezanneOnDemand"
	tests := []struct {
		name        string
		m           formModel
		secretKnown bool
		want        []string // fields with problems
	}{
		{"valid", valid, false, nil},
		{"saved secret", func() formModel { m := valid; m.secret = ""; return m }(), true, nil},
		{"new and empty", empty, false, []string{"Tenant", "Client ID", "Client secret"}},
		{"no permissions", noScopes, false, []string{"Permissions"}},
		{"bad redirect", badRedirect, false, []string{"Redirect URI"}},
		{"a service account has no redirect", service, false, nil},
		{"plain http data service", badData, false, []string{"Data service URL"}},
		{"plain http tenant", httpTenant, false, []string{"Tenant"}},
		{"the demo needs no tenant", modelFor(choiceDemo, nil), false, nil},
		{"quoted extra scope", badQA, false, []string{"Extra scopes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.m.problems(tt.secretKnown)
			if strings.Join(got.names(), ", ") != strings.Join(tt.want, ", ") {
				t.Fatalf("problems in %v, want %v: %q", got.names(), tt.want, got)
			}
			for _, msg := range got {
				if msg != "" && (!strings.HasSuffix(msg, ".") || strings.ToUpper(msg[:1]) != msg[:1]) {
					t.Errorf("not a sentence: %q", msg)
				}
			}
		})
	}
}

// The demo keeps auto_approve, PKCE and the callback with its QA choices;
// a profile keeps them in itself.
func TestFormModelQAChoices(t *testing.T) {
	demo := modelFor(choiceDemo, nil).withCallback(callbackScheme)
	demo.autoApprove, demo.pkce, demo.qaScopes = "false", false, "APIWrite"
	profile := modelFor("Sandbox", saved("Sandbox"))
	profile.autoApprove, profile.qaState = "true", "s"
	tests := []struct {
		name   string
		m      formModel
		want   qaChoices
		reopen formModel // a fresh form for the same choice
	}{
		{"demo", demo, qaChoices{ExtraScopes: "APIWrite", AutoApprove: "false", NoPKCE: true, Scheme: true}, modelFor(choiceDemo, nil)},
		{"profile", profile, qaChoices{State: "s"}, modelFor("Sandbox", saved("Sandbox"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.qa(); got != tt.want {
				t.Fatalf("qa %+v, want %+v", got, tt.want)
			}
			if !tt.m.qaSet() || tt.reopen.qaSet() {
				t.Fatalf("qaSet %v for the choices, %v for a fresh form", tt.m.qaSet(), tt.reopen.qaSet())
			}
			if back := tt.reopen.withQA(tt.want); back.qa() != tt.want {
				t.Fatalf("restored %+v", back.qa())
			}
		})
	}
}
