// Package sessionbus connects to the desktop's session bus (D-Bus) for the
// app's talks with xdg-desktop-portal: the file chooser
// (internal/filechooser) and the light or dark preference
// (internal/colorscheme). Each caller gets a connection of its own, so that
// closing it drops only its own signal subscriptions.
package sessionbus

// The desktop portal's bus name and object path (xdg-desktop-portal),
// which every portal interface shares.
const (
	PortalName = "org.freedesktop.portal.Desktop"
	PortalPath = "/org/freedesktop/portal/desktop"
)
