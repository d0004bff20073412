package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/data"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

func TestRevokedGrantPromptsOnce(t *testing.T) {
	h := newUIHarness(t, hrRobot(), nil)
	p, secret := h.profile("Sandbox", sandbox.ClientDesktopOnDemand, nil)
	a := h.newApp(p)
	signInWith(t, a, secret)
	h.srv.RevokeGrants("")
	test.Tap(findButton(t, a, "Reload"))
	if a.signedIn != nil {
		t.Fatal("still in the signed-in view after the grant was revoked")
	}
	if msg := a.form().message.Text; msg != "Your sign-in to Sandbox has expired or was revoked. Please sign in again." {
		t.Fatalf("prompt %q", msg)
	}
	if h.browserOpens() != 1 {
		t.Fatal("the browser was opened without the person asking")
	}
	if stored(h.mem, "Sandbox", keyring.EntryRefreshToken) {
		t.Fatal("revoked sign-in kept")
	}
}

// TestDataServiceElsewhere: a data service at another origin than the
// tenant (here localhost against 127.0.0.1) is used only once the person
// has confirmed it, and the signed-in view then names it.
func TestDataServiceElsewhere(t *testing.T) {
	tests := []struct {
		name      string
		host      string // of the data service ("" means the default)
		confirmed bool
		signedIn  bool
		note      string // "" means no note
	}{
		{"the tenant's own", "", false, true, ""},
		{"elsewhere, confirmed", "localhost", true, true, "People come from http://localhost:"},
		{"elsewhere, not confirmed", "localhost", false, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newUIHarness(t, hrRobot(), nil)
			p, secret := h.profile("Sandbox", sandbox.ClientDesktopOnDemand, func(p *auth.Profile) {
				if tt.host != "" {
					p.DataServiceURL = strings.Replace(p.BaseURL, "127.0.0.1", tt.host, 1) + "/DataService.svc"
				}
			})
			p.DataServiceConfirmed = tt.confirmed
			a := h.newApp(p)
			a.Start()
			test.Type(a.form().secret, secret)
			test.Tap(a.form().signIn)
			if (a.signedIn != nil) != tt.signedIn {
				t.Fatalf("signed in %v, want %v: %q", a.signedIn != nil, tt.signedIn, a.form().message.Text)
			}
			if !tt.signedIn {
				if msg := a.form().message.Text; !strings.Contains(msg, "not your tenant's address") || !strings.Contains(msg, "localhost") {
					t.Fatalf("form says %q", msg)
				}
				if h.browserOpens() != 0 {
					t.Fatal("the browser opened for an unconfirmed data service")
				}
				return
			}
			if got := a.signedIn.dataNote.Text; !strings.HasPrefix(got, tt.note) || (tt.note == "") != !a.signedIn.dataNote.Visible() {
				t.Fatalf("note %q (shown %v), want %q", got, a.signedIn.dataNote.Visible(), tt.note)
			}
		})
	}
}

func TestTokenInfoCardNamesCountryAndLocale(t *testing.T) {
	test.NewTempApp(t)
	card := tokenInfoCard(&data.TokenInfo{CountryID: 1, CountryName: "United Kingdom", LocaleID: 2057, LocaleName: "en-GB"}).(*panel)
	form := card.Content.(*container.Scroll).Content.(*widget.Form)
	got := map[string]string{}
	for _, it := range form.Items {
		got[it.Text] = it.Widget.(*widget.Label).Text
	}
	for _, tc := range []struct{ label, want string }{
		{"Country", "United Kingdom"},
		{"Locale", "English (United Kingdom)"},
	} {
		if got[tc.label] != tc.want {
			t.Errorf("%s shows %q, want %q", tc.label, got[tc.label], tc.want)
		}
	}
}

