package instance

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
)

const sizeofSA = unsafe.Sizeof(windows.SecurityAttributes{})

// currentUser is the SID this process runs as: the one user its pipe lets
// in, and the one a peer must run as.
func currentUser() (*windows.SID, error) {
	tok := windows.GetCurrentProcessToken()
	u, err := tok.GetTokenUser()
	if err != nil {
		return nil, fmt.Errorf("cannot tell which Windows user this is: %w", err)
	}
	return u.User.Sid.Copy()
}

// checkPipeUser refuses the process at the other end of the pipe h unless
// it runs as user: the sender when weServe, else the server. It is
// Windows' SO_PEERCRED: the DACL already keeps other users out of the
// app's pipe, and this holds even if someone else made the name first.
func checkPipeUser(h windows.Handle, weServe bool, user *windows.SID) error {
	var pid uint32
	var err error
	what := "the process serving the instance channel"
	if weServe {
		what = "the sender"
		err = windows.GetNamedPipeClientProcessId(h, &pid)
	} else {
		err = windows.GetNamedPipeServerProcessId(h, &pid)
	}
	if err != nil {
		return &UnsafeError{Path: what, Why: "cannot be identified (" + err.Error() + ")", Fix: pipeFix}
	}
	sid, err := processUser(pid)
	switch {
	case err != nil:
		return &UnsafeError{Path: what, Why: fmt.Sprintf("(process %d) does not say which user it runs as (%v)", pid, err), Fix: pipeFix}
	case !sid.Equals(user):
		return &UnsafeError{Path: what, Why: fmt.Sprintf("(process %d) runs as another user (%s)", pid, sid), Fix: pipeFix}
	}
	return nil
}

// processUser is the SID process pid runs as. Opening another user's
// process is normally refused, which is a refusal here too.
func processUser(pid uint32) (*windows.SID, error) {
	p, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		return nil, err
	}
	defer windows.CloseHandle(p)
	var tok windows.Token
	if err := windows.OpenProcessToken(p, windows.TOKEN_QUERY, &tok); err != nil {
		return nil, err
	}
	defer tok.Close()
	u, err := tok.GetTokenUser()
	if err != nil {
		return nil, err
	}
	return u.User.Sid.Copy()
}
