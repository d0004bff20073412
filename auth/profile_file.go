package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// maxProfileFile bounds what we read from a --profile file.
const maxProfileFile = 64 << 10

// PresetProfilePath is where IT (or the Windows installer's /PROFILE=
// switch) puts a tenant profile for the user: profile.json in the app's
// folder of the user's config directory (%AppData%, ~/.config,
// ~/Library/Application Support).
func PresetProfilePath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "cezanne-desktop", "profile.json"), nil
}

// LoadProfile reads and validates a profile JSON file.
func LoadProfile(path string) (*Profile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot open the profile file: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxProfileFile+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read the profile file %s: %w", path, err)
	}
	if len(b) > maxProfileFile {
		return nil, fmt.Errorf("the profile file %s is larger than %d KiB; is it the right file?", path, maxProfileFile>>10)
	}
	p, err := ParseProfile(b)
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", path, err)
	}
	return p, nil
}

// ParseProfile decodes and validates a profile's JSON.
func ParseProfile(b []byte) (*Profile, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if _, ok := probe["client_secret"]; ok {
		return nil, errors.New("client_secret does not belong in a profile file; set CEZANNE_CLIENT_SECRET or enter it in the app, which keeps it in the system keyring")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var p Profile
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("not a valid profile: %w", err)
	}
	if err := p.Normalize(); err != nil {
		return nil, err
	}
	return &p, nil
}

// Marshal returns the profile's JSON, the same format LoadProfile reads.
func (p *Profile) Marshal() []byte {
	b, _ := json.MarshalIndent(p, "", "  ")
	return b
}
