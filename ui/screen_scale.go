package ui

import (
	"math"
	"os"
	"strconv"
	"strings"
)

// fyneBaselineDPI is the density at which Fyne draws one unit as one pixel
// (its glfw driver's baselineDPI): a screen is scaled by dpi/120, never
// below 1.
const fyneBaselineDPI = 120

// monitorFacts is what the window system says about a screen, and how the
// scale was asked for; fyneScale turns it into Fyne's scale.
type monitorFacts struct {
	goos         string
	wayland      bool
	contentScale float32 // Windows' own scale for the monitor
	widthMm      int
	heightMm     int
	widthPx      int
	user         float32 // FYNE_SCALE or Fyne's settings; 0 when unset
	noDetection  bool    // FYNE_DISABLE_DPI_DETECTION
}

// fyneScale is how many pixels make one of Fyne's units on a screen, by the
// rule Fyne 2.7's glfw driver applies to a window there (calculateScale and
// detectScale): macOS scales textures itself, Windows says, elsewhere the
// density against 120 dpi; times the person's own scale, to one decimal.
// Without the same rule, the size asked for a window would not be the
// size it gets on a dense screen.
func fyneScale(m monitorFacts) float32 {
	system := float32(1)
	switch m.goos {
	case "darwin":
	case "windows":
		if m.contentScale > 0 {
			system = m.contentScale
		}
	default:
		system = detectedScale(m)
	}
	user := m.user
	if user <= 0 {
		user = 1
	}
	return float32(math.Round(float64(system*user*10)) / 10)
}

// detectedScale is the density-based part, for X11 (Wayland scales through
// the compositor, and a Steam Deck reports a 6 cm square screen).
func detectedScale(m monitorFacts) float32 {
	if m.wayland || m.noDetection || m.goos == "linux" && m.widthMm == 60 && m.heightMm == 60 {
		return 1
	}
	dpi := float32(fyneBaselineDPI)
	if m.widthMm > 0 {
		if d := float32(m.widthPx) / (float32(m.widthMm) / 25.4); d >= 10 && d <= 1000 {
			dpi = d
		}
	}
	return max(dpi/fyneBaselineDPI, 1)
}

// scaleFromEnv reads the person's scale and the detection switch the way
// Fyne does: FYNE_SCALE when it is a number, else Fyne's settings (which
// "auto" skips).
func scaleFromEnv(settings float32) (user float32, noDetection bool) {
	env := os.Getenv("FYNE_SCALE")
	if s, err := strconv.ParseFloat(env, 32); err == nil && s != 0 {
		user = float32(s)
	} else if env != "auto" && settings > 0 {
		user = settings
	}
	switch off := os.Getenv("FYNE_DISABLE_DPI_DETECTION"); {
	case strings.EqualFold(off, "true"), strings.EqualFold(off, "t"), off == "1":
		noDetection = true
	}
	return user, noDetection
}