// TestSignedInFitsLaptopScreens: at common laptop sizes and at 800×600,
// every action of the signed-in view is on screen or in its More menu,
// nothing asks for more room than the window has, the search box keeps
// room to type in, a long server error wraps in a banner with Retry, and
// the details of a person and the TokenInfo read a line at a time (they
// wrapped mid-word beside their labels).
func TestSignedInFitsLaptopScreens(t *testing.T) {
	const longError = "HTTP 400 Bad Request: The query specified in the URI is not valid. Could not find a property named 'ManagerGuid' on type 'Cezanne.People'; the request was rejected by the data service."
	actions := []string{"Reload", "Sign in again", "Sign out", "About", "Columns…", "Export CSV…"}
	tests := []struct {
		name string
		from fyne.Size // the window's size before, if it had another
		size fyne.Size
		fail bool // a long server error is shown
	}{
		{"1366×768", fyne.Size{}, fyne.NewSize(1366, 768), false},
		{"1280×800", fyne.Size{}, fyne.NewSize(1280, 800), false},
		{"1024×768", fyne.Size{}, fyne.NewSize(1024, 768), false},
		{"800×600", fyne.Size{}, fyne.NewSize(800, 600), false},
		{"1280×800 with a long error", fyne.Size{}, fyne.NewSize(1280, 800), true},
		{"800×600 with a long error", fyne.Size{}, fyne.NewSize(800, 600), true},
		{"800×600, then 1366×768", fyne.NewSize(800, 600), fyne.NewSize(1366, 768), false},
		{"1366×768, then 800×600", fyne.NewSize(1366, 768), fyne.NewSize(800, 600), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, v := signedInDemo(t)
			w := h.app.win
			if !tt.from.IsZero() {
				w.Resize(tt.from)
			}
			w.Resize(tt.size)
			if tt.fail {
				v.failed(errors.New(longError))
			}
			v.table.Select(widget.TableCellID{Row: 0, Col: 0})
			w.Content().Refresh()
			w.Resize(tt.size)
			if m := w.Content().MinSize(); m.Width > tt.size.Width || m.Height > tt.size.Height {
				t.Errorf("the view needs %v, more than the window's %v", m, tt.size)
			}
			reachable := buttonsInside(t, w, tt.size, v.tableView)
			for _, label := range moreMenus(t, w) {
				reachable[label] = true
			}
			for _, a := range actions {
				if !reachable[a] {
					t.Errorf("%q is neither on screen nor in a More menu", a)
				}
			}
			if sw := v.searchBox.Size().Width; sw < 200 {
				t.Errorf("the search box is %v wide", sw)
			}
			if tt.fail {
				assertErrorBanner(t, w, tt.size, longError)
			}
			assertSessionShown(t, h.app.signedIn, w)
			assertLineWide(t, "detail", v.detail)
			h.app.signedIn.tabs.SelectIndex(1) // the flow trace
			w.Resize(tt.size)
			if shown := buttonsInside(t, w, tt.size); !shown["Open in a new window"] {
				t.Errorf("the flow trace's buttons are not drawn: %v", shown)
			}
		})
	}
}

// buttonsInside asserts that every button drawn, but those scrolled, lies
// inside the window, and returns their labels.
func buttonsInside(t *testing.T, w fyne.Window, size fyne.Size, scrolled ...fyne.CanvasObject) map[string]bool {
	t.Helper()
	labels := map[string]bool{}
	for _, o := range shownObjects(w.Content(), scrolled...) {
		b, ok := o.(*widget.Button)
		if !ok {
			continue
		}
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b)
		if pos.X < 0 || pos.Y < 0 || pos.X+b.Size().Width > size.Width+0.5 || pos.Y+b.Size().Height > size.Height+0.5 {
			t.Errorf("button %q at %v size %v is not inside the %v window", b.Text, pos, b.Size(), size)
		}
		labels[b.Text] = true
	}
	return labels
}

// assertLineWide: each value of a form has a line of its own, not a few
// letters beside its label.
func assertLineWide(t *testing.T, what string, f *widget.Form) {
	t.Helper()
	for _, it := range f.Items {
		if vw := it.Widget.Size().Width; vw < 200 {
			t.Errorf("%s %q is %v wide: a few letters a line", what, it.Text, vw)
		}
	}
}

