//go:build !darwin

package main

import "github.com/cezanne-hr-desktop/cezanne-desktop/ui"

// startURLEvents: on Windows and Linux links arrive as a second process's
// argument (see forwardToRunning), not as events.
func startURLEvents(*ui.App) {}
