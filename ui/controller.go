package ui

import (
	"context"
	"errors"
	"os"
	"strings"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
)

// screens is what the controller asks of the window. Its methods run on the
// UI goroutine; App implements it with Fyne, tests with a fake.
type screens interface {
	// showFormMessage shows the form with a message (none: "") and what
	// it means: its tone.
	showFormMessage(msg string, t tone)
	showProgress(title, detail string)
	showWaiting(p *auth.Profile) waitScreen
	showSignedIn(l *loaded, st signedInState)
	leaveSignedIn()
	// selectProfile shows p on the form (nil: the demo tenant).
	selectProfile(p *auth.Profile)
	submitForm()
	clearSecret()
	// qaOptions are the form's per-run QA settings.
	qaOptions() (extraScopes []string, state string)
	setKeyringProblem(err error)
	// needSecret marks the client secret as missing for the profile on
	// the form: the keyring has none for it.
	needSecret()
	// setKeyringNote says (or, with "", stops saying) that the keyring is
	// being waited for, on the busy or waiting screen.
	setKeyringNote(msg string)
	askToRegister(scheme string, answer func(ok bool))
	// askImport asks what to do with a profile file named like a saved
	// profile for another tenant or client ID; newName is the free name
	// it would be imported as.
	askImport(saved, file *auth.Profile, newName string, answer func(importChoice))
	// askToTakeOver asks whether scheme's links, which owner opens now,
	// should open this app instead.
	askToTakeOver(scheme, owner string, answer func(ok bool))
	schemeRegistered(scheme string)
	// setBanner shows a message over the signed-in view.
	setBanner(msg string)
	onForm() bool
}

// tone is what a message means to the person, and so its colour: good
// news must not look like an error.
type tone int

const (
	toneError   tone = iota // it did not happen
	toneWarning             // it happened, but not all of it
	toneDone                // what the person asked for happened
	toneInfo                // neither good nor bad news
)

func (t tone) String() string {
	return [...]string{"error", "warning", "done", "info"}[t]
}

// waitScreen is the screen shown while the person signs in in the browser.
type waitScreen interface {
	setAttempt(authURL string)
	setStatus(msg string)
	// browserOpened says whether the browser opened on the attempt (nil)
	// or why not; the wait goes on either way.
	browserOpened(err error)
}

// signedInState is what the signed-in view shows about where the sign-in
// is kept.
type signedInState struct {
	profile     *auth.Profile
	sessionOnly bool  // kept in memory although a keyring was wanted
	keyringErr  error // why there is no keyring, if there is none
}

// flows are the auth and data entry points the controller calls from
// background work; tests replace them.
type flows struct {
	signIn func(context.Context, auth.Options) (*auth.Session, error)
	resume func(context.Context, auth.Options) (*auth.Session, error)
	load   func(context.Context, *auth.Session) (*loaded, error)
	probe  func(keyring.Store) error
}

// controller owns the app's state (the profile, its session, where secrets
// are kept, the background operation) and decides which screen shows. It
// holds no widgets: it drives the window through screens, and all its
// methods run on the UI goroutine. Background work gets copies of what it
// needs and hands its result back through do.
type controller struct {
	opts     Options
	screens  screens
	profiles profileList
	flows    flows
	do       func(func()) // runs f on the UI goroutine
	newTrace func(*auth.Profile) *auth.SignInTrace
	// openAgain is "Open the browser again": the browser opener, which
	// the App wraps so that the run's trace records each extra tab.
	openAgain func(url string) error

	profile      *auth.Profile // the profile being signed in or signed in
	session      *auth.Session
	op           *operation
	demoStore    keyring.Store
	sessionStore keyring.Store // used instead of the keyring when it is missing
	keyringErr   error         // why the keyring cannot be used, if it cannot
	notice       string        // shown on the form when it next appears
	waiting      waitScreen    // the waiting screen, while it shows
}

