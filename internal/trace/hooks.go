package trace

import (
	"errors"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
)

// SignInHooks returns the hooks that record a sign-in run into t: pass
// them as auth.Options.Trace. Each call returns fresh hooks, for one run.
// A nil trace returns nil hooks, which auth ignores.
func (t *Trace) SignInHooks() *auth.SignInTrace {
	if t == nil {
		return nil
	}
	var opened time.Time // the browser step, found again by its time
	return &auth.SignInTrace{
		WrapTransport: t.Transport,
		AuthorizeURL:  t.authorizeStep,
		// The step is recorded before the browser starts (a fast browser
		// can answer on the redirect URI before opening returns) and
		// finished with how long opening took.
		BrowserStart: func() {
			opened = t.now()
			t.add(Step{Kind: StepBrowser, Title: "Browser opened", At: opened})
		},
		BrowserDone: func(err error) {
			t.update(opened, StepBrowser, func(s *Step) {
				s.DurationMS = ms(t.now().Sub(opened))
				if err != nil {
					s.Title, s.Error = "Browser could not be opened", err.Error()
				}
			})
		},
		CallbackReceived: t.callbackStep,
		Done:             t.doneStep,
	}
}

// doneStep records how the run ended: signed in, cancelled, or the error shown.
func (t *Trace) doneStep(info auth.DoneInfo) {
	switch {
	case info.Err == nil && info.Resumed:
		t.outcome("Signed in from the stored refresh token", nil)
	case info.Err == nil:
		t.outcome("Signed in", nil)
	case errors.Is(info.Err, auth.ErrCancelled):
		t.outcome("Cancelled", info.Err)
	default:
		t.outcome("Failed", info.Err)
	}
}
