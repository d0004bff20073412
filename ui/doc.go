// Package ui is the app's window: the profile form, the wait for the
// browser, and the signed-in view with TokenInfo, the session and People.
//
// The controller (controller.go, controller_signin.go) owns the state: the
// profile, its session, where secrets are kept, and the one cancellable
// background operation. It decides which screen shows, holds no widgets,
// and drives the window through the screens interface, which App
// implements (window.go, window_signedin.go). Each view gets a small
// struct of the callbacks it needs, never the App:
//
//	form.go, form_model.go   the profile form; the model and its rules are pure
//	waiting.go               while the person signs in in the browser
//	signedin.go, session.go  who is signed in, and the session card
//	people*.go               People: table, scroll fetcher, columns, export
//	trace.go                 the flow trace tab and window
//	prefs.go                 saved profiles (no secrets)
//
// The package does no HTTP itself: it calls auth and data from background
// goroutines and applies their results on the UI goroutine.
package ui
