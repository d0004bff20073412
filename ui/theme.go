package ui

import (
	"encoding/json"
	"image/color"
	"log/slog"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/theme"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/colorscheme"
)

// variantTheme is Fyne's own theme in the variant the app chose: light or
// dark whatever variant a widget asks for. Fyne's settings keep the
// variant they started with (dark, before the desktop said otherwise), and
// every widget asks in that one.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

// colorSchemeWait is how long the window waits for the desktop's light or
// dark preference before it makes anything: the read starts as the process
// starts (cmd_app.go), beside the rest of the start, and took 2–8 ms here
// with the desktop's portal running. A desktop that does not answer in
// time keeps Fyne's own reading (the window made dark, then themed again).
const colorSchemeWait = 150 * time.Millisecond

// ColorSchemeReading is the desktop's light or dark preference, being read
// (colorscheme.Reading).
type ColorSchemeReading interface {
	// Wait returns the preference, or an error when it is not read in time
	// (the reading then stops).
	Wait(time.Duration) (colorscheme.Scheme, error)
	// Follow hands each later change on, on a goroutine of its own.
	Follow(changed func(colorscheme.Scheme))
	// Stop ends the reading.
	Stop()
}

// useColorScheme gives the window the colours the person asked for before
// any of it is made (colorscheme's doc says why): named ("light" or "dark"
// from FYNE_THEME or Fyne's settings file, namedVariant; Fyne 2.7.1 lets
// the desktop's preference override them), else the desktop's preference,
// followed as it changes. When neither is known in time, Fyne's own reading
// stays. It runs on the UI goroutine before the window is made; nil
// reading: Fyne's own.
//
// A theme of the app's stops Fyne watching its settings file: a theme or
// scale chosen in Fyne's settings app is taken at the next start.
func useColorScheme(a fyne.App, reading ColorSchemeReading, named, namedBy string, logger *slog.Logger) {
	if reading == nil {
		return
	}
	if v, ok := variantNamed(named); ok {
		reading.Stop()
		a.Settings().SetTheme(variantTheme{theme.DefaultTheme(), v})
		logger.Info("colours", "variant", variantName(v), "from", namedBy)
		return
	}
	start := time.Now()
	scheme, err := reading.Wait(colorSchemeWait)
	waited := time.Since(start).Milliseconds()
	if err != nil {
		reading.Stop()
		logger.Info("colours", "from", "Fyne's own reading", "waited_ms", waited, "err", err)
		return
	}
	current := schemeVariant(scheme)
	a.Settings().SetTheme(variantTheme{theme.DefaultTheme(), current})
	logger.Info("colours", "variant", variantName(current), "from", "the desktop", "scheme", scheme, "waited_ms", waited)
	reading.Follow(func(s colorscheme.Scheme) {
		fyne.Do(func() {
			// Theming the window again measures all its text: only
			// for a change the person sees.
			if v := schemeVariant(s); v != current {
				current = v
				a.Settings().SetTheme(variantTheme{theme.DefaultTheme(), v})
				logger.Info("colours", "variant", variantName(v), "from", "the desktop", "scheme", s)
			}
		})
	})
}

// namedVariant is the variant the person named, as Fyne reads it, and
// where: FYNE_THEME, else the theme of Fyne's settings file (written by
// Fyne's settings app). It reads the disk.
func namedVariant() (name, by string) {
	if env := os.Getenv("FYNE_THEME"); env != "" {
		return env, "FYNE_THEME"
	}
	var s app.SettingsSchema
	path := s.StoragePath()
	data, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(data, &s) != nil {
		return "", ""
	}
	return s.ThemeName, path
}

// variantNamed reads a variant's name: "light" or "dark"; anything else
// names none, as in Fyne.
func variantNamed(name string) (fyne.ThemeVariant, bool) {
	switch name {
	case "light":
		return theme.VariantLight, true
	case "dark":
		return theme.VariantDark, true
	}
	return 0, false
}

// schemeVariant is Fyne's reading of the desktop's preference: no
// preference is light (GNOME's default look).
func schemeVariant(s colorscheme.Scheme) fyne.ThemeVariant {
	if s == colorscheme.Dark {
		return theme.VariantDark
	}
	return theme.VariantLight
}

func variantName(v fyne.ThemeVariant) string {
	if v == theme.VariantDark {
		return "dark"
	}
	return "light"
}
