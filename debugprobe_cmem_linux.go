//go:build linux && cgo

package main

/*
#include <malloc.h>
*/
import "C"

// cMemory is what glibc's allocator holds for the process's C code (Mesa's
// textures and buffers, X, fonts in C), summed over its arenas: in use,
// and freed but kept (memory the C code gave back that glibc has not
// returned to the system). Go's runtime does not allocate with it, so the
// two are the anonymous memory that is not Go's. ok is false where it
// cannot be read.
func cMemory() (inUse, kept uint64, ok bool) {
	m := C.mallinfo2()
	return uint64(m.uordblks) + uint64(m.hblkhd), uint64(m.fordblks), true
}

// trimCMemory has glibc return the free pages in its arenas to the system
// (malloc_trim): the app does it every cTrimEvery (ctrim_linux.go), and the
// probe's /debug/trim on demand, where RSS measured before and after says
// how much of it was memory the C code had already freed.
func trimCMemory() { C.malloc_trim(0) }
