package instance

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/windows"
)

// pipeName is the channel of dir: one pipe per user and directory, so two
// users, or two directories (tests), never share one. The user's SID is in
// the name so that the person reading a pipe list sees whose it is; the
// directory is hashed because a path may hold characters a pipe name may
// not, and Windows paths do not tell case apart.
func pipeName(dir string, user *windows.SID) string {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	sum := sha256.Sum256([]byte(strings.ToLower(filepath.Clean(dir))))
	return `\\.\pipe\cezanne-desktop-` + user.String() + "-" + hex.EncodeToString(sum[:8])
}

// pipeSDDL is the pipe's security descriptor: owned by the user and open to
// the user's SID alone (P: no inherited entries), with network logons
// denied first, so that the same user signed in from another machine
// cannot reach it either. Without it, a pipe gets the default DACL, which
// lets Everyone and Anonymous read it.
func pipeSDDL(user *windows.SID) string {
	sid := user.String()
	return "O:" + sid + "D:P(D;;GA;;;NU)(A;;GA;;;" + sid + ")"
}

// The pipe's buffers: a message and its answer are one line of at most
// maxMessage bytes each.
const pipeBuffer = maxMessage

// pipeChannel is the running app's named pipe. It always has one instance
// waiting for the next sender (next), created before a connected one is
// handed on, so the name never lapses while the app runs: while any
// instance exists, another instance can only be made by someone the DACL
// lets in (FILE_CREATE_PIPE_INSTANCE), so no other user can slip in a pipe
// of their own under this name.
type pipeChannel struct {
	name  string
	user  *windows.SID
	sa    *windows.SecurityAttributes
	event windows.Handle // signalled when a ConnectNamedPipe completes

	mu      sync.Mutex
	next    windows.Handle
	ov      windows.Overlapped // of the pending ConnectNamedPipe
	pending bool               // a ConnectNamedPipe on next is under way
	closed  bool
}

// listenChannel claims the pipe of dir for this user. The first instance
// is created with FILE_FLAG_FIRST_PIPE_INSTANCE, which fails when the name
// exists: then either this user's app already runs there, or someone else
// holds the name, which is unsafe, never shared.
//
// As on Unix, an app answering on the pipe is asked first: that settles
// the usual case (a copy already running, or another user's pipe under the
// name) before anything is made, and FILE_FLAG_FIRST_PIPE_INSTANCE then
// settles two copies starting at the same moment.
func listenChannel(dir string) (acceptor, error) {
	user, err := currentUser()
	if err != nil {
		return nil, err
	}
	name := pipeName(dir, user)
	if err := holder(name, user); !errors.Is(err, ErrNotRunning) {
		return nil, err
	}
	return listenPipe(name, user)
}

// holder asks who answers on the pipe: errAlreadyRunning (this user's
// app), an UnsafeError (another user's pipe or process), ErrBusy (an app
// too busy to answer), or ErrNotRunning (nobody).
func holder(name string, user *windows.SID) error {
	c, err := dialPipe(name, user)
	if err == nil {
		c.Close()
		return errAlreadyRunning
	}
	return err
}

func listenPipe(name string, user *windows.SID) (*pipeChannel, error) {
	sd, err := windows.SecurityDescriptorFromString(pipeSDDL(user))
	if err != nil {
		return nil, fmt.Errorf("cannot describe who may use the instance channel: %w", err)
	}
	p := &pipeChannel{name: name, user: user,
		sa: &windows.SecurityAttributes{Length: uint32(sizeofSA), SecurityDescriptor: sd}}
	p.next, err = createPipe(name, true, p.sa)
	if err != nil {
		return nil, p.claimFailed(err)
	}
	p.event, err = windows.CreateEvent(nil, 1, 0, nil)
	if err != nil {
		windows.CloseHandle(p.next)
		return nil, fmt.Errorf("cannot open the instance channel: %w", err)
	}
	return p, nil
}

