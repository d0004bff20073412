package ui

import (
	"fyne.io/fyne/v2"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
)

// prefProfile holds the current profile's JSON (the --profile format, which
// has no secrets) in Fyne's preferences.
const prefProfile = "profile.current"

func loadProfile(prefs fyne.Preferences) *auth.Profile {
	raw := prefs.String(prefProfile)
	if raw == "" {
		return nil
	}
	p, err := auth.ParseProfile([]byte(raw))
	if err != nil {
		return nil
	}
	return p
}

func saveProfile(prefs fyne.Preferences, p *auth.Profile) {
	prefs.SetString(prefProfile, string(p.Marshal()))
}