// assertSessionShown: who is signed in stays one click away: beside the
// tabs, or in a tab of its own.
func assertSessionShown(t *testing.T, v *signedInView, w fyne.Window) {
	t.Helper()
	for _, o := range shownObjects(w.Content()) {
		if c, ok := o.(*panel); ok && c.Title == "Signed in as" {
			assertLineWide(t, "TokenInfo", c.Content.(*container.Scroll).Content.(*widget.Form))
			return
		}
	}
	for _, it := range v.tabs.Items {
		if it.Text == "Session" {
			v.tabs.Select(it)
			for _, o := range shownObjects(w.Content()) {
				if c, ok := o.(*panel); ok && c.Title == "Signed in as" {
					assertLineWide(t, "TokenInfo", c.Content.(*container.Scroll).Content.(*widget.Form))
					v.tabs.SelectIndex(0)
					return
				}
			}
		}
	}
	t.Error("who is signed in is neither beside the tabs nor in a Session tab")
}

// assertErrorBanner: the whole message shows, inside the window, with Retry.
func assertErrorBanner(t *testing.T, w fyne.Window, size fyne.Size, msg string) {
	t.Helper()
	for _, o := range shownObjects(w.Content()) {
		l, ok := o.(*widget.Label)
		if !ok || !strings.Contains(l.Text, msg) {
			continue
		}
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(l)
		if l.Wrapping == fyne.TextWrapOff || l.Truncation != fyne.TextTruncateOff || pos.X+l.Size().Width > size.Width+0.5 {
			t.Errorf("the error is cut off: wrapping %v, truncation %v, at %v size %v", l.Wrapping, l.Truncation, pos, l.Size())
		}
		for _, b := range shownObjects(w.Content()) {
			if b, ok := b.(*widget.Button); ok && b.Text == "Retry" {
				return
			}
		}
		t.Error("no Retry beside the error")
		return
	}
	t.Errorf("the error %q is not shown", msg)
}

// shownObjects are the objects drawn: visible, inside visible parents.
// What scrolled shows (a table's header buttons) is left out: it is
// meant to run past the window's edge.
func shownObjects(o fyne.CanvasObject, scrolled ...fyne.CanvasObject) []fyne.CanvasObject {
	if !o.Visible() {
		return nil
	}
	out := []fyne.CanvasObject{o}
	if slices.Contains(scrolled, o) {
		return out
	}
	var children []fyne.CanvasObject
	switch c := o.(type) {
	case *fyne.Container:
		children = c.Objects
	case fyne.Widget:
		children = test.WidgetRenderer(c).Objects()
	}
	for _, ch := range children {
		out = append(out, shownObjects(ch, scrolled...)...)
	}
	return out
}

// moreMenus opens each More button on screen and lists what it offers.
func moreMenus(t *testing.T, w fyne.Window) []string {
	t.Helper()
	var out []string
	for _, o := range shownObjects(w.Content()) {
		b, ok := o.(*widget.Button)
		if !ok || b.Text != "" || b.Icon != theme.MoreHorizontalIcon() {
			continue
		}
		test.Tap(b)
		top := w.Canvas().Overlays().Top()
		if top == nil {
			t.Fatal("More opened no menu")
		}
		for _, m := range shownObjects(top) {
			if txt, ok := m.(*canvas.Text); ok {
				out = append(out, txt.Text)
			}
		}
		w.Canvas().Overlays().Remove(top)
	}
	return out
}

