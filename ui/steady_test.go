package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
)

// TestSteadyWidth: the minimum width is the widest the content has needed,
// the height the content's now; the content fills the container.
func TestSteadyWidth(t *testing.T) {
	test.NewTempApp(t)
	r := canvas.NewRectangle(nil)
	hidden := canvas.NewRectangle(nil)
	hidden.SetMinSize(fyne.NewSize(500, 500))
	hidden.Hide()
	c := container.New(&steadyWidth{}, r, hidden)
	for _, tc := range []struct {
		name      string
		content   fyne.Size
		wantWidth float32
	}{
		{"first content", fyne.NewSize(100, 20), 100},
		{"narrower and taller: the width stays", fyne.NewSize(60, 50), 100},
		{"wider: the width grows", fyne.NewSize(140, 10), 140},
		{"narrower again", fyne.NewSize(10, 10), 140},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r.SetMinSize(tc.content)
			if got, want := c.MinSize(), fyne.NewSize(tc.wantWidth, tc.content.Height); got != want {
				t.Errorf("MinSize = %v, want %v (a hidden object counts for nothing)", got, want)
			}
		})
	}
	c.Resize(fyne.NewSize(300, 200))
	if r.Size() != fyne.NewSize(300, 200) || r.Position() != fyne.NewPos(0, 0) {
		t.Errorf("the content is at %v, %v; want the whole container", r.Position(), r.Size())
	}
}

// TestScrollsHoldStillContent: no scroll of the form, the signed-in view
// (its parts that come later included), the trace, the waiting screen or
// the consent check moves a bare Container, whose every Move asks Fyne for
// another frame (stillScroll).
func TestScrollsHoldStillContent(t *testing.T) {
	h, _ := signedInDemo(t)
	v := h.app.signedIn
	for _, d := range slices.Clone(v.deferred) {
		v.revealNow(d.holder)
	}
	scrolls := 0
	roots := map[string]fyne.CanvasObject{"form": h.app.form().content, "signed-in view": v.content, "trace": v.trace.content}
	for name, screen := range map[string]fyne.CanvasObject{
		"waiting screen": newWaitingView(&auth.Profile{Name: "Sandbox"}, waitingActions{}).content,
		"consent check":  newConsentView((&pressed{}).actions()).content,
	} {
		test.NewTempWindow(t, screen).Resize(fyne.NewSize(1000, 700)) // laid out, as shown
		roots[name] = screen
	}
	for name, root := range roots {
		objects := test.LaidOutObjects(root)
		for i, o := range objects {
			s, ok := o.(*container.Scroll)
			if !ok {
				continue
			}
			if i > 0 {
				// A List's own scroll (the walk goes depth first) is Fyne's.
				if _, list := objects[i-1].(*widget.List); list {
					continue
				}
			}
			scrolls++
			if _, bare := s.Content.(*fyne.Container); bare {
				t.Errorf("a scroll of the %s holds a bare container", name)
			}
		}
	}
	if scrolls < 7 {
		t.Fatalf("found %d scrolls; the form, Details, TokenInfo, the session, the trace, the waiting and consent screens each have one", scrolls)
	}
}
