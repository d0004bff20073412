package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
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
			cardTitle, panelTitle := titleText(t, card, tc.title), titleText(t, p, tc.title)
			if cardTitle.Position() != panelTitle.Position() || cardTitle.Size() != panelTitle.Size() ||
				cardTitle.TextSize != panelTitle.TextSize {
				t.Errorf("title at %v size %v text %v, in a card at %v size %v text %v", panelTitle.Position(), panelTitle.Size(),
					panelTitle.TextSize, cardTitle.Position(), cardTitle.Size(), cardTitle.TextSize)
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

// titleText is the text that draws title in o.
func titleText(t *testing.T, o fyne.CanvasObject, title string) *canvas.Text {
	t.Helper()
	for _, c := range test.LaidOutObjects(o) {
		if txt, ok := c.(*canvas.Text); ok && txt.Text == title {
			return txt
		}
	}
	t.Fatalf("no text %q in %T", title, o)
	return nil
}

// TestPanelFollowsItsTitleAndTheme: a new title and a theme with another
// heading size are drawn after a refresh, as a card's would be.
func TestPanelFollowsItsTitleAndTheme(t *testing.T) {
	a := test.NewTempApp(t)
	p := newPanel("Session", widget.NewLabel("x"))
	w := test.NewTempWindow(t, p)
	w.Resize(fyne.NewSize(300, 200))
	header := test.WidgetRenderer(p).Objects()[0].(*canvas.Text)
	p.Title = "Signed in as"
	p.Refresh()
	if header.Text != "Signed in as" {
		t.Errorf("title %q after the change", header.Text)
	}
	before := header.TextSize
	a.Settings().SetTheme(&headingTheme{Theme: a.Settings().Theme(), heading: before * 2})
	p.Refresh()
	if header.TextSize != before*2 {
		t.Errorf("title drawn at %v after the theme's heading became %v", header.TextSize, before*2)
	}
}

// headingTheme is a theme with another heading size.
type headingTheme struct {
	fyne.Theme
	heading float32
}

func (th *headingTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameHeadingText {
		return th.heading
	}
	return th.Theme.Size(n)
}