// claimFailed explains why the pipe's first instance could not be made.
func (p *pipeChannel) claimFailed(err error) error {
	if !errors.Is(err, windows.ERROR_ACCESS_DENIED) && !errors.Is(err, windows.ERROR_PIPE_BUSY) {
		return fmt.Errorf("cannot open the instance channel %s: %w", p.name, err)
	}
	// The name exists (another copy started at the same moment): ask who
	// holds it.
	if herr := holder(p.name, p.user); !errors.Is(herr, ErrNotRunning) {
		return herr
	}
	return fmt.Errorf("cannot open the instance channel %s: it exists but nothing answers on it (%v); start the app again", p.name, err)
}

// createPipe makes one instance of the pipe, overlapped so that a pending
// ConnectNamedPipe can be cancelled and the connected end read with
// deadlines (os.NewFile puts overlapped handles on the runtime's poller).
// PIPE_REJECT_REMOTE_CLIENTS: the channel is for this machine only.
func createPipe(name string, first bool, sa *windows.SecurityAttributes) (windows.Handle, error) {
	n, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return windows.InvalidHandle, err
	}
	flags := uint32(windows.PIPE_ACCESS_DUPLEX | windows.FILE_FLAG_OVERLAPPED)
	if first {
		flags |= windows.FILE_FLAG_FIRST_PIPE_INSTANCE
	}
	mode := uint32(windows.PIPE_TYPE_BYTE | windows.PIPE_READMODE_BYTE | windows.PIPE_WAIT | windows.PIPE_REJECT_REMOTE_CLIENTS)
	return windows.CreateNamedPipe(n, flags, mode, windows.PIPE_UNLIMITED_INSTANCES, pipeBuffer, pipeBuffer, 0, sa)
}

// errClosed is what a pending accept returns once the channel is closed.
var errClosed = errors.New("the instance channel is closed")

// accept waits for a sender on the waiting instance, makes the next one,
// and hands on the connected end with what its process's user says.
func (p *pipeChannel) accept() (accepted, error) {
	h, err := p.connect()
	if err != nil {
		return accepted{}, err
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		windows.CloseHandle(h)
		return accepted{}, errClosed
	}
	next, err := createPipe(p.name, false, p.sa)
	if err != nil {
		p.closed = true
		p.releaseLocked()
		p.mu.Unlock()
		windows.CloseHandle(h)
		return accepted{}, fmt.Errorf("cannot keep the instance channel open: %w", err)
	}
	p.next = next
	user := p.user
	p.mu.Unlock()
	unsafe := checkPipeUser(h, true, user)
	return accepted{conn: os.NewFile(uintptr(h), p.name), unsafe: unsafe}, nil
}

// connect waits until a sender connects to the waiting instance and takes
// that instance out of p.next; a sender that left before it was seen is
// skipped.
func (p *pipeChannel) connect() (windows.Handle, error) {
	for {
		h, pending, err := p.startConnect()
		if errors.Is(err, errClosed) {
			return windows.InvalidHandle, err
		}
		if pending {
			var n uint32
			err = windows.GetOverlappedResult(h, &p.ov, &n, true)
		}
		p.mu.Lock()
		p.pending = false
		switch {
		case p.closed:
			p.releaseLocked()
			p.mu.Unlock()
			return windows.InvalidHandle, errClosed
		case err == nil, errors.Is(err, windows.ERROR_PIPE_CONNECTED):
			p.next = windows.InvalidHandle
			p.mu.Unlock()
			return h, nil
		case errors.Is(err, windows.ERROR_NO_DATA), errors.Is(err, windows.ERROR_BROKEN_PIPE):
			_ = windows.DisconnectNamedPipe(h)
			p.mu.Unlock()
		default:
			p.closed = true
			p.releaseLocked()
			p.mu.Unlock()
			return windows.InvalidHandle, fmt.Errorf("the instance channel failed: %w", err)
		}
	}
}

