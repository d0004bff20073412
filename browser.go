package main

import (
	"io"

	"github.com/pkg/browser"
)

// openBrowser opens the system browser without letting it write to our
// terminal (some browsers print the URL they were given).
func openBrowser(url string) error {
	browser.Stdout, browser.Stderr = io.Discard, io.Discard
	return browser.OpenURL(url)
}
