package main

import "testing"

func TestAppMetadataFromFyneAppTOML(t *testing.T) {
	m, err := appMetadata(fyneAppTOML)
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "Cezanne HR Desktop" || m.ID != appID || m.Version == "" || m.Build < 1 || !m.Migrations["fyneDo"] {
		t.Fatalf("metadata %+v", m)
	}
	for _, bad := range []string{"", "[Details]\nName = \"x\"\n", "[Details]\nName=\"a\"\nID=\"b\"\nVersion=\"1\"\nBuild=\"x\"\n"} {
		if _, err := appMetadata(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}
