package data

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Version is the OData protocol version a service speaks. It decides the
// query options ($inlinecount or $count) and the substring function
// (substringof or contains) the client uses.
type Version int

const (
	V2 Version = 2
	V3 Version = 3
	V4 Version = 4
)

// Property is one property of an entity type, as $metadata declares it.
type Property struct {
	Name     string
	Type     string // Edm.String, Edm.DateTime, Edm.DateTimeOffset, Edm.Boolean, …
	Nullable bool
	// Scale is the Edm.Decimal facet as declared ("2", "variable"; "" when
	// not): a number is shown with that many decimals whichever form the
	// service sent it in.
	Scale string
}

// EntityType is an entity type with its keys and properties (inherited ones first).
type EntityType struct {
	Name       string
	Keys       []string
	Properties []Property
}

// Property finds a property by name.
func (t *EntityType) Property(name string) (Property, bool) {
	for _, p := range t.Properties {
		if p.Name == name {
			return p, true
		}
	}
	return Property{}, false
}

// Metadata is what the client needs from a service's $metadata.
type Metadata struct {
	Version Version
	sets    map[string]*EntityType
}

// EntitySet returns the entity type of a set, e.g. "People".
func (m *Metadata) EntitySet(name string) (*EntityType, error) {
	if t, ok := m.sets[name]; ok {
		return t, nil
	}
	return nil, fmt.Errorf("the service's metadata has no entity set %q", name)
}

// The EDMX shapes of OData v1–v3 (edmx 2007/06, edm 2006–2009 namespaces)
// and v4 CSDL (oasis namespaces) share their element names, so one
// namespace-agnostic model reads both.
type edmx struct {
	Version  string `xml:"Version,attr"`
	Services struct {
		DataServiceVersion string      `xml:"DataServiceVersion,attr"`
		Schemas            []edmSchema `xml:"Schema"`
	} `xml:"DataServices"`
}

type edmSchema struct {
	Namespace   string          `xml:"Namespace,attr"`
	Alias       string          `xml:"Alias,attr"`
	EntityTypes []edmEntityType `xml:"EntityType"`
	// TypeDefinitions (v4) name a primitive type with facets, e.g. Amount
	// for Edm.Decimal with Scale 2; properties of such a type are read as
	// the primitive type.
	TypeDefinitions []edmTypeDefinition `xml:"TypeDefinition"`
	Containers      []struct {
		Sets []struct {
			Name       string `xml:"Name,attr"`
			EntityType string `xml:"EntityType,attr"`
		} `xml:"EntitySet"`
	} `xml:"EntityContainer"`
}

type edmEntityType struct {
	Name     string `xml:"Name,attr"`
	BaseType string `xml:"BaseType,attr"`
	Key      struct {
		Refs []struct {
			Name string `xml:"Name,attr"`
		} `xml:"PropertyRef"`
	} `xml:"Key"`
	Properties []struct {
		Name     string `xml:"Name,attr"`
		Type     string `xml:"Type,attr"`
		Nullable string `xml:"Nullable,attr"`
		Scale    string `xml:"Scale,attr"`
	} `xml:"Property"`
}

type edmTypeDefinition struct {
	Name           string `xml:"Name,attr"`
	UnderlyingType string `xml:"UnderlyingType,attr"`
	Scale          string `xml:"Scale,attr"`
}

// schemaTypes indexes a document's entity types and type definitions by
// every name they may be referred to by: Namespace.Name and Alias.Name.
type schemaTypes struct {
	entities map[string]*edmEntityType
	defs     map[string]edmTypeDefinition
}

func indexTypes(schemas []edmSchema) schemaTypes {
	idx := schemaTypes{entities: map[string]*edmEntityType{}, defs: map[string]edmTypeDefinition{}}
	for si := range schemas {
		s := &schemas[si]
		prefixes := []string{s.Namespace}
		if s.Alias != "" {
			prefixes = append(prefixes, s.Alias)
		}
		for _, prefix := range prefixes {
			for ti := range s.EntityTypes {
				idx.entities[prefix+"."+s.EntityTypes[ti].Name] = &s.EntityTypes[ti]
			}
			for _, d := range s.TypeDefinitions {
				idx.defs[prefix+"."+d.Name] = d
			}
		}
	}
	return idx
}

// ParseMetadata reads an EDMX document (OData v1–v3) or CSDL (v4).
func ParseMetadata(r io.Reader) (*Metadata, error) {
	var doc edmx
	dec := xml.NewDecoder(r)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("the service's metadata is not valid EDMX: %w", err)
	}
	m := &Metadata{Version: V2, sets: map[string]*EntityType{}}
	switch {
	case strings.HasPrefix(doc.Version, "4"):
		m.Version = V4
	case strings.HasPrefix(doc.Services.DataServiceVersion, "3"):
		m.Version = V3
	case doc.Version == "" && len(doc.Services.Schemas) == 0:
		return nil, errors.New("the service's metadata is not an EDMX document")
	}
	raw := indexTypes(doc.Services.Schemas)
	for _, s := range doc.Services.Schemas {
		for _, c := range s.Containers {
			for _, set := range c.Sets {
				t, err := resolveType(raw, set.EntityType, 0)
				if err != nil {
					return nil, fmt.Errorf("entity set %s: %w", set.Name, err)
				}
				m.sets[set.Name] = t
			}
		}
	}
	if len(m.sets) == 0 {
		return nil, errors.New("the service's metadata declares no entity sets")
	}
	return m, nil
}

// resolveType flattens an entity type with its base types.
func resolveType(raw schemaTypes, name string, depth int) (*EntityType, error) {
	if depth > 16 {
		return nil, fmt.Errorf("type %s: base types nest too deep (a cycle?)", name)
	}
	t, ok := raw.entities[name]
	if !ok {
		return nil, fmt.Errorf("unknown entity type %q", name)
	}
	out := &EntityType{Name: t.Name}
	if t.BaseType != "" {
		base, err := resolveType(raw, t.BaseType, depth+1)
		if err != nil {
			return nil, err
		}
		out.Keys = append(out.Keys, base.Keys...)
		out.Properties = append(out.Properties, base.Properties...)
	}
	for _, k := range t.Key.Refs {
		out.Keys = append(out.Keys, k.Name)
	}
	for _, p := range t.Properties {
		prop := Property{Name: p.Name, Type: p.Type, Nullable: p.Nullable != "false", Scale: p.Scale}
		if d, ok := raw.defs[p.Type]; ok {
			prop.Type = d.UnderlyingType
			if prop.Scale == "" {
				prop.Scale = d.Scale
			}
		}
		out.Properties = append(out.Properties, prop)
	}
	if len(out.Properties) == 0 {
		return nil, fmt.Errorf("entity type %s has no properties", name)
	}
	return out, nil
}

// Metadata fetches and parses the service's $metadata.
func (c *Client) Metadata(ctx context.Context) (*Metadata, error) {
	var m *Metadata
	err := c.get(ctx, "metadata", c.ServiceURL+"/$metadata", "application/xml", func(r io.Reader) error {
		var err error
		m, err = ParseMetadata(r)
		return err
	})
	return m, err
}
