package main

import (
	"context"
	"log/slog"
	"net/url"
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

func TestDemoTenant(t *testing.T) {
	d := &demoTenant{logger: slog.New(slog.DiscardHandler)}
	defer d.close()
	loopback, secret, err := d.start(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	scheme, schemeSecret, err := d.start(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	if loopback.BaseURL != scheme.BaseURL {
		t.Fatalf("a second tenant started: %s, then %s", loopback.BaseURL, scheme.BaseURL)
	}
	tests := []struct {
		profile    *auth.Profile
		secret     string
		wantClient string
		wantKind   auth.RedirectKind
	}{
		{loopback, secret, sandbox.ClientDesktopOnDemand, auth.RedirectLoopback},
		{scheme, schemeSecret, sandbox.ClientDesktopScheme, auth.RedirectCustomScheme},
	}
	for _, tt := range tests {
		p := tt.profile
		r, err := auth.ParseRedirectURI(p.RedirectURI)
		if err != nil || r.Kind != tt.wantKind || p.ClientID != tt.wantClient || !p.Demo || tt.secret == "" {
			t.Errorf("profile %+v (redirect %v, %v), secret %q", p, r, err, tt.secret)
		}
		if u, err := url.Parse(p.BaseURL); err != nil || u.Hostname() != "127.0.0.1" {
			t.Errorf("the demo tenant serves at %q", p.BaseURL)
		}
	}
}
