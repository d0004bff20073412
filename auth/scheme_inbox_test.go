package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
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

// A forwarded argument that is not a link is quoted back cut short, and a
// cut never splits a character (a broken one would show as \ufffd or %q
// escapes in the message a person reads).
func TestSchemeInboxQuotesNonLinksWhole(t *testing.T) {
	raw := strings.Repeat("a", 79) + strings.Repeat("é", 100) // é straddles the 80-byte cut
	err := (&SchemeInbox{}).Deliver(raw)
	if err == nil {
		t.Fatal("a non-link was accepted")
	}
	msg := err.Error()
	if !utf8.ValidString(msg) || strings.Contains(msg, `\x`) {
		t.Errorf("message splits a character: %q", msg)
	}
	if len(msg) > 200 {
		t.Errorf("message not bounded: %d bytes", len(msg))
	}
}
