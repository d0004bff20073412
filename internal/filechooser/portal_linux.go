package filechooser

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/sessionbus"
)

// The portal (its name and path shared with the other portal talks) and
// what is asked of it.
const (
	portalName      = sessionbus.PortalName
	portalPath      = sessionbus.PortalPath
	fileChooser     = "org.freedesktop.portal.FileChooser"
	requestIface    = "org.freedesktop.portal.Request"
	busName         = "org.freedesktop.DBus"
	busPath         = "/org/freedesktop/DBus"
	nameOwnerChange = "NameOwnerChanged"
)

// Timeouts of the bus calls, not of the dialog: a person takes the time
// they take, and ctx ends a dialog. The portal and its backend may be
// started for this call (D-Bus activation; the bus daemon gives up at 25 s).
var (
	connectTimeout = 5 * time.Second
	callTimeout    = 25 * time.Second
	closeTimeout   = 2 * time.Second
)

// The portal's answers to a request (org.freedesktop.portal.Request).
const (
	responseChosen    = 0
	responseCancelled = 1
)

// choose asks the portal for method (SaveFile or OpenFile) and waits for
// the person's answer. It listens for the answer before asking, on the
// request path the portal will use (its documented handle_token scheme),
// so an answer cannot come before anyone listens.
func choose(ctx context.Context, method string, r Request) (path string, err error) {
	// A dialog closed by the app before it came is not a desktop without
	// one (the app would stop asking the desktop).
	defer func() {
		if err != nil && ctx.Err() != nil {
			path, err = "", ctx.Err()
		}
	}()
	conn, end, err := sessionbus.Connect(connectTimeout)
	if err != nil {
		return "", fmt.Errorf("%w: no session bus: %v", ErrUnavailable, err)
	}
	defer end()
	defer conn.Close()
	cctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	if err := portalPresent(cctx, conn); err != nil {
		return "", err
	}

	token, err := handleToken()
	if err != nil {
		return "", err
	}
	signals := make(chan *dbus.Signal, 8)
	conn.Signal(signals)
	expected := requestPath(conn.Names()[0], token)
	if err := listen(cctx, conn, expected); err != nil {
		return "", err
	}

	callCtx, cancelCall := context.WithTimeout(ctx, callTimeout)
	defer cancelCall()
	var handle dbus.ObjectPath
	call := conn.Object(portalName, portalPath).CallWithContext(callCtx, fileChooser+"."+method, 0,
		r.Parent, r.Title, options(method, r, token))
	if err := call.Store(&handle); err != nil {
		// The portal may have shown the dialog before the call ended
		// (cancelled, or timed out while the portal started).
		closeRequest(conn, expected)
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", callError(err)
	}
	owner, err := afterCall(ctx, conn, handle, expected)
	if err != nil {
		closeRequest(conn, handle)
		return "", err
	}
	if r.Shown != nil {
		r.Shown()
	}
	return wait(ctx, conn, signals, handle, owner)
}

// afterCall listens on the portal's own request path when it chose one
// (portals before 0.9), and returns the portal's unique name: any client
// of the bus may send a signal to this connection, and only the portal's
// answer counts. Its calls have their own timeout: the call before may
// have taken most of one while the portal started.
func afterCall(ctx context.Context, conn *dbus.Conn, handle, expected dbus.ObjectPath) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	if handle != expected {
		if err := listen(ctx, conn, handle); err != nil {
			return "", err
		}
	}
	var owner string
	if err := conn.BusObject().CallWithContext(ctx, busName+".GetNameOwner", 0, portalName).Store(&owner); err != nil {
		return "", fmt.Errorf("the desktop's file chooser: %w", err)
	}
	return owner, nil
}