// startConnect starts ConnectNamedPipe on the waiting instance, under the
// lock so that close either sees it pending (and cancels it) or comes
// first (and it never starts). p.ov lives in the heap-allocated channel:
// the system writes to it after ConnectNamedPipe returns, when a
// goroutine's stack may have moved.
func (p *pipeChannel) startConnect() (h windows.Handle, pending bool, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return windows.InvalidHandle, false, errClosed
	}
	p.ov = windows.Overlapped{HEvent: p.event}
	_ = windows.ResetEvent(p.event)
	err = windows.ConnectNamedPipe(p.next, &p.ov)
	p.pending = errors.Is(err, windows.ERROR_IO_PENDING)
	return p.next, p.pending, err
}

// close ends the channel. A pending ConnectNamedPipe is cancelled and its
// accept releases the handles once the cancel is through; otherwise they
// are released here.
func (p *pipeChannel) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil
	}
	p.closed = true
	if p.pending {
		// Whether it cancels or the connect completed first, accept
		// sees closed and releases the handles.
		_ = windows.CancelIoEx(p.next, nil)
		return nil
	}
	p.releaseLocked()
	return nil
}

func (p *pipeChannel) releaseLocked() {
	if p.next != windows.InvalidHandle {
		windows.CloseHandle(p.next)
		p.next = windows.InvalidHandle
	}
	if p.event != 0 {
		windows.CloseHandle(p.event)
		p.event = 0
	}
}

// dialChannel connects to the running app's pipe in dir.
func dialChannel(dir string) (conn, error) {
	user, err := currentUser()
	if err != nil {
		return nil, err
	}
	return dialPipe(pipeName(dir, user), user)
}

// pipeFix is what the person can do about a pipe or a process of another
// user, or of an elevated copy: a pipe is gone when the process that made
// it ends.
const pipeFix = "close a copy of the app run as administrator, or sign that user out or restart Windows, and start the app again"

// dialTimeout is how long a sender waits while every instance of the pipe
// is busy: with another sender, or until the app's accept loop makes the
// next one, which a machine busy with other work can delay by seconds (as
// long as the whole exchange may take). A variable for tests.
var dialTimeout = deadline

// dialPipe opens the pipe and checks that the process serving it runs as
// user before anything is sent. SECURITY_IDENTIFICATION: the server may
// learn who the sender is, but cannot act as the sender (impersonate it)
// even if it is not the app.
func dialPipe(name string, user *windows.SID) (conn, error) {
	n, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return nil, err
	}
	flags := uint32(windows.FILE_FLAG_OVERLAPPED | windows.SECURITY_SQOS_PRESENT | windows.SECURITY_IDENTIFICATION)
	give := time.Now().Add(dialTimeout)
	for {
		h, err := windows.CreateFile(n, windows.GENERIC_READ|windows.GENERIC_WRITE, 0, nil, windows.OPEN_EXISTING, flags, 0)
		switch {
		case err == nil:
			if err := checkPipeUser(h, false, user); err != nil {
				windows.CloseHandle(h)
				return nil, err
			}
			return os.NewFile(uintptr(h), name), nil
		case errors.Is(err, windows.ERROR_PIPE_BUSY) && time.Now().Before(give):
			time.Sleep(20 * time.Millisecond)
		case errors.Is(err, windows.ERROR_PIPE_BUSY):
			return nil, ErrBusy
		case errors.Is(err, windows.ERROR_ACCESS_DENIED):
			// The app's own pipe lets its user in; one that does not is
			// another user's, made under this name, or the app run as
			// administrator: its pipe has a high integrity label, which a
			// normal launch cannot write to.
			return nil, &UnsafeError{Path: name, Why: "is held by another user, or by the app run as administrator (access denied)", Fix: pipeFix}
		default:
			return nil, ErrNotRunning
		}
	}
}
