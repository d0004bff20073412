package trace

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

// TestTraceOfASignIn signs in against the sandbox with a trace, refreshes,
// calls the API, and checks every step the QA workbench shows, and that no
// export contains a secret.
func TestTraceOfASignIn(t *testing.T) {
	run := signInWithTrace(t, nil)
	steps := run.trace.Steps()
	want := []stepWant{
		{kind: StepAuthorize, fields: map[string]string{"state": "qa-state-1", "code_challenge_method": "S256", "response_type": "code"}},
		{kind: StepBrowser},
		{kind: StepCallback, fields: map[string]string{"state matched": "yes"}, noError: true, redacted: []string{"code"}},
		{kind: StepTokenRequest, fields: map[string]string{"grant_type": "authorization_code", "client_id": run.profile.ClientID},
			redacted: []string{"code", "client_secret", "code_verifier"}, curl: []string{`"client_secret=$CLIENT_SECRET"`, `"code=$CODE"`}},
		{kind: StepTokenResponse, status: 200, set: []string{"expires_in", "token_type", "scope requested"}},
		{kind: StepOutcome},
		{kind: StepTokenRequest, title: "Refresh: token request", fields: map[string]string{"grant_type": "refresh_token"}},
		{kind: StepTokenResponse},
		{kind: StepTokenInfo, status: 200, fields: map[string]string{"Username": "hrprof@sandbox.cezannehr.com"}, prefixed: map[string]string{"Authorization": "Bearer "}},
		{kind: StepAPICall, title: "GET People", status: 200, sized: true, curl: []string{"$ACCESS_TOKEN"}},
	}
	wantKinds(t, steps, want)
	for i, w := range want {
		t.Run(fmt.Sprintf("step %d %s", i+1, w.kind), func(t *testing.T) { w.check(t, steps[i]) })
	}

	access, _ := run.session.Token()
	t.Run("reveal", func(t *testing.T) {
		if run.trace.RevealAccessToken() != access.AccessToken {
			t.Error("reveal does not give the current access token")
		}
	})
	var js, md bytes.Buffer
	if err := run.trace.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	if err := run.trace.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	t.Run("exports hold no secret", func(t *testing.T) {
		wantNoSecret(t, []string{js.String(), md.String()}, run.secret, access.AccessToken, access.RefreshToken, run.code)
	})
	t.Run("JSON round trip", func(t *testing.T) {
		meta, back, err := ReadJSON(bytes.NewReader(js.Bytes()))
		if err != nil || len(back) != len(steps) || meta.Profile.ClientID != run.profile.ClientID {
			t.Fatalf("JSON round trip: %v, %d steps", err, len(back))
		}
	})
	t.Run("Markdown", func(t *testing.T) {
		for _, line := range []string{"# Cezanne HR Desktop flow trace", "| 3 |", "Callback received", "```sh", "state matched"} {
			if !strings.Contains(md.String(), line) {
				t.Errorf("Markdown lacks %q", line)
			}
		}
	})
}

// tracedSignIn is what a traced sign-in against a sandbox tenant leaves:
// the trace, the session, and the secrets no export may show.
type tracedSignIn struct {
	profile auth.Profile
	trace   *Trace
	session *auth.Session
	secret  string // the client secret
	code    string // the authorization code the sandbox gave the browser
}

