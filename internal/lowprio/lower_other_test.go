//go:build !linux && !windows

package lowprio

// threadID is not read here: the work is not given a thread of its own.
func threadID() int { return 0 }