// portalPresent says ErrUnavailable unless the portal runs or the bus can
// start it, so that a session without one costs two quick calls rather
// than an activation error.
func portalPresent(ctx context.Context, conn *dbus.Conn) error {
	var owned bool
	if err := conn.BusObject().CallWithContext(ctx, busName+".NameHasOwner", 0, portalName).Store(&owned); err != nil {
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	if owned {
		return nil
	}
	var names []string
	if err := conn.BusObject().CallWithContext(ctx, busName+".ListActivatableNames", 0).Store(&names); err != nil {
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	if !slices.Contains(names, portalName) {
		return ErrUnavailable
	}
	return nil
}

// listen subscribes to the request's Response signal and to the portal
// leaving the bus (a crashed portal answers nothing).
func listen(ctx context.Context, conn *dbus.Conn, path dbus.ObjectPath) error {
	err := conn.AddMatchSignalContext(ctx, dbus.WithMatchSender(portalName), dbus.WithMatchObjectPath(path),
		dbus.WithMatchInterface(requestIface), dbus.WithMatchMember("Response"))
	if err == nil {
		err = conn.AddMatchSignalContext(ctx, dbus.WithMatchSender(busName),
			dbus.WithMatchInterface(busName), dbus.WithMatchMember(nameOwnerChange),
			dbus.WithMatchArg(0, portalName))
	}
	if err != nil {
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return nil
}

// wait returns the person's answer to the request at handle.
func wait(ctx context.Context, conn *dbus.Conn, signals <-chan *dbus.Signal, handle dbus.ObjectPath, owner string) (string, error) {
	for {
		select {
		case <-ctx.Done():
			closeRequest(conn, handle)
			return "", ctx.Err()
		case s, ok := <-signals:
			if !ok {
				return "", errors.New("the connection to the desktop's file chooser closed")
			}
			// Gone, or handed over to another process (which knows
			// nothing of this request).
			if s.Sender == busName && s.Name == busName+"."+nameOwnerChange && len(s.Body) == 3 && s.Body[0] == portalName && s.Body[2] != owner {
				return "", errors.New("the desktop's file chooser stopped before answering")
			}
			if s.Sender == owner && s.Path == handle && s.Name == requestIface+".Response" {
				return response(s.Body)
			}
		}
	}
}

// closeRequest ends a dialog the app no longer waits for.
func closeRequest(conn *dbus.Conn, handle dbus.ObjectPath) {
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	_ = conn.Object(portalName, handle).CallWithContext(ctx, requestIface+".Close", 0).Err
}

// response reads a Response signal's (status, results): the first URI
// chosen as a local path, "" when the person cancelled or the dialog was
// ended otherwise. Status 2 ("ended otherwise") is what GTK's backend
// answers to Escape and to the window's close button, and also what the
// portal answers when its backend failed: the two cannot be told apart,
// and a person's Escape must not bring up another dialog, so both count
// as cancelled.
func response(body []any) (string, error) {
	if len(body) != 2 {
		return "", fmt.Errorf("the desktop's file chooser answered %d values, not 2", len(body))
	}
	status, ok := body[0].(uint32)
	results, ok2 := body[1].(map[string]dbus.Variant)
	if !ok || !ok2 {
		return "", fmt.Errorf("the desktop's file chooser answered %T and %T", body[0], body[1])
	}
	if status != responseChosen {
		return "", nil
	}
	uris, _ := results["uris"].Value().([]string)
	if len(uris) == 0 {
		return "", errors.New("the desktop's file chooser answered without a file")
	}
	return localPath(uris[0])
}

// localPath is the path of a file: URI (percent-escapes decoded, "+"
// kept: URIs are not form values).
func localPath(uri string) (string, error) {
	u, err := url.Parse(uri)
	if err != nil {
		return "", fmt.Errorf("the desktop's file chooser answered %q: %v", uri, err)
	}
	if u.Scheme != "file" || (u.Host != "" && u.Host != "localhost") || u.Path == "" {
		return "", fmt.Errorf("%w: %s", ErrNotLocal, uri)
	}
	return u.Path, nil
}

// callError tells an absent file chooser (the caller then shows its own
// dialog) from a real failure.
func callError(err error) error {
	name := sessionbus.ErrorName(err)
	switch {
	case name == "org.freedesktop.DBus.Error.ServiceUnknown",
		name == "org.freedesktop.DBus.Error.NameHasNoOwner",
		name == "org.freedesktop.DBus.Error.UnknownMethod",
		name == "org.freedesktop.DBus.Error.UnknownInterface",
		name == "org.freedesktop.DBus.Error.UnknownObject",
		strings.HasPrefix(name, "org.freedesktop.DBus.Error.Spawn"):
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return fmt.Errorf("the desktop's file chooser: %w", err)
}

// options are the call's a{sv}.
func options(method string, r Request, token string) map[string]dbus.Variant {
	o := map[string]dbus.Variant{
		"handle_token": dbus.MakeVariant(token),
		"modal":        dbus.MakeVariant(true),
	}
	if r.AcceptLabel != "" {
		o["accept_label"] = dbus.MakeVariant(r.AcceptLabel)
	}
	if r.Folder != "" {
		// a byte string ending in NUL (the portal's "ay" path).
		o["current_folder"] = dbus.MakeVariant(append([]byte(r.Folder), 0))
	}
	if method == "SaveFile" && r.Name != "" {
		o["current_name"] = dbus.MakeVariant(r.Name)
	}
	if len(r.Filters) > 0 {
		filters := portalFilters(r.Filters)
		o["filters"] = dbus.MakeVariant(filters)
		o["current_filter"] = dbus.MakeVariant(filters[0])
	}
	return o
}

// portalFilter is the portal's (sa(us)): a name and (kind, pattern) rules,
// kind 0 being a glob.
type portalFilter struct {
	Name  string
	Rules []portalRule
}

type portalRule struct {
	Kind    uint32
	Pattern string
}

func portalFilters(fs []Filter) []portalFilter {
	out := make([]portalFilter, 0, len(fs))
	for _, f := range fs {
		pf := portalFilter{Name: f.Name}
		for _, p := range f.Patterns {
			pf.Rules = append(pf.Rules, portalRule{Kind: 0, Pattern: p})
		}
		out = append(out, pf)
	}
	return out
}

// requestPath is where the portal puts the request made with token by
// the connection named sender (":1.42" becomes "1_42").
func requestPath(sender, token string) dbus.ObjectPath {
	s := strings.ReplaceAll(strings.TrimPrefix(sender, ":"), ".", "_")
	return dbus.ObjectPath(portalPath + "/request/" + s + "/" + token)
}

// handleToken is a token no other request of this connection uses.
func handleToken() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "cezanne_" + hex.EncodeToString(b), nil
}
