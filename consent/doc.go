// Package consent runs Cezanne's consent check: it plans the authorisations
// that tell the three documented "Auto approve modes" apart (auto_approve
// omitted, true and false, each as a first authorisation after consent was
// cleared and as a second one), runs them one at a time, records whether
// the consent page was shown, and says which documented mode(s) the
// observations match.
//
// The pieces, each in its own file:
//
//   - plan.go: the runs (Plan, Step) and what the person is told before each.
//   - verdict.go: the documented expectation (Expected), the observed cells
//     and the verdict (Decide), with the flags worth a look (state not echoed,
//     scopes differing, no refresh token, no expires_in).
//   - run.go: the Runner, which signs in once per step through auth.SignIn,
//     records each run's redacted trace, and asks a Guide (the person, through
//     the UI) or an Oracle (a sandbox tenant's consent log) what was shown;
//     attempt.go: one step's runs, and the flags read from each trace.
//   - oracle.go: the sandbox's side, read on loopback: its consent log and its
//     admin API to clear consents.
//   - report.go, markdown.go, html.go: the report, as JSON
//     (cezanne-desktop-consent/1), Markdown and a self-contained HTML page,
//     never holding a secret or a token.
//
// A UI drives the check by giving the Runner a Guide whose methods block
// until the person answers, and by running Runner.Run on a goroutine of its
// own; the CLI (--consent-check) gives it no Guide and a sandbox Oracle.
package consent
