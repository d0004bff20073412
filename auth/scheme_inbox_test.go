package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestSchemeInbox(t *testing.T) {
	in := &SchemeInbox{}
	if err := in.Deliver("x-cez://oauth-callback/?code=c&state=s"); !errors.Is(err, ErrNoSignInWaiting) {
		t.Fatalf("stray link: %v", err)
	}
	r, _ := ParseRedirectURI("x-cez://oauth-callback/")
	rec := &hookRecorder{}
	wait, stop := in.expect(r, "good-state", rec.hooks())
	for _, tt := range []struct {
		url  string
		want string
	}{
		{"x-cez://elsewhere/?code=c&state=good-state", "not for this sign-in's redirect URI"},
		{"x-cez://oauth-callback/?code=forged&state=bad", "state mismatch"},
	} {
		if err := in.Deliver(tt.url); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Deliver(%s) = %v, want %q", tt.url, err, tt.want)
		}
	}
	if err := in.Deliver("X-CEZ://oauth-callback?code=the-code&state=good-state"); err != nil {
		t.Fatal(err)
	}
	code, err := wait(context.Background())
	if err != nil || code != "the-code" {
		t.Fatalf("wait = %q, %v", code, err)
	}
	if err := in.Deliver("x-cez://oauth-callback/?code=the-code&state=good-state"); !errors.Is(err, ErrAlreadyReceived) {
		t.Fatalf("replay during the sign-in: %v", err)
	}
	stop()
	if err := in.Deliver("x-cez://oauth-callback/?code=the-code&state=good-state"); !errors.Is(err, ErrNoSignInWaiting) {
		t.Fatalf("replay after the sign-in: %v", err)
	}
	var matched []string
	_, callbacks, _ := rec.seen()
	for _, c := range callbacks {
		matched = append(matched, yesNo(c.StateMatched))
	}
	if strings.Join(matched, ",") != "no,yes,yes" {
		t.Fatalf("callback steps state matched: %v", matched)
	}
}
