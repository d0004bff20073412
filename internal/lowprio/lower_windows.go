package lowprio

import "golang.org/x/sys/windows"

var setThreadPriority = windows.NewLazySystemDLL("kernel32.dll").NewProc("SetThreadPriority")

// threadPriorityBelowNormal is THREAD_PRIORITY_BELOW_NORMAL: one step below
// the window's thread. Windows always runs a ready thread of higher
// priority first, so one step is enough; THREAD_MODE_BACKGROUND_BEGIN would
// also slow the work's disk writes, which the window does not compete for.
const threadPriorityBelowNormal = -1

// mainThread is the process's first thread: package initialisation runs
// on it.
var mainThread = windows.GetCurrentThreadId()

func onMainThread() bool { return windows.GetCurrentThreadId() == mainThread }

// lower gives the calling thread a priority below normal.
func lower() error {
	prio := int32(threadPriorityBelowNormal) // an int: the register's low 32 bits
	r, _, err := setThreadPriority.Call(uintptr(windows.CurrentThread()), uintptr(prio))
	if r == 0 {
		return err
	}
	return nil
}
