package ui

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
)

// Profiles (no secrets: the --profile JSON format) live in Fyne's
// preferences; their secrets live in the keyring under the profile's name,
// bound to its tenant and client ID. The person's confirmations of a data
// service at another origin are kept apart from the profiles, so that no
// profile JSON (a file, an export) ever carries one.
const (
	prefProfiles  = "profiles.list"
	prefCurrent   = "profiles.current"
	prefConfirmed = "profiles.data_service_confirmed"
	prefQA        = "profiles.qa"
)

// preferences is the part of fyne.Preferences the app uses.
type preferences interface {
	String(key string) string
	SetString(key, value string)
}

// profileList reads and writes the saved profiles.
type profileList struct{ prefs preferences }

func (l profileList) all() []*auth.Profile {
	var raws []json.RawMessage
	if err := json.Unmarshal([]byte(l.prefs.String(prefProfiles)), &raws); err != nil {
		return nil
	}
	var out []*auth.Profile
	confirmed := l.confirmations()
	for _, raw := range raws {
		if p, err := auth.ParseProfile(raw); err == nil {
			p.DataServiceConfirmed = p.CrossOriginDataService() && confirmed[p.Name] == confirmationKey(p)
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (l profileList) names() []string {
	var names []string
	for _, p := range l.all() {
		names = append(names, p.Name)
	}
	return names
}

func (l profileList) get(name string) *auth.Profile {
	for _, p := range l.all() {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// save adds p, or replaces the profile of the same name, with its data
// service confirmation as p has it.
func (l profileList) save(p *auth.Profile) {
	list := []*auth.Profile{p}
	for _, q := range l.all() {
		if q.Name != p.Name {
			list = append(list, q)
		}
	}
	l.write(list)
	confirmed := l.confirmations()
	delete(confirmed, p.Name)
	if p.DataServiceConfirmed && p.CrossOriginDataService() {
		confirmed[p.Name] = confirmationKey(p)
	}
	l.writeConfirmations(confirmed)
}

// confirmationKey is what the person confirmed: this tenant's sign-in may
// go to that data service. A profile that changes either needs a new
// confirmation.
func confirmationKey(p *auth.Profile) string { return p.TenantOrigin() + " " + p.DataServiceOrigin() }

func (l profileList) confirmations() map[string]string {
	m := map[string]string{}
	_ = json.Unmarshal([]byte(l.prefs.String(prefConfirmed)), &m)
	return m
}

func (l profileList) writeConfirmations(m map[string]string) {
	b, _ := json.Marshal(m)
	l.prefs.SetString(prefConfirmed, string(b))
}

// adopt gives p, read from a file, the confirmation the person gave the
// saved profile of its name, when it is for the same tenant, client and
// data service: the file then asks nothing the person has not agreed to.
func (l profileList) adopt(p *auth.Profile) {
	if old := l.get(p.Name); old != nil && old.DataServiceConfirmed && sameBinding(old, p) && confirmationKey(old) == confirmationKey(p) {
		p.DataServiceConfirmed = true
	}
}

// freeName is p under the first name "Name (2)", "Name (3)", … that is
// free or already holds p's tenant and client ID (the copy made last time).
func (l profileList) freeName(p *auth.Profile) *auth.Profile {
	q := *p
	for n := 2; ; n++ {
		q.Name = fmt.Sprintf("%s (%d)", p.Name, n)
		if old := l.get(q.Name); old == nil || sameBinding(old, &q) {
			return &q
		}
	}
}

func (l profileList) remove(name string) {
	var list []*auth.Profile
	for _, q := range l.all() {
		if q.Name != name {
			list = append(list, q)
		}
	}
	l.write(list)
	confirmed := l.confirmations()
	delete(confirmed, name)
	l.writeConfirmations(confirmed)
	l.setQA(name, qaChoices{})
	if l.current() == name {
		l.setCurrent("")
	}
}

func (l profileList) write(list []*auth.Profile) {
	raws := make([]json.RawMessage, len(list))
	for i, p := range list {
		raws[i] = p.Marshal()
	}
	b, _ := json.Marshal(raws)
	l.prefs.SetString(prefProfiles, string(b))
}

// qa are the QA choices remembered for the profile called name (the
// demo's under choiceDemo).
func (l profileList) qa(name string) qaChoices {
	return l.allQA()[name]
}

func (l profileList) allQA() map[string]qaChoices {
	m := map[string]qaChoices{}
	_ = json.Unmarshal([]byte(l.prefs.String(prefQA)), &m)
	return m
}

// setQA remembers q for the profile called name; the defaults take no room.
func (l profileList) setQA(name string, q qaChoices) {
	m := l.allQA()
	if m[name] == q {
		return
	}
	if q == (qaChoices{}) {
		delete(m, name)
	} else {
		m[name] = q
	}
	b, _ := json.Marshal(m)
	l.prefs.SetString(prefQA, string(b))
}

// current is the profile used last ("" means the demo tenant).
func (l profileList) current() string     { return l.prefs.String(prefCurrent) }
func (l profileList) setCurrent(n string) { l.prefs.SetString(prefCurrent, n) }

// importProfile reads a profile JSON file (the --profile format) as IT hands
// it out; the same checks apply as on the command line.
func importProfile(r io.Reader) (*auth.Profile, error) {
	b, err := io.ReadAll(io.LimitReader(r, auth.MaxProfileFile+1))
	if err != nil {
		return nil, fmt.Errorf("could not read the file: %w", err)
	}
	if len(b) > auth.MaxProfileFile {
		return nil, fmt.Errorf("the file is larger than 64 KiB; is it a profile?")
	}
	p, err := auth.ParseProfile(b)
	if err != nil {
		return nil, fmt.Errorf("this is not a usable profile: %w", err)
	}
	return p, nil
}

// exportProfile writes p in the --profile format: no secrets.
func exportProfile(w io.Writer, p *auth.Profile) error {
	_, err := w.Write(append(p.Marshal(), '\n'))
	return err
}
