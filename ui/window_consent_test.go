package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/consent"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

// consentApp makes the harness's app run the consent check's runner on a
// goroutine of its own and queue its updates for the test goroutine (the
// UI goroutine here); its pump runs them.
func consentApp(t *testing.T, a *App) *consentPump {
	p := &consentPump{t: t, a: a, queue: make(chan func(), 64)}
	a.consentGo = func(f func()) { go f() }
	a.consentDo = func(f func()) { p.queue <- f }
	return p
}

type consentPump struct {
	t     *testing.T
	a     *App
	queue chan func()
}

// until runs queued updates until done says so.
func (p *consentPump) until(done func() bool) {
	p.t.Helper()
	deadline := time.After(60 * time.Second)
	for !done() {
		select {
		case f := <-p.queue:
			f()
		case <-deadline:
			p.t.Fatal("timed out waiting for the consent check")
		}
	}
}

// finish runs updates until the check on screen has ended.
func (p *consentPump) finish() {
	p.t.Helper()
	p.until(func() bool { return p.a.consent == nil || p.a.consent.st.finished() })
}

// TestConsentCheckFromTheForm: "Consent check…" under the QA options of a
// browser profile (never of a service account) opens the check; on the
// demo tenant it runs unattended to the verdict, its runs join the Flow
// trace's Run list, and each report format is written, readable and
// without the client secret; Back returns to the form.
func TestConsentCheckFromTheForm(t *testing.T) {
	h := newUIHarness(t, nil, nil)
	a := h.app
	pump := consentApp(t, a)
	a.Start()
	if !a.form().consent.Visible() {
		t.Fatal("no Consent check… on the demo tenant's form")
	}
	a.form().pick(choiceNew)
	a.form().kind.SetSelected(kindService)
	if a.form().consent.Visible() {
		t.Error("Consent check… is offered for a service account")
	}
	a.form().pick(choiceDemo)
	test.Tap(findButton(t, a, "Consent check…"))
	if a.consent == nil || a.onForm() {
		t.Fatal("the consent check did not open")
	}
	pump.finish()
	st := &a.consent.st
	if st.report == nil || !st.unattended {
		t.Fatalf("no report (failure %q), unattended %v", st.failure, st.unattended)
	}
	if !slices.Equal(st.report.Verdict.Matches, []consent.Mode{consent.OnDemand}) {
		t.Errorf("the demo's OnDemand client: %s", st.report.Verdict.Summary)
	}
	if n := len(a.traces.List()); n < 6 {
		t.Errorf("%d runs in the Flow trace, want the check's 6", n)
	}
	checkSavedReports(t, a, pump, h.secretOf(sandbox.ClientDesktopOnDemand))
	test.Tap(findButton(t, a, "Back to sign-in"))
	if !a.onForm() || a.consent != nil {
		t.Error("Back did not return to the form")
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkSavedReports saves the check's report in each format and reads
// each back: written, without the client secret, and the JSON one whole.
func checkSavedReports(t *testing.T, a *App, pump *consentPump, secret string) {
	t.Helper()
	st := &a.consent.st
	dir := t.TempDir()
	for i, f := range consentFormats {
		path := filepath.Join(dir, a.consent.reportName(f.ext))
		a.writeConsentReport(a.consent, i, path)
		pump.until(func() bool { return strings.HasSuffix(st.saved, path) })
		b, err := os.ReadFile(path)
		if err != nil || len(b) < 500 || strings.Contains(string(b), secret) {
			t.Fatalf("%s report: %d bytes, err %v, secret inside %v", f.name, len(b), err, strings.Contains(string(b), secret))
		}
	}
	rep, err := consent.ReadJSON(strings.NewReader(readFile(t, filepath.Join(dir, a.consent.reportName(".json")))))
	if err != nil || rep.Format != consent.Format || len(rep.Cells) != 6 {
		t.Fatalf("JSON report: %v, %+v", err, rep)
	}
}

// TestConsentCheckAtLaunch: Options.ConsentCheck opens the window on the
// check of the --profile (what `--consent-check --window --profile FILE`
// does); a profile that cannot be used stays on the form with
// what to fix.
func TestConsentCheckAtLaunch(t *testing.T) {
	h := newUIHarness(t, nil, nil)
	p, _ := h.profile("Sandbox QA", sandbox.ClientDesktopOnDemand, nil)
	t.Run("profile without a secret", func(t *testing.T) {
		a := h.newApp(p, func(o *Options) { o.ConsentCheck = true })
		pump := consentApp(t, a)
		a.Start()
		pump.until(func() bool { return a.consent == nil })
		if !a.onForm() || a.form().notes[fieldSecret].Text == "" || !a.form().notes[fieldSecret].Visible() {
			t.Fatalf("on form %v, message %q, secret note %q", a.onForm(), a.form().message.Text, a.form().notes[fieldSecret].Text)
		}
	})
	t.Run("profile with its secret", func(t *testing.T) {
		t.Setenv(auth.SecretEnv, h.secretOf(sandbox.ClientDesktopOnDemand))
		a := h.newApp(p, func(o *Options) { o.ConsentCheck = true })
		pump := consentApp(t, a)
		a.Start()
		if a.consent == nil {
			t.Fatalf("no consent check; form says %q", a.form().message.Text)
		}
		st := &a.consent.st
		pump.until(func() bool { return st.phase == consent.PhaseBefore || st.finished() })
		// A `cezanne-desktop sandbox` tenant: the app clears consents,
		// the person answers.
		if !st.sandbox || st.unattended || !strings.HasPrefix(st.instruction, "The app clears") {
			t.Errorf("sandbox %v, unattended %v, instruction %q, failure %q", st.sandbox, st.unattended, st.instruction, st.failure)
		}
		a.consent.stop()
		pump.finish()
		if st.report == nil || !st.report.Cancelled {
			t.Errorf("cancelled check: report %+v, failure %q", st.report, st.failure)
		}
	})
}

// TestConsentCheckRegistersItsScheme: a profile whose redirect is x-cez://
// asks, as signing in does, to make those links open the app before its
// check starts; Yes registers and starts it, No stays on the form.
func TestConsentCheckRegistersItsScheme(t *testing.T) {
	for _, yes := range []bool{true, false} {
		t.Run(map[bool]string{true: "yes", false: "no"}[yes], func(t *testing.T) {
			h := newUIHarness(t, nil, nil)
			reg := &fakeRegistration{}
			p, secret := h.profile("x-cez QA", sandbox.ClientDesktopScheme, func(p *auth.Profile) { p.RedirectURI = "x-cez://oauth-callback/" })
			a := h.newApp(p, func(o *Options) { o.Schemes, o.SchemeInbox = reg, &auth.SchemeInbox{} })
			pump := consentApp(t, a)
			a.Start()
			test.Type(a.form().secret, secret)
			test.Tap(findButton(t, a, "Consent check…"))
			if a.consent != nil {
				t.Fatal("the check started before x-cez:// was registered")
			}
			confirmDialog(t, a, map[bool]string{true: "Yes", false: "No"}[yes])
			if started := a.consent != nil; started != yes || slices.Contains(reg.schemes, "x-cez") != yes {
				t.Fatalf("started %v, registered %v", started, reg.schemes)
			}
			if yes {
				a.consent.stop()
				pump.finish()
			}
		})
	}
}
