package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestPanelLaysOutAsACard: a panel puts its title and content where
// widget.Card puts them, and asks for the same room, so that the parts of
// the signed-in view kept their places when the cards became panels.
func TestPanelLaysOutAsACard(t *testing.T) {
	test.NewTempApp(t)
	for _, tc := range []struct {
		name  string
		title string
		size  fyne.Size
	}{
		{"a pane", "Signed in as", fyne.NewSize(300, 400)},
		{"a narrow one", "Details", fyne.NewSize(120, 90)},
		{"a long title", "Session and what the tenant granted", fyne.NewSize(500, 200)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cardContent, panelContent := widget.NewLabel("Cheryl Abrahams"), widget.NewLabel("Cheryl Abrahams")
			card, p := widget.NewCard(tc.title, "", cardContent), newPanel(tc.title, panelContent)
			if card.MinSize() != p.MinSize() {
				t.Errorf("min size %v, a card's %v", p.MinSize(), card.MinSize())
			}
			card.Resize(tc.size)
			p.Resize(tc.size)
			if cardContent.Position() != panelContent.Position() || cardContent.Size() != panelContent.Size() {
				t.Errorf("content at %v size %v, in a card at %v size %v",
					panelContent.Position(), panelContent.Size(), cardContent.Position(), cardContent.Size())
			}
		})
	}
}

// TestPanelDrawsNoShadow: a panel draws its title and its content, and
// nothing that a card's shadow draws (gradients, in every frame).
func TestPanelDrawsNoShadow(t *testing.T) {
	test.NewTempApp(t)
	p := newPanel("Details", widget.NewLabel("x"))
	w := test.NewTempWindow(t, p)
	w.Resize(fyne.NewSize(200, 200))
	var title bool
	for _, o := range test.LaidOutObjects(p) {
		switch o := o.(type) {
		case *canvas.LinearGradient, *canvas.RadialGradient:
			t.Errorf("draws a %T", o)
		case *canvas.Text:
			title = title || (o.Text == "Details" && o.TextStyle.Bold)
		}
	}
	if !title {
		t.Error("no bold title \"Details\"")
	}
}
