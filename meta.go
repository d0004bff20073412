package main

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
)

// appID is the reverse-DNS ID; Fyne keeps preferences under it.
const appID = "com.cezannehr.desktop"

// FyneApp.toml is the one place the name, ID, version and build number are
// written: `fyne package` reads it, and a plain `go build` embeds it here,
// so the About dialog, traces and installers all show the same version.
//
//go:embed FyneApp.toml
var fyneAppTOML string

// appMetadata reads the [Details] and [Migrations] of FyneApp.toml.
func appMetadata(toml string) (fyne.AppMetadata, error) {
	m := fyne.AppMetadata{Custom: map[string]string{}, Migrations: map[string]bool{}, Release: true}
	section := ""
	for n, line := range strings.Split(toml, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[]")
			continue
		}
		key, raw, ok := strings.Cut(line, "=")
		if !ok {
			return m, fmt.Errorf("FyneApp.toml line %d: %q is not key = value", n+1, line)
		}
		key, raw = strings.TrimSpace(key), strings.TrimSpace(raw)
		value := strings.Trim(raw, `"`)
		switch section + "." + key {
		case "Details.Name":
			m.Name = value
		case "Details.ID":
			m.ID = value
		case "Details.Version":
			m.Version = value
		case "Details.Build":
			b, err := strconv.Atoi(value)
			if err != nil {
				return m, fmt.Errorf("FyneApp.toml: Build %q is not a number", value)
			}
			m.Build = b
		default:
			if section == "Migrations" {
				m.Migrations[key] = value == "true"
			}
		}
	}
	if m.Name == "" || m.ID == "" || m.Version == "" {
		return m, fmt.Errorf("FyneApp.toml lacks Name, ID or Version in [Details]")
	}
	return m, nil
}

func init() {
	m, err := appMetadata(fyneAppTOML)
	if err != nil {
		panic(err) // a broken FyneApp.toml must fail every build's tests, not ship
	}
	app.SetMetadata(m)
}