func newController(opts Options, s screens, prefs preferences, do func(func()), newTrace func(*auth.Profile) *auth.SignInTrace) *controller {
	c := &controller{opts: opts, screens: s, profiles: profileList{prefs}, do: do, newTrace: newTrace, openAgain: opts.OpenBrowser,
		demoStore: keyring.NewMemoryStore(), sessionStore: keyring.NewMemoryStore()}
	c.flows = flows{signIn: auth.SignIn, resume: auth.Resume, probe: keyring.Probe,
		load: func(ctx context.Context, s *auth.Session) (*loaded, error) {
			return load(ctx, s, opts.Logger, opts.Fetch)
		}}
	return c
}

// store is where sign-ins are kept: the keyring, or memory when there is
// none (or session-only was asked for).
func (c *controller) store() keyring.Store {
	if c.opts.SessionOnly || c.keyringErr != nil {
		return c.sessionStore
	}
	return c.opts.Store
}

// state logs UI milestones: support staff and the end-to-end tests read them.
func (c *controller) state(name string, args ...any) {
	c.opts.Logger.Info("ui", append([]any{"state", name}, args...)...)
}

// initialProfile is the profile to start with: --profile, the one used
// last, or on a fresh install the one IT installed; nil means the demo.
func (c *controller) initialProfile() *auth.Profile {
	initial := c.opts.Profile
	if initial != nil {
		initial = c.launchProfile(initial)
	} else if name := c.profiles.current(); name != "" {
		initial = c.profiles.get(name)
	} else if p := c.opts.Preset; p != nil && len(c.profiles.names()) == 0 {
		// Only on a fresh install: once there are profiles, the person's
		// choices (demo, deleting it) stand.
		initial = p
		c.profiles.save(p)
		c.profiles.setCurrent(p.Name)
	}
	return initial
}

// start checks the keyring, then shows the signed-in view straight from it
// when a stored sign-in works, otherwise the form (and, with --sign-in, the
// browser).
func (c *controller) start() {
	startHeartbeat(c.opts.Logger, os.LookupEnv)
	initial := c.initialProfile()
	c.screens.selectProfile(initial)
	if c.opts.SessionOnly {
		c.proceed(initial)
		return
	}
	c.showProgress("Starting…", "Checking the system keyring.")
	store := c.opts.Store
	c.background(func(context.Context) func() {
		err := c.flows.probe(store)
		return func() {
			if err != nil {
				c.keyringErr = err
				c.screens.setKeyringProblem(err)
				c.state("no-keyring", "err", err)
			}
			c.proceed(initial)
		}
	})
}

// proceed resumes a saved profile's sign-in, or shows the form.
func (c *controller) proceed(initial *auth.Profile) {
	if initial == nil || initial.Demo {
		c.showForm("")
		if c.opts.SignIn {
			c.screens.submitForm()
		}
		return
	}
	c.resume(initial, c.opts.SignIn)
}

// showForm returns to the profile form with an optional error message.
func (c *controller) showForm(msg string) { c.tell(msg, toneError) }

// tell returns to the profile form with a message of tone t.
func (c *controller) tell(msg string, t tone) {
	if msg == "" && c.notice != "" {
		// Something that happened while starting up (a stray link).
		msg, c.notice, t = c.notice, "", toneWarning
	}
	c.waiting = nil
	c.screens.showFormMessage(msg, t)
	c.state("form", "message", msg)
}

// showProgress is the busy screen; its Cancel calls cancelProgress.
func (c *controller) showProgress(title, detail string) {
	c.waiting = nil
	c.screens.showProgress(title, detail)
}

func (c *controller) showWaiting(p *auth.Profile) waitScreen {
	c.waiting = c.screens.showWaiting(p)
	return c.waiting
}

// cancelProgress is the busy screen's Cancel.
func (c *controller) cancelProgress() {
	c.cancel()
	c.showForm("")
}

// cancelSignIn is the waiting screen's Cancel.
func (c *controller) cancelSignIn() {
	c.cancel()
	c.state("cancelled")
	c.tell("Signing in was cancelled.", toneInfo)
}

func (c *controller) showSignedIn(l *loaded) {
	c.leaveSignedIn()
	c.waiting = nil
	c.session = l.session
	if !c.profile.Demo {
		c.profiles.setCurrent(c.profile.Name)
	}
	c.screens.showSignedIn(l, signedInState{profile: c.profile, keyringErr: c.keyringErr,
		sessionOnly: c.store() != c.opts.Store && !c.profile.Demo})
	c.state("signed-in", "user", l.info.Username, "profile", c.profile.Name)
}

