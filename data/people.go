package data

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
)

// Record is one entity as the service sent it: property name to JSON value
// (string, json.Number, bool, nil, or nested objects).
type Record map[string]any

// Page is one page of an entity set.
type Page struct {
	Rows []Record
	// Count is the total when it was asked for ($inlinecount), else -1.
	Count int
	// Next is the server-driven paging link, empty on the last page.
	Next string
}

// Query selects a page of an entity set.
type Query struct {
	Top         int // 0: the server's page size
	Skip        int
	OrderBy     string
	InlineCount bool
}

func (q Query) values() url.Values {
	v := url.Values{"$format": {"json"}}
	if q.Top > 0 {
		v.Set("$top", strconv.Itoa(q.Top))
	}
	if q.Skip > 0 {
		v.Set("$skip", strconv.Itoa(q.Skip))
	}
	if q.OrderBy != "" {
		v.Set("$orderby", q.OrderBy)
	}
	if q.InlineCount {
		v.Set("$inlinecount", "allpages")
	}
	return v
}

// People fetches a page of the People entity set.
func (c *Client) People(ctx context.Context, q Query) (*Page, error) {
	return c.page(ctx, c.ServiceURL+"/People?"+encodeQuery(q.values()))
}

// NextPage follows a page's next link. Links are used as the server wrote
// them, but only to the service's own host: a link elsewhere would carry the
// access token to a stranger.
func (c *Client) NextPage(ctx context.Context, p *Page) (*Page, error) {
	if p.Next == "" {
		return nil, errors.New("no next page")
	}
	next, err := url.Parse(p.Next)
	if err != nil {
		return nil, fmt.Errorf("the server's next-page link is not an address: %w", err)
	}
	base, _ := url.Parse(c.ServiceURL)
	next = base.ResolveReference(next)
	if !strings.EqualFold(next.Host, base.Host) || next.Scheme != base.Scheme {
		return nil, fmt.Errorf("the server's next-page link points to another site (%s); it was not followed", next.Host)
	}
	return c.page(ctx, next.String())
}

func (c *Client) page(ctx context.Context, target string) (*Page, error) {
	var p *Page
	err := c.get(ctx, "People", target, "application/json", func(r io.Reader) error {
		var err error
		p, err = DecodePage(r)
		return err
	})
	return p, err
}

// encodeQuery writes OData system options with a literal '$', as services
// and their documentation show them ($format=json rather than %24format).
func encodeQuery(v url.Values) string {
	return strings.ReplaceAll(v.Encode(), "%24", "$")
}

// DecodePage reads an entity-set response in any JSON dialect WCF Data
// Services may send: v2 verbose ({"d":{"results":[…],"__count","__next"}}
// or {"d":[…]}), v3 JSON light (value, odata.count, odata.nextLink) and v4
// (@odata.count, @odata.nextLink).
func DecodePage(r io.Reader) (*Page, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	var env struct {
		D       json.RawMessage `json:"d"`
		Value   []Record        `json:"value"`
		V3Count json.RawMessage `json:"odata.count"`
		V3Next  string          `json:"odata.nextLink"`
		V4Count json.RawMessage `json:"@odata.count"`
		V4Next  string          `json:"@odata.nextLink"`
	}
	if err := dec.Decode(&env); err != nil {
		return nil, err
	}
	page := &Page{Count: -1}
	switch {
	case len(env.D) > 0:
		trimmed := bytes.TrimSpace(env.D)
		if len(trimmed) > 0 && trimmed[0] == '[' {
			if err := unmarshalNumbers(trimmed, &page.Rows); err != nil {
				return nil, err
			}
			break
		}
		var v2 struct {
			Results []Record        `json:"results"`
			Count   json.RawMessage `json:"__count"`
			Next    string          `json:"__next"`
		}
		if err := unmarshalNumbers(trimmed, &v2); err != nil {
			return nil, err
		}
		if v2.Results == nil {
			return nil, errors.New(`the "d" object has no "results"`)
		}
		page.Rows, page.Next = v2.Results, v2.Next
		if err := parseCount(v2.Count, &page.Count); err != nil {
			return nil, err
		}
	case env.Value != nil:
		page.Rows = env.Value
		page.Next = firstNonEmpty(env.V4Next, env.V3Next)
		count := env.V4Count
		if len(count) == 0 {
			count = env.V3Count
		}
		if err := parseCount(count, &page.Count); err != nil {
			return nil, err
		}
	default:
		return nil, errors.New(`not an OData collection: neither "d" nor "value" found`)
	}
	for _, r := range page.Rows {
		delete(r, "__metadata")
	}
	return page, nil
}

func unmarshalNumbers(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return dec.Decode(v)
}

// parseCount accepts a count as a JSON number or a string ("500" in v2/v3).
func parseCount(raw json.RawMessage, out *int) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	s := strings.Trim(string(raw), `"`)
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return fmt.Errorf("the count %s is not a number", raw)
	}
	*out = n
	return nil
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
