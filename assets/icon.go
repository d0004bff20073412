package assets

import _ "embed"

//go:embed icon-256.png
var windowIconPNG []byte

// WindowIconSize is the side of the picture Fyne gives a window as its
// icon: an SVG is drawn at this size, a PNG is decoded as it is.
const WindowIconSize = 256

// WindowIconPNG is the app's icon (icon.png, the installers' 512×512) at
// WindowIconSize; icon_test.go keeps the two the same. Windows and the About
// box take it rather than icon.svg: Fyne drew the SVG on the main thread as
// each window was created (135 ms of the app's launch here, and again for a
// Flow trace window opened once Fyne's cache had let the picture go), and
// its SVG rasteriser draws this one wrong (the stroke too wide, square
// corners). Decoding the PNG takes half a millisecond.
func WindowIconPNG() []byte { return windowIconPNG }
