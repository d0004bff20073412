package instance

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// otherUser is a SID no process on the test machine runs as: a second
// Windows user, where the test cannot sign one in.
var otherUser = mustSID("S-1-5-21-1111111111-2222222222-3333333333-1001")

func mustSID(s string) *windows.SID {
	sid, err := windows.StringToSid(s)
	if err != nil {
		panic(err)
	}
	return sid
}

// skipOnWine skips a check of Windows' own behaviour that Wine 8, where
// make test runs these tests, does not have; why says which. Windows runs
// every check.
func skipOnWine(t *testing.T, why string) {
	t.Helper()
	if why != "" && windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil {
		t.Skip("under Wine: " + why)
	}
}

func me(t *testing.T) *windows.SID {
	t.Helper()
	u, err := currentUser()
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestPipeName: one pipe per user and directory, whatever the case or
// spelling of the directory's path.
func TestPipeName(t *testing.T) {
	dir := `C:\Users\Ann\AppData\Local\cezanne-desktop`
	user := me(t)
	base := pipeName(dir, user)
	if want := `\\.\pipe\cezanne-desktop-` + user.String() + "-"; !strings.HasPrefix(base, want) {
		t.Fatalf("pipe name %q, want it to start %q", base, want)
	}
	tests := []struct {
		name string
		dir  string
		user *windows.SID
		same bool
	}{
		{"other case", strings.ToUpper(dir), user, true},
		{"trailing separator", dir + `\`, user, true},
		{"dot segment", `C:\Users\Ann\AppData\Local\.\cezanne-desktop`, user, true},
		{"other directory", dir + "2", user, false},
		{"other user", dir, otherUser, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pipeName(tt.dir, tt.user); (got == base) != tt.same {
				t.Fatalf("pipeName(%q) = %q, base %q: want same %v", tt.dir, got, base, tt.same)
			}
		})
	}
}

// TestPipeSecurity: the running app's pipe is owned by the user and lets
// in the user alone (its DACL, read back from the pipe itself), and never
// a network logon.
func TestPipeSecurity(t *testing.T) {
	dir := testDir(t)
	in, err := Listen(dir, func(string, string) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	user := me(t)
	name, _ := windows.UTF16PtrFromString(pipeName(dir, user))
	h, err := windows.CreateFile(name, windows.READ_CONTROL, 0, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer windows.CloseHandle(h)
	sd, err := windows.GetSecurityInfo(h, windows.SE_KERNEL_OBJECT,
		windows.OWNER_SECURITY_INFORMATION|windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		t.Fatal(err)
	}
	owner, _, err := sd.Owner()
	if err != nil || !owner.Equals(user) {
		t.Errorf("owner %v (%v), want %v", owner, err, user)
	}
	if ctl, _, _ := sd.Control(); ctl&windows.SE_DACL_PROTECTED == 0 {
		t.Errorf("the DACL is not protected: %s", sd)
	}
	aces := dacl(t, sd)
	want := []string{"deny " + networkSID(t).String(), "allow " + user.String()}
	if strings.Join(aces, ", ") != strings.Join(want, ", ") {
		t.Fatalf("the pipe's DACL is %v, want %v (%s)", aces, want, sd)
	}
}

// dacl lists the DACL's entries as "allow SID" or "deny SID", each with
// every right: the pipe grants all or nothing.
func dacl(t *testing.T, sd *windows.SECURITY_DESCRIPTOR) []string {
	t.Helper()
	acl, _, err := sd.DACL()
	if err != nil || acl == nil {
		t.Fatalf("no DACL: %v", err)
	}
	var aces []string
	for i := uint32(0); i < uint32(acl.AceCount); i++ {
		var ace *windows.ACCESS_ALLOWED_ACE
		if err := windows.GetAce(acl, i, &ace); err != nil {
			t.Fatal(err)
		}
		sid := (*windows.SID)(unsafe.Pointer(&ace.SidStart))
		kind := map[uint8]string{windows.ACCESS_ALLOWED_ACE_TYPE: "allow", windows.ACCESS_DENIED_ACE_TYPE: "deny"}[ace.Header.AceType]
		if ace.Mask&fileAllAccess != fileAllAccess && ace.Mask&windows.GENERIC_ALL == 0 {
			kind += " (some rights only)"
		}
		aces = append(aces, kind+" "+sid.String())
	}
	return aces
}

func networkSID(t *testing.T) *windows.SID {
	t.Helper()
	sid, err := windows.CreateWellKnownSid(windows.WinNetworkSid)
	if err != nil {
		t.Fatal(err)
	}
	return sid
}

// TestPipeRefusesOtherUsers: whichever end runs as another user, nothing
// crosses: the sender is told "not authenticated" and the app sees
// nothing; the server is refused before the secret is sent; a pipe made
// for another user does not let this one in.
func TestPipeRefusesOtherUsers(t *testing.T) {
	tests := []struct {
		name string
		wine string // why Wine 8 cannot show it, if it cannot
		run  func(t *testing.T, dir string, got chan string) error
		want string
	}{
		{"the server runs as another user", "", func(t *testing.T, dir string, got chan string) error {
			listen(t, dir, got)
			_, err := dialPipe(pipeName(dir, me(t)), otherUser)
			return err
		}, "runs as another user (" + me(t).String() + ")"},
		{"the sender runs as another user", "", func(t *testing.T, dir string, got chan string) error {
			in := listen(t, dir, got)
			// The pipe keeps its DACL for this user, so the test's
			// sender gets in, but the app now expects another user at
			// the other end: as if the sender ran as someone else.
			p := in.ch.(*pipeChannel)
			p.mu.Lock()
			p.user = otherUser
			p.mu.Unlock()
			return Forward(dir, MessageURL, "x-cez://oauth-callback/?code=a&state=b")
		}, "not authenticated"},
		{"the pipe is another user's", "Wine 8 does not check a pipe's DACL when it is opened", func(t *testing.T, dir string, got chan string) error {
			name := pipeName(dir, me(t))
			// The app's own descriptor, for the other user (owned by
			// this one: only an administrator may give an object away).
			sddl := strings.Replace(pipeSDDL(otherUser), "O:"+otherUser.String(), "", 1)
			sd, err := windows.SecurityDescriptorFromString(sddl)
			if err != nil {
				t.Fatal(err)
			}
			h, err := createPipe(name, true, &windows.SecurityAttributes{Length: uint32(sizeofSA), SecurityDescriptor: sd})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { windows.CloseHandle(h) })
			_, err = dialPipe(name, me(t))
			return err
		}, "is held by another user, or by the app run as administrator (access denied)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			skipOnWine(t, tt.wine)
			got := make(chan string, 1)
			err := tt.run(t, testDir(t), got)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one saying %q", err, tt.want)
			}
			select {
			case u := <-got:
				t.Fatalf("the app received %q", u)
			default:
			}
		})
	}
}

// TestPipeBusy: when every instance of the running app's pipe stays busy
// with other senders, a launch is told the app did not answer, not that
// nothing runs (it would then open a second window whose sign-in links go
// to the first).
func TestPipeBusy(t *testing.T) {
	was := dialTimeout
	dialTimeout = 500 * time.Millisecond
	t.Cleanup(func() { dialTimeout = was })
	dir := testDir(t)
	sd, _ := windows.SecurityDescriptorFromString(pipeSDDL(me(t)))
	sa := &windows.SecurityAttributes{Length: uint32(sizeofSA), SecurityDescriptor: sd}
	name := pipeName(dir, me(t))
	// One instance and nobody accepting: the first sender takes it.
	h, err := createPipe(name, true, sa)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { windows.CloseHandle(h) })
	first, err := dialPipe(name, me(t))
	if err != nil {
		t.Fatalf("first sender: %v", err)
	}
	t.Cleanup(func() { first.Close() })
	if _, err := dialPipe(name, me(t)); !errors.Is(err, ErrBusy) {
		t.Fatalf("second sender: %v, want ErrBusy", err)
	}
	if err := holder(name, me(t)); !errors.Is(err, ErrBusy) {
		t.Fatalf("a second copy asking who holds the pipe: %v, want ErrBusy", err)
	}
}

// listen starts the app's end in dir; what it receives goes to got.
func listen(t *testing.T, dir string, got chan string) *Listener {
	t.Helper()
	in, err := Listen(dir, func(kind, u string) error { got <- kind + " " + u; return nil })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close() })
	return in
}

// TestPipeFirstInstance: the running app's pipe cannot be joined by a
// second server of the same name, not even this user's: that is how two
// copies starting at once tell which one is first.
func TestPipeFirstInstance(t *testing.T) {
	skipOnWine(t, "Wine 8 ignores FILE_FLAG_FIRST_PIPE_INSTANCE")
	dir := testDir(t)
	listen(t, dir, make(chan string, 1))
	sd, _ := windows.SecurityDescriptorFromString(pipeSDDL(me(t)))
	sa := &windows.SecurityAttributes{Length: uint32(sizeofSA), SecurityDescriptor: sd}
	h, err := createPipe(pipeName(dir, me(t)), true, sa)
	if err == nil {
		windows.CloseHandle(h)
		t.Fatal("a second first instance of the pipe was made")
	}
	if !errors.Is(err, windows.ERROR_ACCESS_DENIED) {
		t.Fatalf("second first instance: %v, want access denied", err)
	}
}

// TestPipeWrongState: the app's refusal of a link (a sign-in it is not
// waiting for) reaches the second process in words, and the channel
// serves the next sender after it.
func TestPipeWrongState(t *testing.T) {
	dir := testDir(t)
	in, err := Listen(dir, func(kind, u string) error {
		if strings.Contains(u, "state=wrong") {
			return errors.New("no sign-in is waiting for this link")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	tests := []struct {
		link, want string
	}{
		{"x-cez://oauth-callback/?code=a&state=wrong", "no sign-in is waiting for this link"},
		{"x-cez://oauth-callback/?code=a&state=right", ""},
	}
	for _, tt := range tests {
		err := Forward(dir, MessageURL, tt.link)
		if got := errText(err); got != tt.want {
			t.Errorf("Forward(%s) = %q, want %q", tt.link, got, tt.want)
		}
	}
	in.Close()
	if _, err := os.Stat(filepath.Join(dir, keyName)); !os.IsNotExist(err) {
		t.Errorf("instance.key left after Close: %v", err)
	}
	if err := Forward(dir, MessageShow, ""); !errors.Is(err, ErrNotRunning) {
		t.Errorf("after Close: %v, want ErrNotRunning", err)
	}
}

// TestPipeAcrossProcesses: a second process, as Windows starts one for an
// x-cez:// link, hands its link to the running app through the pipe; each
// end checks the other process's user (not its own, as in one process).
// The child is this test binary, run again as the sender.
func TestPipeAcrossProcesses(t *testing.T) {
	if spec := os.Getenv("CEZANNE_INSTANCE_SEND"); spec != "" {
		dir, link, _ := strings.Cut(spec, "|")
		if err := Forward(dir, MessageURL, link); err != nil {
			fmt.Println("refused:", err)
			return
		}
		fmt.Println("handed over")
		return
	}
	dir := testDir(t)
	got := make(chan string, 4)
	in, err := Listen(dir, func(kind, u string) error {
		if strings.Contains(u, "state=wrong") {
			return errors.New("no sign-in is waiting for this link")
		}
		got <- u
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	tests := []struct {
		link, want, delivered string
	}{
		{"x-cez://oauth-callback/?code=a&state=right", "handed over", "x-cez://oauth-callback/?code=a&state=right"},
		{"x-cez://oauth-callback/?code=a&state=wrong", "refused: no sign-in is waiting for this link", ""},
	}
	for _, tt := range tests {
		cmd := exec.Command(os.Args[0], "-test.run=^TestPipeAcrossProcesses$")
		cmd.Env = append(os.Environ(), "CEZANNE_INSTANCE_SEND="+dir+"|"+tt.link)
		out, err := cmd.Output()
		if first, _, _ := strings.Cut(string(out), "\n"); err != nil || strings.TrimSpace(first) != tt.want {
			t.Errorf("the second process sent %s: %q, %v; want %q", tt.link, out, err, tt.want)
		}
		select {
		case u := <-got:
			if u != tt.delivered {
				t.Errorf("the app received %q, want %q", u, tt.delivered)
			}
		default:
			if tt.delivered != "" {
				t.Errorf("the app received nothing, want %q", tt.delivered)
			}
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// fileAllAccess is FILE_ALL_ACCESS, what GENERIC_ALL maps to on a pipe.
const fileAllAccess = windows.STANDARD_RIGHTS_REQUIRED | windows.SYNCHRONIZE | 0x1ff
