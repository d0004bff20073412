// Package instance is the single-instance channel: one running app per
// user, which later launches hand their x-cez:// link to. When the OS opens an
// x-cez:// link it starts a second copy of the app with the link as its
// argument (Windows, Linux); that copy forwards the link to the running app
// and exits. A second double-click forwards "show" instead, so the running
// window comes forward.
//
// The channel is a Unix socket (Windows 10 and later have them too) in a
// directory only the user can enter, and every message must carry a random
// secret the running app wrote, readable by the user only: another user,
// or a process that can reach the socket some other way, cannot inject a
// sign-in response. Both ends check that the directory, the key and the
// socket are the user's own (owner, mode 0700/0600, no symlinks) and, where
// the OS tells (SO_PEERCRED, LOCAL_PEERCRED), that the process at the other
// end runs as the same user; anything else is ErrUnsafe and nothing is
// sent. Known single-instance libraries do not authenticate
// the sender.
package instance
