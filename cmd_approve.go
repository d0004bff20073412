package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

// runApprove plays the person in the browser against a sandbox tenant: QA
// scripts and the tests use it as a stand-in for xdg-open.
func runApprove(args []string) int {
	fs := flag.NewFlagSet("cezanne-desktop sandbox approve", flag.ContinueOnError)
	user := fs.String("user", "hrprof@sandbox.cezannehr.com", "demo user to sign in as")
	password := fs.String("password", sandbox.DemoPassword, "the user's password")
	deny := fs.Bool("deny", false, "deny instead of approving on the consent page")
	handOff := fs.Bool("hand-off", false, "when the tenant redirects to a custom scheme (x-cez://), hand the link to the OS with xdg-open, as a browser does")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: cezanne-desktop sandbox approve [--user U] [--password P] [--deny] AUTHORIZE_URL")
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := (&sandbox.Robot{Username: *user, Password: *password, Deny: *deny}).Run(ctx, fs.Arg(0))
	var ep *sandbox.ErrorPageError
	switch {
	case errors.As(err, &ep):
		fmt.Fprintln(os.Stderr, "approve:", ep)
		return 1
	case err != nil:
		fmt.Fprintln(os.Stderr, "approve:", err)
		return 1
	}
	fmt.Printf("login shown: %v, consent shown: %v, app answered: HTTP %d\n", res.LoginShown, res.ConsentShown, res.AppStatus)
	if *handOff && res.AppStatus == 0 && res.RedirectURL != "" {
		// The link itself carries the code: it is never printed.
		if err := exec.Command("xdg-open", res.RedirectURL).Run(); err != nil {
			fmt.Fprintln(os.Stderr, "approve: handing the link to the OS:", err)
			return 1
		}
		fmt.Println("handed the redirect link to the OS")
	}
	return 0
}