// TestSessionTabGivesWayToPeople: someone reading the Session tab in a
// narrow window who widens it sees the session beside People, not the
// flow trace they did not ask for.
func TestSessionTabGivesWayToPeople(t *testing.T) {
	for _, tt := range []struct {
		name     string
		selected int // the tab chosen while narrow
		want     string
	}{
		{"Session", 2, "People"},
		{"Flow trace", 1, "Flow trace"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := signedInDemo(t)
			s := h.app.signedIn
			h.app.win.Resize(fyne.NewSize(800, 600))
			s.tabs.SelectIndex(tt.selected)
			h.app.win.Resize(fyne.NewSize(1366, 768))
			if got := s.tabs.Selected().Text; got != tt.want || len(s.tabs.Items) != 2 {
				t.Fatalf("widened, the %q tab shows (%d tabs), want %q", got, len(s.tabs.Items), tt.want)
			}
		})
	}
}

// TestSignedInViewComesInStages: the first frames of the signed-in view
// draw the People rows; the TokenInfo and session cards come once the rows
// are all drawn, the flow trace's contents after them, each in a frame of
// its own. Before, the first frame drew some 80 new strings at once.
func TestSignedInViewComesInStages(t *testing.T) {
	// With Fyne's text the rows take several frames (the budget), with
	// the cells' own glyphs one; the cards wait for them either way.
	for _, tt := range []struct {
		name      string
		ownGlyphs bool
	}{{"fyne's text", false}, {"own glyphs", true}} {
		t.Run(tt.name, func(t *testing.T) {
			p := newBudgetedPeople(t, 24, tt.ownGlyphs)
			v := p.h.app.signedIn
			if filled(v.tokenBox) || filled(v.sessionBox) || filled(v.traceTab) || filled(v.people.detailBox) {
				t.Fatalf("the cards (%v, %v), the trace (%v) or the Details hint (%v) came with the view's first frame",
					filled(v.tokenBox), filled(v.sessionBox), filled(v.traceTab), filled(v.people.detailBox))
			}
			shown := 0 // "signed-in-shown": all of it is in
			state := v.do.state
			v.do.state = func(name string, args ...any) {
				if name == "signed-in-shown" {
					shown++
				}
				state(name, args...)
			}
			order := revealOrder(t, p, v)
			if shown != 1 {
				t.Fatalf("signed-in-shown logged %d times, want once", shown)
			}
			if want := []string{"rows", "Details hint", "TokenInfo", "session", "trace"}; !slices.Equal(order, want) {
				t.Fatalf("came in the order %v, want %v", order, want)
			}
			if v.sessionBox.Objects[0] != v.session.card || v.traceTab.Objects[0] != v.trace.content {
				t.Fatal("the holders do not hold the session card and the trace")
			}
		})
	}
}

// TestDetailsHintLeavesAPersonShownFirst: the Details pane's hint comes
// after the view's first frames, in an empty pane only: a person chosen
// before its turn (a click as the window came) stays.
func TestDetailsHintLeavesAPersonShownFirst(t *testing.T) {
	for _, tt := range []struct {
		name        string
		personShown bool
	}{{"empty pane", false}, {"a person shown", true}} {
		t.Run(tt.name, func(t *testing.T) {
			p := newBudgetedPeople(t, -1, true)
			v := p.h.app.signedIn
			if filled(v.people.detailBox) {
				t.Fatal("the Details pane was filled with the view")
			}
			if tt.personShown {
				v.people.showDetail(0)
			}
			for p.runQueued() {
			}
			got := textOf(v.people.detail.Items[0].Widget)
			if hint := strings.Contains(got, "Select a person"); hint == tt.personShown {
				t.Fatalf("the pane shows %q", got)
			}
			if tt.personShown && v.people.detail != v.people.pane.form {
				t.Fatal("the person's pane was replaced")
			}
		})
	}
}

