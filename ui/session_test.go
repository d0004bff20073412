package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

func TestKeyringWriteFailureWarnsAndContinues(t *testing.T) {
	store := &failingStore{MemoryStore: keyring.NewMemoryStore()}
	h := newUIHarness(t, hrRobot(), store)
	p, secret := h.profile("Sandbox", sandbox.ClientDesktopOnDemand, nil)
	a := h.newApp(p)
	signInWith(t, a, secret)
	store.mu.Lock()
	store.fail = true
	store.mu.Unlock()
	test.Tap(findButton(t, a, "Refresh now"))
	v := a.signedIn
	if v == nil || !v.banner.Visible() || !strings.Contains(v.banner.Text, "Signed in for this session only") ||
		!strings.Contains(v.banner.Text, "a restart will ask you to sign in again") || !strings.Contains(v.banner.Text, "the keyring is locked") {
		t.Fatalf("no warning after a failed keyring write: %+v", v)
	}
	if v.session.kept.Text != "For this session only: the keyring could not be written, so a restart will ask you to sign in again" {
		t.Fatalf("kept %q", v.session.kept.Text)
	}
	test.Tap(findButton(t, a, "Reload"))
	if a.signedIn == nil || a.signedIn.people.rows() == 0 {
		t.Fatal("session did not continue in memory")
	}
	// The token the failed save should have replaced was rotated away: kept,
	// the next start would replay it and the tenant would revoke the grant.
	if _, err := store.Get("Sandbox", keyring.EntryRefreshToken); err == nil {
		t.Fatal("the rotated-away refresh token is still stored")
	}
	// The keyring works again (its daemon restarted): the next refresh
	// saves the sign-in, and the warning goes with the problem.
	store.mu.Lock()
	store.fail = false
	store.mu.Unlock()
	test.Tap(findButton(t, a, "Refresh now"))
	v = a.signedIn
	if v.banner.Visible() || v.session.kept.Text != "In the system keyring" {
		t.Fatalf("after the keyring came back: banner %q (shown %v), kept %q", v.banner.Text, v.banner.Visible(), v.session.kept.Text)
	}
	if _, err := store.Get("Sandbox", keyring.EntryRefreshToken); err != nil {
		t.Fatalf("the refresh token was not saved once the keyring came back: %v", err)
	}
}

// TestScopeSummary: the session card names permissions in the form's
// words, not scope URIs or their short names.
func TestScopeSummary(t *testing.T) {
	tests := []struct {
		name               string
		requested, granted []string
		want               string
	}{
		{"read granted", []string{auth.ScopeRead}, []string{auth.ScopeRead}, "See people's details: granted"},
		{"write refused", []string{auth.ScopeRead, auth.ScopeWrite}, []string{auth.ScopeRead},
			"See people's details: granted\nChange data in Cezanne HR: NOT granted"},
		{"more than asked", []string{auth.ScopeRead}, []string{auth.ScopeRead, "http://www.cezannehr.com/auth-scope/Other"},
			"See people's details: granted\nOther: granted (not asked for)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := scopeSummary(tt.requested, tt.granted); got != tt.want {
				t.Errorf("scopeSummary = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestCountdownChangesOncePerMinute: the session's countdown is in whole
// minutes (rounded up) until the last minute, so an idle window repaints
// once a minute, not every second; and ticking without a change of text
// leaves the label alone.
func TestCountdownChangesOncePerMinute(t *testing.T) {
	now := time.Date(2026, 12, 1, 13, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		left time.Duration
		want string
	}{
		{10 * time.Minute, "Expires in 10 min"},
		{9*time.Minute + 58*time.Second, "Expires in 10 min"},
		{9*time.Minute + 1*time.Second, "Expires in 10 min"},
		{9 * time.Minute, "Expires in 9 min"},
		{61 * time.Second, "Expires in 2 min"},
		{60 * time.Second, "Expires in 1 min"},
		{59 * time.Second, "Expires in 0:59"},
		{5 * time.Second, "Expires in 0:05"},
		{0, "Expired: auto-renews"},
		{-time.Minute, "Expired: auto-renews"},
	} {
		if got := timeLeftText(now.Add(tc.left), now); got != tc.want {
			t.Errorf("%v left: %q, want %q", tc.left, got, tc.want)
		}
	}
	if got := timeLeftText(time.Time{}, now); got != "No expiry given" {
		t.Errorf("no expiry: %q", got)
	}
	// Sixty ticks a second apart, five minutes from expiry: the text
	// changes once.
	c := &sessionCard{timeLeft: widget.NewLabel(""), expiry: time.Now().Add(5*time.Minute + 30*time.Second)}
	changes, last := 0, ""
	for range 60 {
		c.expiry = c.expiry.Add(-time.Second)
		c.tick()
		if c.timeLeft.Text != last {
			changes, last = changes+1, c.timeLeft.Text
		}
	}
	if changes > 2 {
		t.Fatalf("the countdown changed %d times in a minute", changes)
	}
}
