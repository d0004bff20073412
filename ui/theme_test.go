package ui

import (
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/colorscheme"
)

func TestVariantThemeColor(t *testing.T) {
	base := theme.DefaultTheme()
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		th := variantTheme{base, v}
		for _, asked := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark, 99} {
			if got, want := th.Color(theme.ColorNameBackground, asked), base.Color(theme.ColorNameBackground, v); got != want {
				t.Errorf("the %s theme asked in variant %d gave %v, want %v", variantName(v), asked, got, want)
			}
		}
	}
	if base.Color(theme.ColorNameBackground, theme.VariantLight) == base.Color(theme.ColorNameBackground, theme.VariantDark) {
		t.Fatal("light and dark backgrounds are the same: the test above proves nothing")
	}
}

func TestVariantNamed(t *testing.T) {
	tests := []struct {
		name   string
		want   fyne.ThemeVariant
		wantOK bool
	}{
		{"light", theme.VariantLight, true},
		{"dark", theme.VariantDark, true},
		{"", 0, false},
		{"Dark", 0, false}, // as Fyne reads it
		{"solarized", 0, false},
	}
	for _, tt := range tests {
		if got, ok := variantNamed(tt.name); ok != tt.wantOK || got != tt.want {
			t.Errorf("variantNamed(%q) = %d, %v; want %d, %v", tt.name, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestNamedVariant(t *testing.T) {
	// Fyne's settings file lives under XDG_CONFIG_HOME, or with the ci
	// tag's driver under TMPDIR.
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("TMPDIR", t.TempDir())
	t.Setenv("FYNE_THEME", "")
	var schema app.SettingsSchema
	file := schema.StoragePath()
	if got, _ := namedVariant(); got != "" {
		t.Errorf("with no settings file: %q, want none", got)
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(`{"theme":"dark","scale":1.5}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, by := namedVariant(); got != "dark" || by != file {
		t.Errorf("from Fyne's settings file: %q by %q, want dark by %s", got, by, file)
	}
	t.Setenv("FYNE_THEME", "light")
	if got, by := namedVariant(); got != "light" || by != "FYNE_THEME" {
		t.Errorf("FYNE_THEME beside the file: %q, want light (FYNE_THEME wins, as in Fyne)", got)
	}
}

// fakeReading is a desktop preference read (or not) at once.
type fakeReading struct {
	scheme  colorscheme.Scheme
	err     error
	waited  bool
	stopped bool
	changed func(colorscheme.Scheme)
}

func (r *fakeReading) Wait(time.Duration) (colorscheme.Scheme, error) {
	r.waited = true
	return r.scheme, r.err
}
func (r *fakeReading) Follow(changed func(colorscheme.Scheme)) { r.changed = changed }
func (r *fakeReading) Stop()                                   { r.stopped = true }

// themed is the variant of the app's theme, or -1 when it is not the app's.
func themed(a fyne.App) int {
	if th, ok := a.Settings().Theme().(variantTheme); ok {
		return int(th.variant)
	}
	return -1
}

func TestUseColorScheme(t *testing.T) {
	light, dark := int(theme.VariantLight), int(theme.VariantDark)
	tests := []struct {
		name       string
		reading    *fakeReading
		named      string
		want       int
		wantWaited bool
		following  bool
		changes    []colorscheme.Scheme
		wantThemes []int // the variant after each change that themed the window again
	}{
		{name: "the desktop prefers dark", reading: &fakeReading{scheme: colorscheme.Dark}, want: dark, wantWaited: true, following: true},
		{name: "no preference is light", reading: &fakeReading{scheme: colorscheme.NoPreference}, want: light, wantWaited: true, following: true},
		{name: "not read in time: Fyne's own", reading: &fakeReading{err: colorscheme.ErrUnavailable}, want: -1, wantWaited: true},
		{name: "FYNE_THEME or Fyne's settings name one", reading: &fakeReading{scheme: colorscheme.Light}, named: "dark", want: dark},
		{name: "a name Fyne does not know", reading: &fakeReading{scheme: colorscheme.Light}, named: "solarized", want: light, wantWaited: true, following: true},
		{name: "followed, only changes one sees",
			reading: &fakeReading{scheme: colorscheme.Light}, want: light, wantWaited: true, following: true,
			changes:    []colorscheme.Scheme{colorscheme.NoPreference, colorscheme.Dark, colorscheme.Dark, colorscheme.Light},
			wantThemes: []int{dark, light}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := test.NewTempApp(t)
			var themes []int
			useColorScheme(a, tt.reading, tt.named, "FYNE_THEME", slog.New(slog.DiscardHandler))
			if got := themed(a); got != tt.want {
				t.Fatalf("variant %d, want %d", got, tt.want)
			}
			if tt.reading.waited != tt.wantWaited {
				t.Errorf("waited for the desktop: %v, want %v", tt.reading.waited, tt.wantWaited)
			}
			following := tt.reading.changed != nil
			if following != tt.following {
				t.Errorf("following the desktop: %v, want %v", following, tt.following)
			}
			if !following && !tt.reading.stopped {
				t.Error("a reading not followed was not stopped")
			}
			a.Settings().AddListener(func(fyne.Settings) { themes = append(themes, themed(a)) })
			for _, s := range tt.changes {
				tt.reading.changed(s) // fyne.Do runs inline in tests
			}
			if !slices.Equal(themes, tt.wantThemes) {
				t.Errorf("themed again as %v, want %v", themes, tt.wantThemes)
			}
		})
	}
}

func TestUseColorSchemeWithoutReading(t *testing.T) {
	a := test.NewTempApp(t)
	before := a.Settings().Theme()
	useColorScheme(a, nil, "dark", "FYNE_THEME", slog.New(slog.DiscardHandler))
	if a.Settings().Theme() != before {
		t.Error("the theme changed with no reading (tests, and Fyne's own)")
	}
}
