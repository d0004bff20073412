package main

import (
	"context"
	"log/slog"
	"sync"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

// demoTenant runs the built-in sandbox inside the app, started on first use.
type demoTenant struct {
	logger  *slog.Logger
	once    sync.Once
	running *sandbox.Running
	err     error
}

// demoRedirectPort is the loopback port the demo client is registered with,
// unless another program holds it.
const demoRedirectPort = 47613

func (d *demoTenant) start(_ context.Context, customScheme bool) (*auth.Profile, string, error) {
	d.once.Do(func() {
		redirect := sandbox.FreeLoopbackRedirect(demoRedirectPort, "/oauth-callback/")
		srv, err := sandbox.New(sandbox.Config{LoopbackRedirect: redirect, Logger: d.logger.With("component", "demo-tenant")})
		if err != nil {
			d.err = err
			return
		}
		d.running, d.err = srv.Start("127.0.0.1:0")
		if d.err == nil {
			d.logger.Info("demo tenant started", "base_url", d.running.BaseURL())
		}
	})
	if d.err != nil {
		return nil, "", d.err
	}
	clientID := sandbox.ClientDesktopOnDemand
	if customScheme {
		clientID = sandbox.ClientDesktopScheme
	}
	c, _ := d.running.OAuthClient(clientID)
	p := &auth.Profile{Name: "Demo tenant", Demo: true, BaseURL: d.running.BaseURL(), ClientID: c.ID,
		RedirectURI: c.RedirectURIs[0], Scopes: []string{auth.ScopeRead}}
	if err := p.Normalize(); err != nil {
		return nil, "", err
	}
	return p, c.Secret, nil
}

func (d *demoTenant) close() {
	if d.running != nil {
		_ = d.running.Close()
	}
}
