// Package trace records a sign-in run step by step for QA staff.
//
// It keeps the Authorize URL and its parameters, the browser, every answer on the
// redirect URI, the token requests and responses, TokenInfo, and each API
// call the session makes afterwards, with every credential redacted as it
// is recorded (trace.go, transport.go). A run's trace is exported as JSON,
// as Markdown for a bug report, and per step as a curl command (export.go).
//
// It hears of the sign-in through auth.SignInTrace hooks (hooks.go), so
// trace imports auth and auth never imports trace.
package trace