// leaveSignedIn stops what the signed-in view runs and forgets its session.
func (c *controller) leaveSignedIn() {
	if c.session != nil {
		c.screens.leaveSignedIn()
	}
	c.session = nil
}

// keyringWaiting tells the person why nothing happens while the keyring
// shows an unlock prompt.
func (c *controller) keyringWaiting(op string, waiting bool) {
	msg := ""
	if waiting {
		msg = "Waiting for the system keyring to " + op + ": it may be asking for your password."
	}
	c.screens.setKeyringNote(msg)
	c.state("keyring-waiting", "waiting", waiting)
}

// failed returns to the form with what went wrong; nothing typed is lost.
func (c *controller) failed(err error) {
	if errors.Is(err, auth.ErrCancelled) {
		c.showForm("")
		return
	}
	c.state("error", "err", err)
	if errors.Is(err, auth.ErrNoClientSecret) {
		c.screens.needSecret()
	}
	c.showForm(errorText(err))
}

// sessionEnded handles a sign-in the tenant refused mid-session (revoked,
// expired): one clear prompt, back on the form. The session is dead, so
// nothing retries in a loop.
func (c *controller) sessionEnded(err error) {
	p := c.profile
	c.cancel()
	c.leaveSignedIn()
	c.state("sign-in-again", "profile", p.Name)
	c.screens.selectProfile(p)
	c.showForm(signInAgainText(p, err))
}

// signInAgainText says why the sign-in ended: usually the tenant refused
// it, but a renewal whose answer was lost was given up by the app itself,
// and the person should know it was not revoked.
func signInAgainText(p *auth.Profile, err error) string {
	var lost *auth.LostAnswerError
	if errors.As(err, &lost) {
		return "Your sign-in to " + p.Name + " ended: " + errorText(lost)
	}
	return "Your sign-in to " + p.Name + " has expired or was revoked. Please sign in again."
}

// switchProfile leaves the current profile (keeping its stored sign-in) and
// opens another: straight in when it has a stored sign-in.
func (c *controller) switchProfile(name string) {
	p := c.profiles.get(name)
	if p == nil || (c.profile != nil && p.Name == c.profile.Name) {
		return
	}
	c.cancel()
	c.leaveSignedIn()
	c.profiles.setCurrent(p.Name)
	c.screens.selectProfile(p)
	c.resume(p, false)
}

// removeProfile deletes a profile and forgets its keyring entries.
func (c *controller) removeProfile(p *auth.Profile) {
	c.profiles.remove(p.Name)
	c.screens.selectProfile(nil)
	c.forget(p, c.store(), true, "Deleting the profile "+p.Name+"…", func(err error) {
		if err != nil {
			c.tell("The profile was deleted, but its keyring entries could not be removed: "+errorText(err), toneWarning)
			return
		}
		c.tell("Deleted the profile "+p.Name+" and its saved sign-in.", toneDone)
	})
}

// forget removes p's stored sign-in (and client secret, when asked) from
// store off the UI goroutine, with a busy screen meanwhile, then calls done
// on the UI goroutine. A keyring answers over D-Bus, and one that is slow
// or shows an unlock prompt froze the window for as long (1.9 s with a
// keyring answering in 2 s, TestFigureUIMaxStall). Cancel on the busy
// screen returns to the form; the removal still finishes.
func (c *controller) forget(p *auth.Profile, store keyring.Store, forgetSecret bool, title string, done func(error)) {
	c.showProgress(title, "Removing the saved sign-in from the system keyring.")
	c.background(func(context.Context) func() {
		err := auth.SignOut(store, p, forgetSecret)
		return func() { done(err) }
	})
}

