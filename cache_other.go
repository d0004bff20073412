//go:build !unix

package main

// tuneFyneCache is a no-op where a process cannot replace itself; Fyne's
// default cache duration applies (see cache_unix.go).
func tuneFyneCache() {}
