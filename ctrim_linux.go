//go:build linux && cgo

package main

import "context"

// The trim starts with the process, as the debug probe does: an init keeps
// it out of the dispatch in main.go. Every command of the binary gets it;
// those that end within a minute never trim.
func init() {
	go trimEvery(context.Background(), cTrimEvery, trimCMemory)
}
