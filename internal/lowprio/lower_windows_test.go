package lowprio

import "golang.org/x/sys/windows"

func threadID() int { return int(windows.GetCurrentThreadId()) }
