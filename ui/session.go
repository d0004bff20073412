package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
)

// sessionCard shows the state of the sign-in: scopes granted against those
// requested, the access token's time left, the last refresh, and where the
// sign-in is kept; with "Refresh now" and "Sign out everywhere".
type sessionCard struct {
	do          sessionActions
	session     *auth.Session
	sessionOnly bool

	scopes   *widget.Label
	timeLeft *widget.Label
	last     *widget.Label
	kept     *widget.Label
	refresh  *widget.Button
	card     *panel
	expiry   time.Time
}

// sessionActions are what the session card's buttons do.
type sessionActions struct {
	// background runs a refresh as the controller's operation.
	background        func(work func(ctx context.Context) func())
	signOutEverywhere func()
	failed            func(err error) // a refresh failed
	state             func(name string, args ...any)
}

func newSessionCard(s *auth.Session, sessionOnly bool, do sessionActions) *sessionCard {
	c := &sessionCard{do: do, session: s, sessionOnly: sessionOnly}
	c.scopes = widget.NewLabel("")
	c.scopes.Wrapping = fyne.TextWrapWord
	// The countdown and the time of the last refresh change as the session
	// goes on; wrapped, a text longer than the card is wide takes another
	// line instead of widening the card, which laid out the whole window
	// again (see steadyWidth). The countdown's texts are short enough for
	// one line in any window with the card beside the tabs, so the rows
	// under it stay put (TestCountdownKeepsOneLine).
	c.timeLeft = widget.NewLabel("")
	c.timeLeft.Wrapping = fyne.TextWrapWord
	c.last = widget.NewLabel("")
	c.last.Wrapping = fyne.TextWrapWord
	c.kept = widget.NewLabel("")
	c.kept.Wrapping = fyne.TextWrapWord
	c.refresh = widget.NewButton("Refresh now", c.refreshNow)
	everywhere := widget.NewButton("Sign out everywhere…", do.signOutEverywhere)
	form := widget.NewForm(
		widget.NewFormItem("Permissions", c.scopes),
		widget.NewFormItem("Access token", c.timeLeft),
		widget.NewFormItem("Last refresh", c.last),
		widget.NewFormItem("Sign-in kept", c.kept),
	)
	c.card = newPanel("Session", stillScroll(container.NewVBox(form, container.NewHBox(c.refresh, everywhere))))
	return c
}

// update reads the session's state into the card.
func (c *sessionCard) update() {
	st := c.session.Status()
	c.expiry = st.Expiry
	c.scopes.SetText(scopeSummary(st.Requested, st.Granted))
	if st.LastRefresh.IsZero() {
		c.last.SetText("—")
	} else {
		c.last.SetText(st.LastRefresh.Local().Format("15:04:05"))
	}
	switch {
	case c.session.Profile.Demo || c.sessionOnly:
		c.kept.SetText("For this session only (nothing saved)")
	case !st.RefreshToken:
		c.kept.SetText("Service account: a new token is requested when needed")
	case st.Warning != nil:
		c.kept.SetText("For this session only: the keyring could not be written, so a restart will ask you to sign in again")
	default:
		c.kept.SetText("In the system keyring")
	}
	c.tick()
}

// tick updates the countdown; called every second while signed in. The
// label changes only when its text does: a new text is a repaint of the
// whole window, and a countdown in seconds repainted an idle window every
// second (with software OpenGL, a frame of the whole window each time).
func (c *sessionCard) tick() {
	if text := timeLeftText(c.expiry, time.Now()); text != c.timeLeft.Text {
		c.timeLeft.SetText(text)
	}
}

// timeLeftText is the countdown: in minutes while one or more is left (so
// that it changes once a minute), then in seconds.
func timeLeftText(expiry, now time.Time) string {
	if expiry.IsZero() {
		return "No expiry given"
	}
	left := expiry.Sub(now).Round(time.Second)
	switch {
	case left <= 0:
		return "Expired: auto-renews"
	case left >= time.Minute:
		// Rounded up, so never less than is left: "2 min" from 1:59
		// down to 1:01, then seconds ("1 min" only at 1:00 exactly).
		return fmt.Sprintf("Expires in %d min", int((left+time.Minute-time.Second)/time.Minute))
	}
	return fmt.Sprintf("Expires in 0:%02d", int(left.Seconds()))
}

func (c *sessionCard) refreshNow() {
	c.refresh.Disable()
	s := c.session
	c.do.background(func(ctx context.Context) func() {
		err := s.Refresh(ctx)
		return func() {
			c.refresh.Enable()
			if err != nil {
				c.do.failed(err)
				return
			}
			c.update()
			c.do.state("refreshed")
		}
	})
}

// scopeSummary lists requested permissions and whether each was granted,
// in the words the form asks for them with (QA reads the scope names in
// the flow trace).
func scopeSummary(requested, granted []string) string {
	var lines []string
	for _, s := range requested {
		mark := "granted"
		if !slices.Contains(granted, s) {
			mark = "NOT granted"
		}
		lines = append(lines, permissionName(s)+": "+mark)
	}
	for _, s := range granted {
		if !slices.Contains(requested, s) {
			lines = append(lines, permissionName(s)+": granted (not asked for)")
		}
	}
	return strings.Join(lines, "\n")
}

// The two permissions Cezanne's API scopes grant, as a person reads them.
const (
	permissionRead  = "See people's details"
	permissionWrite = "Change data in Cezanne HR"
)

// permissionName is a scope as the person reads it: the form's words for
// the two API scopes, the scope's last segment for anything else.
func permissionName(scope string) string {
	switch scope {
	case auth.ScopeRead:
		return permissionRead
	case auth.ScopeWrite:
		return permissionWrite
	}
	return shortScope(scope)
}

func shortScope(s string) string {
	if i := strings.LastIndexByte(s, '/'); i >= 0 && i < len(s)-1 {
		return s[i+1:]
	}
	return s
}
