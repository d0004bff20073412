// Package instance is the single-instance channel: one running app per
// user, which later launches hand their x-cez:// link to. When the OS opens an
// x-cez:// link it starts a second copy of the app with the link as its
// argument (Windows, Linux); that copy forwards the link to the running app
// and exits. A second double-click forwards "show" instead, so the running
// window comes forward.
//
// The channel is a Unix socket in a directory only the user can enter
// (channel_unix.go), and on Windows a named pipe,
// \\.\pipe\cezanne-desktop-<user's SID>-<directory hash>, whose security
// descriptor lets in that SID alone and no network logon
// (pipe_windows.go). Every message must carry a random secret the running
// app wrote to instance.key in the directory, readable by the user only:
// another user, or a process that can reach the channel some other way,
// cannot inject a sign-in response. Both ends check that the directory and
// the key (and on Unix the socket) are the user's own (no symlinks; on Unix
// owner and mode 0700/0600, on Windows the ACL %LocalAppData% passes on)
// and that the process at the other end runs as the same user
// (SO_PEERCRED, LOCAL_PEERCRED; on Windows the pipe's client or server
// process's token); anything else is ErrUnsafe and nothing is sent. Known
// single-instance libraries do not authenticate the sender.
package instance
