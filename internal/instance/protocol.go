package instance

import (
	"errors"
	"time"
)

// Message kinds on the instance channel.
const (
	MessageShow = "show" // bring the window forward
	MessageURL  = "url"  // a redirect link the OS handed to a second process
)

// ErrNotRunning means no copy of the app is running (or it is not answering).
var ErrNotRunning = errors.New("no running Cezanne HR Desktop")

// ErrBusy means a copy of the app is running but did not take the message
// in time: every instance of its channel stayed busy with other senders,
// so nothing was sent.
// Not ErrNotRunning: a launch that took it for "nothing running" would
// open a second window whose sign-in links never arrive.
var ErrBusy = errors.New("the running Cezanne HR Desktop did not answer in time; try again")

// ErrUnconfirmed means the running app took the message but did not
// confirm it in time: it runs, and may still act on the link, so sending
// it again is no use (a sign-in code counts once).
var ErrUnconfirmed = errors.New("the running Cezanne HR Desktop took the link but did not confirm it in time; look at its window, and if it does not respond, close it and start again")

// errAlreadyRunning is Listen's answer when another copy holds the channel.
var errAlreadyRunning = errors.New("another Cezanne HR Desktop is already running")

const (
	socketName = "instance.sock"
	keyName    = "instance.key"
	maxMessage = 16 << 10
)

// deadline bounds a whole exchange on the channel, both ends. A variable
// so a test of an app that never answers need not wait for it.
var deadline = 5 * time.Second

type request struct {
	Secret string `json:"secret"`
	Kind   string `json:"kind"`
	URL    string `json:"url,omitempty"`
}

type response struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}
