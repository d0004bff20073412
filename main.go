// Command cezanne-desktop is Cezanne HR Desktop: sign in to a Cezanne HR
// tenant in the system browser and browse its people. Run without a tenant
// it uses a built-in sandbox tenant; "cezanne-desktop sandbox" serves that
// tenant on its own for QA and tests.
package main

import (
	"os"

	// Before Fyne reads the locale: a C.UTF-8 locale otherwise prints
	// Fyne errors on every start, the sandbox's included.
	_ "github.com/cezanne-hr-desktop/cezanne-desktop/internal/localeenv"
)

func main() {
	os.Exit(dispatch(os.Args[1:]))
}

// dispatch runs the subcommand the arguments name; the app is the default.
// Usage errors end with status 2, as the flag package's own do.
func dispatch(args []string) int {
	switch {
	case isConsentCheck(args) && !consentWindow(args):
		return runConsentCheck(args, os.Stdout, os.Stderr)
	case len(args) > 1 && args[0] == "sandbox" && args[1] == "approve":
		return runApprove(args[2:])
	case len(args) > 0 && args[0] == "sandbox":
		opts, err := parseSandboxFlags(args[1:], os.Stderr)
		if err != nil {
			return 2
		}
		return runSandbox(opts)
	}
	opts, err := parseAppFlags(args, os.Stderr)
	if err != nil {
		return 2
	}
	return runApp(opts)
}
