package consent

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

// TestRunsFlagWhatIsWorthALook changes the tenant's answers the way a
// tenant that differs from Cezanne's docs would, and checks that each
// difference gets its own row, while the verdict still stands.
func TestRunsFlagWhatIsWorthALook(t *testing.T) {
	tests := []struct {
		name   string
		change func(map[string]any)
		// dropState makes the browser deliver the tenant's answer without
		// its state.
		dropState bool
		want      FlagKind
		detail    string
	}{
		{name: "none"},
		{name: "refresh token missing", change: func(m map[string]any) { delete(m, "refresh_token") },
			want: FlagNoRefreshToken, detail: "no refresh_token"},
		{name: "expires_in absent", change: func(m map[string]any) { delete(m, "expires_in") },
			want: FlagNoExpiresIn, detail: "no expires_in"},
		{name: "scopes differ", change: func(m map[string]any) { m["scope"] = sandbox.ScopeRead + " " + sandbox.ScopeWrite },
			want: FlagScopesDiffer, detail: "granted beyond the request: " + sandbox.ScopeWrite},
		{name: "state not echoed", dropState: true,
			want: FlagStateNotEchoed, detail: "did not echo the state"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tn := startTenant(t)
			r := tn.runner(t, sandbox.ClientDesktopOnDemand)
			tap := &tokenTap{change: tc.change}
			r.HTTPClient = tap.client()
			if tc.dropState {
				r.OpenBrowser = stateDroppingBrowser(t)
			}
			start := time.Now()
			rep, err := r.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			// A lost state must not leave each run waiting for the browser
			// until its timeout (20 s here).
			if took := time.Since(start); took > 10*time.Second {
				t.Errorf("the check took %v", took)
			}
			var kinds []FlagKind
			for _, f := range rep.Verdict.Flags {
				kinds = append(kinds, f.Kind)
				if !strings.Contains(f.Detail, tc.detail) {
					t.Errorf("flag %+v lacks %q", f, tc.detail)
				}
			}
			if tc.want == "" {
				if len(kinds) != 0 {
					t.Fatalf("flags %v, want none", kinds)
				}
			} else if len(kinds) != 6 || slices.ContainsFunc(kinds, func(k FlagKind) bool { return k != tc.want }) {
				t.Fatalf("flags %v, want one %s per run", kinds, tc.want)
			}
			// The consent page was still shown or not as OnDemand does: the
			// flags are beside the verdict, not in place of it.
			if !slices.Equal(rep.Verdict.Matches, []Mode{OnDemand}) {
				t.Errorf("verdict %q", rep.Verdict.Summary)
			}
			if tc.dropState && (rep.Cells[0].Outcome != Failed || !strings.Contains(rep.Cells[0].Error, "state")) {
				t.Errorf("cell 1 = %+v, want failed over the state", rep.Cells[0])
			}
		})
	}
}

// stateDroppingBrowser approves as the robot does, then delivers the
// tenant's redirect without its state parameter.
func stateDroppingBrowser(t *testing.T) func(string) error {
	rb := &sandbox.Robot{Username: "hrprof@sandbox.cezannehr.com", Password: sandbox.DemoPassword, NoDeliver: true}
	return func(authURL string) error {
		res, err := rb.Run(context.Background(), authURL)
		if err != nil {
			return err
		}
		u, err := url.Parse(res.RedirectURL)
		if err != nil {
			return err
		}
		q := u.Query()
		q.Del("state")
		u.RawQuery = q.Encode()
		resp, err := http.Get(u.String())
		if err != nil {
			t.Errorf("delivering the redirect: %v", err)
			return nil
		}
		resp.Body.Close()
		return nil
	}
}

// TestRunnerRefusesWhatCannotRun: a check that cannot run says why in
// words before opening any browser.
func TestRunnerRefusesWhatCannotRun(t *testing.T) {
	p := &auth.Profile{Name: "x", BaseURL: "https://w3.cezanneondemand.com/CezanneOnDemand", ClientID: "c",
		RedirectURI: "http://127.0.0.1:47613/oauth-callback/", Scopes: []string{auth.ScopeRead}}
	if err := p.Normalize(); err != nil {
		t.Fatal(err)
	}
	svc := *p
	svc.GrantType, svc.RedirectURI = auth.GrantServiceAccount, ""
	open := func(string) error { t.Error("a browser was opened"); return nil }
	guide := &scriptedGuide{}
	tests := []struct {
		name string
		r    *Runner
		want string
	}{
		{"no profile", &Runner{ClientSecret: "s", OpenBrowser: open, Guide: guide}, "needs a profile"},
		{"service account", &Runner{Profile: &svc, ClientSecret: "s", OpenBrowser: open, Guide: guide}, "needs a browser profile"},
		{"no secret", &Runner{Profile: p, OpenBrowser: open, Guide: guide}, "client secret"},
		{"no browser", &Runner{Profile: p, ClientSecret: "s", Guide: guide}, "open the browser"},
		{"nobody to answer", &Runner{Profile: p, ClientSecret: "s", OpenBrowser: open}, "a person to answer or a sandbox"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := tc.r.Run(context.Background())
			if err == nil || !strings.Contains(err.Error(), tc.want) || rep != nil {
				t.Errorf("Run = %v, %v; want an error saying %q", rep, err, tc.want)
			}
		})
	}
}

// stopGuide skips every step but the first, and on the first notes what it
// was asked and skips it too.
type stopGuide struct {
	asked []Observation
}

func (g *stopGuide) Before(_ context.Context, s Step) (Action, error) {
	if s.Number > 1 {
		return Skip, nil
	}
	return Continue, nil
}

func (g *stopGuide) Ask(_ context.Context, o Observation) (Reply, error) {
	g.asked = append(g.asked, o)
	return Reply{Action: Skip}, nil
}

// TestStopRun: a run whose browser never answers can be stopped; the
// person is then asked about it (to repeat or skip it) without waiting for
// the run's timeout.
func TestStopRun(t *testing.T) {
	tn := startTenant(t)
	r := tn.runner(t, sandbox.ClientDesktopOnDemand)
	g := &stopGuide{}
	r.Guide, r.Oracle, r.Timeout = g, nil, time.Minute
	r.OpenBrowser = func(string) error { return nil } // the person closed the browser
	r.OnProgress = func(p Progress) {
		if p.Phase == PhaseBrowser {
			go func() {
				time.Sleep(20 * time.Millisecond)
				r.StopRun()
			}()
		}
	}
	start := time.Now()
	rep, err := r.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("stopping took %v", took)
	}
	if len(g.asked) != 1 || g.asked[0].Outcome != Failed || g.asked[0].Err == nil || !strings.Contains(g.asked[0].Err.Error(), "stopped before the tenant answered") {
		t.Fatalf("asked %+v", g.asked)
	}
	if rep.Cells[0].Outcome != Skipped || rep.Runs[0].Error != "stopped before the tenant answered" {
		t.Errorf("cell %+v, run %+v", rep.Cells[0], rep.Runs[0].Error)
	}
	r.StopRun() // no run waiting: nothing happens
}
