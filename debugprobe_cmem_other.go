//go:build !linux || !cgo

package main

// cMemory cannot be read here: glibc's mallinfo2 is Linux's, and reading
// it needs cgo. The probe then leaves the C figures out.
func cMemory() (inUse, kept uint64, ok bool) { return 0, 0, false }

// trimCMemory has nothing to trim without glibc.
func trimCMemory() {}
