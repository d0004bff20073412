package lowprio

import "golang.org/x/sys/unix"

// niceness is how much nicer than the rest of the process the work is: at
// 10 the kernel gives a thread about a tenth of the CPU of a thread at 0
// while both want it, and all of an idle core.
const niceness = 10

// onMainThread: the process's first thread has the process's ID.
func onMainThread() bool { return unix.Gettid() == unix.Getpid() }

// lower makes the calling thread nicer. On Linux a thread has a nice value
// of its own (setpriority with its thread ID); raising it needs no
// privilege.
func lower() error {
	tid := unix.Gettid()
	// The raw system call answers 20 minus the nice value.
	prio, err := unix.Getpriority(unix.PRIO_PROCESS, tid)
	if err != nil {
		return err
	}
	return unix.Setpriority(unix.PRIO_PROCESS, tid, min(20-prio+niceness, 19))
}
