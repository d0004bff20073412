package data

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

func TestMetadataVersions(t *testing.T) {
	for _, v := range []int{2, 3, 4} {
		c, _ := sandboxClient(t, sandbox.Config{ODataVersion: v})
		m, err := c.Metadata(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if m.Version != Version(v) {
			t.Errorf("version %d detected as %d", v, m.Version)
		}
		et, err := m.EntitySet("People")
		if err != nil {
			t.Fatal(err)
		}
		if len(et.Keys) != 1 || et.Keys[0] != "PersonGuid" || len(et.Properties) != 17 {
			t.Fatalf("v%d: %+v", v, et)
		}
		sd, _ := et.Property("StartDate")
		if (v == 4) != (sd.Type == "Edm.DateTimeOffset") {
			t.Errorf("v%d StartDate type %s", v, sd.Type)
		}
	}
}

func TestParseMetadataShapes(t *testing.T) {
	inherit := `<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="Org.Model" Alias="M" xmlns="http://docs.oasis-open.org/odata/ns/edm">
<EntityType Name="Entity" Abstract="true"><Key><PropertyRef Name="Id"/></Key><Property Name="Id" Type="Edm.Guid" Nullable="false"/></EntityType>
<EntityType Name="Person" BaseType="M.Entity"><Property Name="Name" Type="Edm.String"/></EntityType>
</Schema>
<Schema Namespace="Org.Container" xmlns="http://docs.oasis-open.org/odata/ns/edm"><EntityContainer Name="C"><EntitySet Name="People" EntityType="Org.Model.Person"/></EntityContainer></Schema>
</edmx:DataServices></edmx:Edmx>`
	m, err := ParseMetadata(strings.NewReader(inherit))
	if err != nil {
		t.Fatal(err)
	}
	et, _ := m.EntitySet("People")
	if m.Version != V4 || len(et.Keys) != 1 || et.Keys[0] != "Id" || len(et.Properties) != 2 || et.Properties[0].Nullable {
		t.Fatalf("inherited type: %+v", et)
	}
	for _, bad := range []string{"", "<html>no</html>", `<edmx:Edmx Version="1.0" xmlns:edmx="e"><edmx:DataServices><Schema Namespace="N"><EntityContainer Name="C"><EntitySet Name="P" EntityType="N.Missing"/></EntityContainer></Schema></edmx:DataServices></edmx:Edmx>`,
		`<edmx:Edmx Version="4.0" xmlns:edmx="e"><edmx:DataServices><Schema Namespace="N"><EntityType Name="A" BaseType="N.A"><Property Name="x" Type="Edm.String"/></EntityType><EntityContainer Name="C"><EntitySet Name="P" EntityType="N.A"/></EntityContainer></Schema></edmx:DataServices></edmx:Edmx>`} {
		if _, err := ParseMetadata(strings.NewReader(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

// FuzzParseMetadata: accepted metadata has at least one entity set, every
// set resolves to a type with properties, the same document always gives
// the same result, and a type holds no more properties than its chain of
// base types (at most 17 deep) declares.
func FuzzParseMetadata(f *testing.F) {
	seed, _ := os.ReadFile(filepath.Join("testdata", "metadata-v2.xml"))
	f.Add(seed)
	f.Add([]byte(`<edmx:Edmx Version="4.0"><edmx:DataServices><Schema Namespace="N" Alias="A"><EntityType Name="T" BaseType="A.T"/><EntityContainer><EntitySet Name="S" EntityType="A.T"/></EntityContainer></Schema></edmx:DataServices></edmx:Edmx>`))
	f.Add([]byte(`<edmx:Edmx Version="4.0"><edmx:DataServices><Schema Namespace="N"><EntityType Name="B"><Key><PropertyRef Name="Id"/></Key><Property Name="Id" Type="Edm.Int32" Nullable="false"/></EntityType><EntityType Name="T" BaseType="N.B"><Property Name="x" Type="Edm.String"/></EntityType><EntityContainer Name="C"><EntitySet Name="P" EntityType="N.T"/><EntitySet Name="Q" EntityType="N.B"/></EntityContainer></Schema></edmx:DataServices></edmx:Edmx>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseMetadata(bytes.NewReader(b))
		if err != nil {
			return
		}
		if len(m.sets) == 0 || m.Version < V2 || m.Version > V4 {
			t.Fatalf("metadata %+v accepted", m)
		}
		declared := bytes.Count(b, []byte("Property"))
		for name := range m.sets {
			et, err := m.EntitySet(name)
			if err != nil || len(et.Properties) == 0 || len(et.Properties) > 17*declared {
				t.Fatalf("set %q: %+v, %v", name, et, err)
			}
		}
		again, err := ParseMetadata(bytes.NewReader(b))
		if err != nil || !reflect.DeepEqual(again, m) {
			t.Fatalf("the same document parsed twice differs: %v", err)
		}
	})
}

// TestMetadataFacets: a property's Scale is kept, and a v4 TypeDefinition
// (by namespace or alias) is read as its underlying type with its facets,
// so a Money property formats as the Edm.Decimal it is.
func TestMetadataFacets(t *testing.T) {
	doc := `<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="Org.Model" Alias="M" xmlns="http://docs.oasis-open.org/odata/ns/edm">
<TypeDefinition Name="Money" UnderlyingType="Edm.Decimal" Scale="2"/>
<TypeDefinition Name="Code" UnderlyingType="Edm.String"/>
<EnumType Name="Colour"><Member Name="Red"/></EnumType>
<EntityType Name="Person"><Key><PropertyRef Name="Id"/></Key>
<Property Name="Id" Type="Edm.Guid" Nullable="false"/>
<Property Name="Salary" Type="M.Money"/>
<Property Name="Bonus" Type="Org.Model.Money" Scale="3"/>
<Property Name="Rate" Type="Edm.Decimal" Scale="variable"/>
<Property Name="Badge" Type="Org.Model.Code"/>
<Property Name="Colour" Type="M.Colour"/>
</EntityType>
<EntityContainer Name="C"><EntitySet Name="People" EntityType="M.Person"/></EntityContainer>
</Schema></edmx:DataServices></edmx:Edmx>`
	m, err := ParseMetadata(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	et, _ := m.EntitySet("People")
	for _, tc := range []struct{ name, typ, scale string }{
		{"Salary", "Edm.Decimal", "2"},
		{"Bonus", "Edm.Decimal", "3"},
		{"Rate", "Edm.Decimal", "variable"},
		{"Badge", "Edm.String", ""},
		{"Colour", "M.Colour", ""},
	} {
		p, ok := et.Property(tc.name)
		if !ok || p.Type != tc.typ || p.Scale != tc.scale {
			t.Errorf("%s: %+v, want type %s scale %q", tc.name, p, tc.typ, tc.scale)
		}
	}
	salary, _ := et.Property("Salary")
	if got := csvValue(json.Number("-5.5"), salary); got != "-5.50" {
		t.Errorf("Money -5.5 in CSV: %q", got)
	}
}
