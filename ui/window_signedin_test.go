package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// Ctrl+T shows the flow trace while signed in, and does nothing after.
func TestSignedInShortcutsComeAndGo(t *testing.T) {
	h, _ := signedInDemo(t)
	c := h.app.win.Canvas()
	press := func() {
		c.(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyT, Modifier: fyne.KeyModifierShortcutDefault})
	}
	v := h.app.signedIn
	press()
	if v.tabs.SelectedIndex() != 1 {
		t.Fatal("Ctrl+T did not show the trace tab")
	}
	v.tabs.SelectIndex(0)
	h.app.ctl.signOut(false)
	press()
	if v.tabs.SelectedIndex() != 0 {
		t.Fatal("the shortcut outlived the signed-in view")
	}
}
