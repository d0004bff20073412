package data

import (
	"context"
	"encoding/json"
	"io"
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
