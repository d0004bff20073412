package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
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
