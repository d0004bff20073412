package data

import (
	"context"
	"encoding/json"
	"io"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// TokenInfo is who the access token belongs to, as Cezanne's TokenInfo
// endpoint reports it.
type TokenInfo struct {
	PersonGUID    string   `json:"PersonGuid"`
	TenantGUID    string   `json:"TenantGuid"`
	RoleGUID      string   `json:"RoleGuid"`
	UserGUID      string   `json:"UserGuid"`
	Username      string   `json:"Username"`
	CountryID     int      `json:"CountryId"`
	CountryName   string   `json:"CountryName"`
	EmailAddress  string   `json:"EmailAddress"`
	FirstName     string   `json:"FirstName"`
	FormattedName string   `json:"FormattedName"`
	LastName      string   `json:"LastName"`
	LocaleID      int      `json:"LocaleId"`
	LocaleName    string   `json:"LocaleName"`
	RoleHierarchy []string `json:"RoleHierarchy"`
	TimeZone      string   `json:"TimeZone"`
}

// DisplayName is the best name to greet the person with.
func (t *TokenInfo) DisplayName() string {
	switch {
	case t.FormattedName != "":
		return t.FormattedName
	case t.FirstName != "" || t.LastName != "":
		return t.FirstName + " " + t.LastName
	}
	return t.Username
}

// TokenInfo asks the tenant who is signed in.
func (c *Client) TokenInfo(ctx context.Context) (*TokenInfo, error) {
	var ti TokenInfo
	err := c.get(ctx, "TokenInfo", c.TokenInfoURL, "application/json", func(r io.Reader) error {
		return json.NewDecoder(r).Decode(&ti)
	})
	if err != nil {
		return nil, err
	}
	return &ti, nil
}

// Country is the person's country as a name. CountryId is the tenant's own
// number for it and means nothing to a person, so it is left out.
func (t *TokenInfo) Country() string { return t.CountryName }

// Locale is the person's locale as people name it: "en-GB" is "English
// (United Kingdom)". LocaleId (a Windows LCID such as 2057) is left out.
func (t *TokenInfo) Locale() string { return LocaleTitle(t.LocaleName) }

// LocaleTitle names a locale tag in English, the language and then its
// region; a tag it cannot read comes back as it is.
func LocaleTitle(tag string) string {
	lt, err := language.Parse(strings.ReplaceAll(tag, "_", "-"))
	if err != nil {
		return tag
	}
	base, _ := lt.Base()
	name := display.English.Languages().Name(base)
	if name == "" {
		return tag
	}
	if region, conf := lt.Region(); conf == language.Exact {
		if r := display.English.Regions().Name(region); r != "" {
			name += " (" + r + ")"
		}
	}
	return name
}