// signOut forgets the stored sign-in, and the client secret when asked
// ("sign out everywhere for this profile").
func (c *controller) signOut(forgetSecret bool) {
	c.cancel()
	p := c.profile
	c.leaveSignedIn()
	if p == nil {
		c.showForm("")
		return
	}
	store := c.store()
	if p.Demo {
		store, forgetSecret = c.demoStore, false
	}
	c.forget(p, store, forgetSecret, "Signing out…", func(err error) {
		c.state("signed-out", "forgot_secret", forgetSecret, "err", err)
		switch {
		case err != nil:
			c.tell("Signed out, but the saved sign-in could not be removed from the keyring: "+errorText(err), toneWarning)
		case forgetSecret:
			c.screens.clearSecret()
			c.tell("You are signed out, and the client secret was removed from this computer.", toneDone)
		default:
			c.tell("You are signed out.", toneDone)
		}
	})
}

// linkReceived reports what became of a custom-scheme link the OS handed
// over; err is the inbox's answer.
func (c *controller) linkReceived(err error) {
	switch {
	case errors.Is(err, auth.ErrNoSignInWaiting):
		c.state("stray-callback")
		if c.session != nil {
			c.screens.setBanner("A sign-in response arrived from the browser, but no sign-in was waiting for it; it was ignored.")
		} else if c.waiting == nil {
			c.notice = "A sign-in response arrived from the browser, but no sign-in was waiting for it. Start signing in from this window."
			if c.screens.onForm() {
				c.showForm("")
			}
		}
	case err != nil:
		c.state("callback-refused", "err", err)
	default:
		c.state("callback-link-received")
	}
}

// operation is one cancellable piece of background work.
type operation struct{ cancel context.CancelFunc }

// background runs work off the UI goroutine with a cancellable context. The
// function work returns is applied on the UI goroutine, unless the operation
// was cancelled or replaced by another in the meantime. work must not touch
// the controller: it gets what it needs from its caller.
func (c *controller) background(work func(ctx context.Context) func()) {
	c.cancel()
	ctx, cancel := context.WithCancel(context.Background())
	op := &operation{cancel: cancel}
	c.op = op
	c.opts.Go(func() {
		apply := work(ctx)
		c.do(func() {
			if c.op != op {
				return
			}
			c.op = nil
			cancel()
			apply()
		})
	})
}

// cancel stops the operation in progress, if any.
func (c *controller) cancel() {
	if c.op != nil {
		c.op.cancel()
		c.op = nil
	}
}

// splitDetails parts a message into what a person needs to read and, when
// it quotes a technical cause, the whole message for Details ("" when it
// quotes none). Errors here carry their causes in long parentheses, after
// "The server said:", or after a colon that leads to an address or quoted
// text (Go's network errors).
func splitDetails(msg string) (plain, details string) {
	plain = msg
	if i := strings.Index(plain, ". The server said: "); i >= 0 {
		plain = plain[:i+1]
	}
	for from := 0; ; {
		open := strings.Index(plain[from:], " (")
		if open < 0 {
			break
		}
		open += from
		end := strings.Index(plain[open:], ")")
		if end < 0 {
			break
		}
		if end < 40 { // an aside, not a quoted cause
			from = open + end
			continue
		}
		plain = plain[:open] + plain[open+end+1:]
	}
	if i := technicalTail(plain); i >= 0 {
		plain = strings.TrimRight(plain[:i], " .:;") + "."
	}
	if plain == msg {
		return msg, ""
	}
	return plain, msg
}

// technicalTail is where "…: " starts quoting an address or quoted text, or -1.
func technicalTail(msg string) int {
	for at := 0; ; {
		i := strings.Index(msg[at:], ": ")
		if i < 0 {
			return -1
		}
		rest := msg[at+i+2:]
		if strings.HasPrefix(rest, `"`) || strings.HasPrefix(rest, "Get ") || strings.HasPrefix(rest, "Post ") ||
			strings.HasPrefix(rest, "dial ") || strings.HasPrefix(rest, "http") {
			return at + i
		}
		at += i + 2
	}
}

// errorText is an error as a sentence for the screen.
func errorText(err error) string {
	var lost *auth.LostAnswerError
	if errors.Is(err, auth.ErrSignInAgain) && !errors.As(err, &lost) {
		return "Your sign-in has expired or was revoked. Please sign in again."
	}
	s := err.Error()
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		s = string(s[0]-'a'+'A') + s[1:]
	}
	if s != "" && s[len(s)-1] != '.' {
		s += "."
	}
	return s
}