// revealOrder runs what is queued until nothing is, and says in which order
// the table's rows were all drawn and each deferred part came; two in one
// round fail.
func revealOrder(t *testing.T, p *budgetedPeople, v *signedInView) []string {
	t.Helper()
	var order []string
	seen := func(what string) bool { return slices.Contains(order, what) }
	for runs := 0; p.runQueued(); runs++ {
		if runs > 50 {
			t.Fatal("still revealing after 50 rounds")
		}
		var came []string // this round
		for _, part := range []struct {
			name string
			box  *fyne.Container
		}{{"Details hint", v.people.detailBox}, {"TokenInfo", v.tokenBox}, {"session", v.sessionBox}, {"trace", v.traceTab}} {
			if filled(part.box) && !seen(part.name) {
				if p.empty() > 0 {
					t.Fatalf("the %s came while %d cells were still held back", part.name, p.empty())
				}
				came = append(came, part.name)
			}
		}
		if p.empty() == 0 && !seen("rows") {
			came = append([]string{"rows"}, came...)
		}
		if len(came) > 1 {
			t.Fatalf("%v came in the same round", came)
		}
		order = append(order, came...)
	}
	return order
}

// filled says whether a holder of the signed-in view holds its part.
func filled(c *fyne.Container) bool { return len(c.Objects) == 1 }

// TestSignedInViewClosedBeforeItsStages: signing out before the cards come
// cancels them.
func TestSignedInViewClosedBeforeItsStages(t *testing.T) {
	p := newBudgetedPeople(t, 24, false)
	v := p.h.app.signedIn
	p.h.app.leaveSignedIn()
	for p.runQueued() {
	}
	if filled(v.tokenBox) || filled(v.sessionBox) || filled(v.traceTab) || filled(v.people.detailBox) {
		t.Fatal("the cards, the trace or the Details hint were put in a view already closed")
	}
}

// TestSignedInTabChosenBeforeItsContents: a tab chosen before its contents
// came (Ctrl+T, a click, the Session tab of a narrow window) shows them at
// once, not a blank pane until the table is done.
func TestSignedInTabChosenBeforeItsContents(t *testing.T) {
	p := newBudgetedPeople(t, 24, false)
	v := p.h.app.signedIn
	if filled(v.traceTab) || filled(v.tokenBox) || filled(v.sessionBox) {
		t.Fatal("the trace or the cards came with the first frame")
	}
	v.tabs.SelectIndex(1)
	if len(v.traceTab.Objects) != 1 {
		t.Fatal("the flow trace tab, chosen, is blank")
	}
	p.h.app.win.Resize(fyne.NewSize(800, 600)) // narrow: the session moves into a tab
	if v.sessionTab == nil {
		t.Fatal("no Session tab at 800x600")
	}
	v.tabs.Select(v.sessionTab)
	if !filled(v.tokenBox) || !filled(v.sessionBox) {
		t.Fatal("the Session tab, chosen, is blank")
	}
}

// TestSignedInTabsTakeTheLastParts: once the reveal has begun, tabs chosen
// before its next look take every part left; that look finds none, and
// must not fail for it.
func TestSignedInTabsTakeTheLastParts(t *testing.T) {
	p := newBudgetedPeople(t, 24, false)
	v := p.h.app.signedIn
	p.h.app.win.Resize(fyne.NewSize(800, 600)) // the Session tab
	for rounds := 0; !filled(v.tokenBox); rounds++ {
		if rounds > 50 || !p.runQueued() {
			t.Fatal("the TokenInfo card never came")
		}
	}
	v.tabs.Select(v.sessionTab)
	v.tabs.SelectIndex(1)
	if !filled(v.sessionBox) || !filled(v.traceTab) {
		t.Fatal("a tab chosen is blank")
	}
	for p.runQueued() {
	}
}

// TestHiddenTraceTabIsNotRefreshed: the trace follows new steps only while
// its tab is shown (a hidden list redrawn on every page fetch cost the table
// its smoothness), though the tab now holds it in a holder.
func TestHiddenTraceTabIsNotRefreshed(t *testing.T) {
	var ticks []func()
	h := newUIHarness(t, hrRobot(), nil)
	h.app = h.newApp(nil, func(o *Options) {
		o.Every = func(_ context.Context, _ time.Duration, f func()) { ticks = append(ticks, f) }
	})
	h.app.Start()
	test.Tap(h.app.form().signIn)
	v := h.app.signedIn
	if v == nil {
		t.Fatalf("not signed in: %q", h.app.form().message.Text)
	}
	tick := func() {
		for _, f := range ticks {
			f()
		}
	}
	before := v.trace.summary.Text
	v.people.reopen() // API calls: new steps in the trace
	h.drain()
	tick()
	if v.trace.summary.Text != before {
		t.Fatalf("the hidden trace was refreshed: %q -> %q", before, v.trace.summary.Text)
	}
	v.tabs.SelectIndex(1)
	tick()
	if v.trace.summary.Text == before {
		t.Fatalf("the trace, shown, still says %q", before)
	}
}