// signInWithTrace signs in with a trace as the browser robot, refreshes
// once, asks for TokenInfo and reads a page of People, so that the trace
// holds every kind of step. mutate, when set, changes the profile first.
func signInWithTrace(t *testing.T, mutate func(*auth.Profile)) tracedSignIn {
	t.Helper()
	h := newTenantHarness(t)
	if mutate != nil {
		mutate(h.profile)
	}
	run := tracedSignIn{profile: *h.profile, secret: h.secret}
	p := run.profile
	run.trace = New(Meta{App: "test", Profile: &p})
	o := h.options(keyring.NewMemoryStore())
	o.Trace, o.State = run.trace.SignInHooks(), "qa-state-1"
	codes := make(chan string, 1)
	o.OpenBrowser = func(u string) error {
		go func() {
			res, err := (&sandbox.Robot{Username: "hrprof@sandbox.cezannehr.com", Password: sandbox.DemoPassword}).Run(context.Background(), u)
			if err != nil {
				t.Errorf("robot: %v", err)
				return
			}
			back, _ := url.Parse(res.RedirectURL)
			codes <- back.Query().Get("code")
		}()
		return nil
	}
	s, err := auth.SignIn(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	run.session = s
	if err := s.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if status, err := h.apiGet(s, "/OAuth/TokenInfo"); err != nil || status != 200 {
		t.Fatal(status, err)
	}
	apiReq, _ := http.NewRequest(http.MethodGet, h.profile.DataService()+"/People?$top=2", nil)
	apiReq.Header.Set("Accept", "application/json")
	res, err := s.HTTPClient().Do(apiReq)
	if err != nil || res.StatusCode != 200 {
		t.Fatal(res, err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	run.code = <-codes
	return run
}

// TestTraceWithPKCEOff: the QA option that switches PKCE off still signs in
// against the sandbox, which refuses a code_verifier for a code requested
// without a challenge (a PKCE downgrade): the app sends neither, and the
// trace shows it.
func TestTraceWithPKCEOff(t *testing.T) {
	off := false
	run := signInWithTrace(t, func(p *auth.Profile) { p.PKCE = &off })
	steps := run.trace.Steps()
	for _, st := range steps {
		switch {
		case st.Kind == StepAuthorize && (st.Field("code_challenge") != "" || st.Field("code_challenge_method") != ""):
			t.Errorf("Authorize URL with a challenge although PKCE is off: %+v", st.Fields)
		case st.Kind == StepTokenRequest && st.Field("code_verifier") != "":
			t.Errorf("token request with a code_verifier although PKCE is off: %+v", st.Fields)
		case st.Kind == StepOutcome && st.Error != "":
			t.Errorf("sign-in failed: %s", st.Error)
		}
	}
}

// stepWant is what one step of a trace should hold; the zero value of a
// field asks nothing.
type stepWant struct {
	kind     StepKind
	title    string
	status   int
	fields   map[string]string // exact values
	set      []string          // fields that must have a value
	redacted []string          // fields that must have a value, shown redacted
	prefixed map[string]string // fields that must start with the value
	curl     []string          // what the curl command must contain
	noError  bool
	sized    bool // the step must count the bytes of its response
}

// wantKinds stops the test unless the steps are exactly the wanted kinds in
// order, since the checks of each step find it by its place.
func wantKinds(t *testing.T, steps []Step, want []stepWant) {
	t.Helper()
	var got, wanted []StepKind
	for _, st := range steps {
		got = append(got, st.Kind)
	}
	for _, w := range want {
		wanted = append(wanted, w.kind)
	}
	if len(got) != len(wanted) {
		t.Fatalf("steps %v, want %v", got, wanted)
	}
	for i := range wanted {
		if got[i] != wanted[i] {
			t.Fatalf("step %d is %s, want %s (all: %v)", i+1, got[i], wanted[i], got)
		}
	}
}

func (w stepWant) check(t *testing.T, st Step) {
	t.Helper()
	if w.title != "" && st.Title != w.title {
		t.Errorf("title %q, want %q", st.Title, w.title)
	}
	if w.status != 0 && st.Status != w.status {
		t.Errorf("status %d, want %d", st.Status, w.status)
	}
	if w.noError && st.Error != "" {
		t.Errorf("error %q, want none", st.Error)
	}
	if w.sized && st.Size == 0 {
		t.Error("no response size")
	}
	for _, sub := range w.curl {
		if !strings.Contains(st.Curl, sub) {
			t.Errorf("curl lacks %s: %s", sub, st.Curl)
		}
	}
	w.checkFields(t, st)
}

func (w stepWant) checkFields(t *testing.T, st Step) {
	t.Helper()
	for name, want := range w.fields {
		if got := st.Field(name); got != want {
			t.Errorf("%s = %q, want %q (fields %+v)", name, got, want, st.Fields)
		}
	}
	for _, name := range w.set {
		if st.Field(name) == "" {
			t.Errorf("%s has no value (fields %+v)", name, st.Fields)
		}
	}
	for _, name := range w.redacted {
		if f := st.Field(name); f == "" || !strings.Contains(f, "…") {
			t.Errorf("%s = %q, want it redacted", name, f)
		}
	}
	for name, prefix := range w.prefixed {
		if got := st.Field(name); !strings.HasPrefix(got, prefix) {
			t.Errorf("%s = %q, want it to start %q", name, got, prefix)
		}
	}
}

// wantNoSecret stops the test if an export shows one of the secrets.
func wantNoSecret(t *testing.T, exports []string, secrets ...string) {
	t.Helper()
	for _, out := range exports {
		for _, secret := range secrets {
			if secret != "" && strings.Contains(out, secret) {
				t.Fatalf("an export contains a secret (%s…)", secret[:4])
			}
		}
	}
}

// TestTraceCallbackAndErrors: an answer with a foreign state is recorded
// as ignored, a denial with its error_description, and the outcome says
// why the run failed.
func TestTraceCallbackAndErrors(t *testing.T) {
	p := testProfile(t, func(p *auth.Profile) { p.RedirectURI = freeRedirect(t) })
	tr := New(Meta{Profile: p})
	open := func(authURL string) error {
		u, _ := url.Parse(authURL)
		q := u.Query()
		go func() {
			for _, query := range []string{"code=stolen-code-1234567890&state=forged", "error=access_denied&error_description=The+user+denied+access&state=" + q.Get("state")} {
				resp, err := http.Get(q.Get("redirect_uri") + "?" + query)
				if err == nil {
					resp.Body.Close()
				}
			}
		}()
		return nil
	}
	_, err := auth.SignIn(context.Background(), auth.Options{Profile: p, ClientSecret: "s3cret-s3cret-s3cret", Store: keyring.NewMemoryStore(), OpenBrowser: open, Trace: tr.SignInHooks(), Timeout: 5 * time.Second})
	if err == nil {
		t.Fatal("signed in after a denial")
	}
	steps := tr.Steps()
	var callbacks []Step
	for _, st := range steps {
		if st.Kind == StepCallback {
			callbacks = append(callbacks, st)
		}
	}
	if len(callbacks) != 2 {
		t.Fatalf("%d callback steps, want 2: %+v", len(callbacks), steps)
	}
	if callbacks[0].Field("state matched") != "no" || !strings.Contains(callbacks[0].Error, "ignored") || strings.Contains(callbacks[0].Field("code"), "stolen-code") {
		t.Errorf("forged callback %+v", callbacks[0])
	}
	if callbacks[1].Field("error") != "access_denied" || callbacks[1].Error != "access_denied: The user denied access" {
		t.Errorf("denied callback %+v", callbacks[1])
	}
	last := steps[len(steps)-1]
	if last.Kind != StepOutcome || last.Title != "Failed" || last.Error == "" {
		t.Errorf("outcome %+v", last)
	}
}
