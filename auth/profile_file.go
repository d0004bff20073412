package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
)

// MaxProfileFile bounds what is read of a profile file (--profile, or
// one imported in the window): a profile is well under a kilobyte.
const MaxProfileFile = 64 << 10

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
	b, err := io.ReadAll(io.LimitReader(f, MaxProfileFile+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read the profile file %s: %w", path, err)
	}
	if len(b) > MaxProfileFile {
		return nil, fmt.Errorf("the profile file %s is larger than %d KiB; is it the right file?", path, MaxProfileFile>>10)
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
		if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			// Go's words name the key but not the ones that would do.
			return nil, fmt.Errorf("not a valid profile: there is no key %s (a profile's keys are %s)", field, strings.Join(ProfileKeys(), ", "))
		}
		return nil, fmt.Errorf("not a valid profile: %w", err)
	}
	if p.Demo {
		// "demo" marks the built-in tenant in what the app writes (the
		// flow trace). A file cannot name it: its address is only known
		// once it runs, and saved as a profile it would be a tenant with
		// no address.
		return nil, errors.New(DemoProfileRefusal)
	}
	if err := p.Normalize(); err != nil {
		return nil, err
	}
	return &p, nil
}

// DemoProfileRefusal is why a profile file that says "demo" is refused.
const DemoProfileRefusal = "this profile is the built-in demo tenant, which needs no profile file: start the app without one and choose Demo tenant (built-in sandbox)"

// Marshal returns the profile's JSON, the same format LoadProfile reads.
func (p *Profile) Marshal() []byte {
	b, _ := json.MarshalIndent(p, "", "  ")
	return b
}

// ProfileKeys are the keys of a profile file, in the order of Profile's
// fields, read from its JSON tags: a field added to Profile is a key here
// without anyone listing it again.
func ProfileKeys() []string {
	var keys []string
	t := reflect.TypeFor[Profile]()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" {
			name = f.Name // encoding/json's key for an untagged field
		}
		if f.IsExported() && name != "-" {
			keys = append(keys, name)
		}
	}
	return keys
}