// TestSignedInViewUsesOnlyTheFormsFaces: every part of the signed-in view,
// the ones that come after its first frame and the tabs not chosen
// included, draws in styles the form has already loaded. Fyne loads a new
// style's faces on the UI goroutine when it first measures text in it
// (50-80 ms for italic or monospace here), and that would land in one of
// the frames that follow Sign in.
func TestSignedInViewUsesOnlyTheFormsFaces(t *testing.T) {
	h, _ := signedInDemo(t)
	v := h.app.signedIn
	loaded := textStyles(h.app.form().content)
	parts := []fyne.CanvasObject{v.content, v.people.content, v.session.card, v.trace.content}
	for _, d := range slices.Clone(v.deferred) {
		v.revealNow(d.holder)
		parts = append(parts, d.holder)
	}
	for _, part := range parts {
		for style := range textStyles(part) {
			if !loaded[style] {
				t.Errorf("the signed-in view has text in %+v, which the form does not use (form: %v)", style, loaded)
			}
		}
	}
}

// TestSignedInLayoutHoldsWhileTextsChange: what changes as a person works
// (the countdown, the last refresh, the Details pane between a person and
// a note, the count under the list) leaves the minimum size of the window,
// of its splits and of its panels as it was. A change there had Fyne lay
// out the whole window again, which drew three frames of it back to back
// (steadyWidth).
func TestSignedInLayoutHoldsWhileTextsChange(t *testing.T) {
	h, v := signedInDemo(t)
	w := h.app.win
	s := h.app.signedIn.session
	now := time.Now()
	// The Details pane has shown a person once: its widest content.
	v.table.Select(widget.TableCellID{Row: 0, Col: 0})
	h.drain()
	before := layoutMinSizes(w)
	for _, tc := range []struct {
		name   string
		change func()
	}{
		{"the countdown runs out", func() { s.timeLeft.SetText(timeLeftText(now.Add(-time.Second), now)) }},
		{"the countdown in seconds", func() { s.timeLeft.SetText(timeLeftText(now.Add(3*time.Second), now)) }},
		{"no expiry given", func() { s.timeLeft.SetText(timeLeftText(time.Time{}, now)) }},
		{"a refresh", func() { s.last.SetText("23:59:59") }},
		{"the note in Details", v.clearDetail},
		{"a person loading", func() { v.showNote("Loading this person…") }},
		{"another person", func() { v.table.Select(widget.TableCellID{Row: 3, Col: 1}); h.drain() }},
		{"a search's count", func() { v.status.SetText("12,345 of 50,000 people match") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.change()
			if got := layoutMinSizes(w); !slices.Equal(got, before) {
				t.Errorf("minimum sizes (window, splits, panels) went from\n%v\nto\n%v", before, got)
			}
		})
	}
}

// layoutMinSizes are the minimum sizes of the window's content and of each
// split and panel in it, in the order they are found.
func layoutMinSizes(w fyne.Window) []fyne.Size {
	out := []fyne.Size{w.Content().MinSize()}
	for _, o := range shownObjects(w.Content()) {
		switch o.(type) {
		case *container.Split, *panel:
			out = append(out, o.MinSize())
		}
	}
	return out
}

