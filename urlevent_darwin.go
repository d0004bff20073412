//go:build darwin

package main

/*
#cgo CFLAGS: -x objective-c
#cgo LDFLAGS: -framework Foundation
void cezInstallURLHandler(void);
*/
import "C"

import "github.com/cezanne-hr-desktop/cezanne-desktop/ui"

// On macOS, Launch Services does not start a second process for an x-cez://
// link: it sends the running app a kAEGetURL Apple Event (and starts the app
// first if needed). The handler must be installed before the app finishes
// launching, so it is installed from init; links that arrive before the
// window exists wait in urlEvents. Built only on a Mac (cgo, Objective-C);
// see the README's "Building on a Mac".

var urlEvents = make(chan string, 8)

func init() { C.cezInstallURLHandler() }

//export cezHandleURL
func cezHandleURL(u *C.char) {
	s := C.GoString(u)
	select {
	case urlEvents <- s:
	default: // a flood of links: the sign-in needs one
	}
}

func startURLEvents(w *ui.App) {
	go func() {
		for u := range urlEvents {
			_ = w.ReceiveLink(u)
		}
	}()
}