// TestCountdownKeepsOneLine: in every window wide enough for the session
// card beside the tabs (from the narrowest, through those the app opens on
// 1280×800 and 1400×900 screens, to the size it prefers) every countdown
// text fits the card's line, so the rows under it (the last refresh, the
// sign-in kept, the buttons) stay where they are as it changes; with the
// 3-second tokens of the soak they moved down and back every few seconds.
func TestCountdownKeepsOneLine(t *testing.T) {
	h, _ := signedInDemo(t)
	s := h.app.signedIn.session
	now := time.Now()
	for _, width := range []float32{signedInNarrowWidth, 1152, 1260, preferredWindow.Width} {
		h.app.win.Resize(fyne.NewSize(width, 720))
		s.timeLeft.SetText("Expires in 0:03")
		h.drain()
		line := s.timeLeft.MinSize().Height
		if s.timeLeft.Size().Width <= 0 {
			t.Fatal("the countdown was never laid out: a label without a width does not wrap")
		}
		for _, expiry := range []time.Time{now.Add(-time.Second), now.Add(-time.Hour), now.Add(30 * time.Minute), {}} {
			text := timeLeftText(expiry, now)
			s.timeLeft.SetText(text)
			h.drain()
			if got := s.timeLeft.MinSize().Height; got != line {
				t.Errorf("window %v wide: %q takes %v px in a card %v px wide, one line is %v", width, text, got, s.timeLeft.Size().Width, line)
			}
		}
	}
}

// TestKeyringWarningText: a sign-in the keyring could not save is said in
// the person's terms first, then in the keyring's words, and in a banner
// of at most two lines where the error's whole text took three or more.
func TestKeyringWarningText(t *testing.T) {
	daemonGone := &keyring.Error{Op: "save the sign-in (refresh token)",
		Err: errors.New("The name org.freedesktop.secrets was not provided by any .service files")}
	staleKept := &keyring.Error{Op: "remove the sign-in (refresh token)",
		Err: errors.New("The name org.freedesktop.secrets was not provided by any .service files")}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"not saved", &auth.SessionOnlyError{Err: daemonGone},
			"Signed in for this session only: a restart will ask you to sign in again. Could not save the sign-in (refresh token) " +
				"in the system keyring: The name org.freedesktop.secrets was not provided by any .service files."},
		{"nor the old one removed", &auth.SessionOnlyError{Err: daemonGone, StaleKept: staleKept},
			"Signed in for this session only: a restart will ask you to sign in again. Could not save the sign-in (refresh token) " +
				"in the system keyring: The name org.freedesktop.secrets was not provided by any .service files. " +
				"The previous sign-in could not be removed from the keyring either, and the tenant will refuse it."},
		{"wrapped further", fmt.Errorf("refresh: %w", &auth.SessionOnlyError{Err: errors.New("locked")}),
			"Signed in for this session only: a restart will ask you to sign in again. Locked."},
		{"another error", errors.New("offline"), "Offline."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := keyringWarningText(tt.err); got != tt.want {
				t.Errorf("keyringWarningText =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
	// In the window the app opens on a 1400×900 screen (the soak's), the
	// longest warning takes two lines of the banner; the error's own text
	// took more.
	h, _ := signedInDemo(t)
	v := h.app.signedIn
	h.app.win.Resize(fyne.NewSize(1260, 810))
	lines := func(text string) float32 {
		v.setBanner(text)
		v.content.Refresh() // lays the banner out as a frame would
		h.drain()
		if v.banner.Size().Width < 1000 {
			t.Fatalf("the banner is %v wide in a window 1260 wide", v.banner.Size().Width)
		}
		return v.banner.MinSize().Height
	}
	one, two := lines("One line"), lines(strings.Repeat("Two lines ", 20))
	if two <= one {
		t.Fatalf("a text of two lines is %v px high, one of one line %v", two, one)
	}
	worst := tests[1].err
	if got, was := lines(keyringWarningText(worst)), lines(errorText(worst)); got > two || was <= two {
		t.Errorf("the banner is %v px high (two lines: %v), the whole error's %v", got, two, was)
	}
}
