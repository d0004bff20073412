//go:build windows

// Command winshell is the Windows test's stand-in for two things Windows
// has and Wine 8 lacks or hides, for the test harness only:
//
//	winshell open URL      starts the command registered for URL's scheme, as
//	                       Windows' shell does for a link: Wine 8's start and
//	                       ShellExecute do not read per-user classes
//	                       (HKCU\Software\Classes), where the installer
//	                       registers x-cez. It waits for the command and exits
//	                       with its status, so the test sees what it said.
//	winshell creds PREFIX  lists the generic credentials (Credential Manager)
//	                       whose names start with PREFIX, one a line: Wine has
//	                       no cmdkey.
//	winshell creds-add NAME  stores a generic credential NAME (another
//	                       program's, which an uninstall must leave alone).
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"unicode/utf16"
	"unsafe"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: winshell open URL | winshell creds PREFIX | winshell creds-add NAME")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "open":
		err = open(os.Args[2])
	case "creds":
		err = creds(os.Args[2])
	case "creds-add":
		err = addCred(os.Args[2])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		os.Exit(exit.ExitCode())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "winshell:", err)
		os.Exit(1)
	}
}

// open runs the scheme's registered command with %1 replaced by the link,
// as the command line Windows would hand CreateProcess: the exact string,
// not re-quoted argument by argument.
func open(link string) error {
	scheme, _, ok := strings.Cut(link, ":")
	if !ok {
		return fmt.Errorf("%q has no scheme", link)
	}
	command, err := registeredCommand(scheme)
	if err != nil {
		return err
	}
	line := strings.ReplaceAll(command, "%1", link)
	exe, err := program(line)
	if err != nil {
		return err
	}
	cmd := exec.Command(exe)
	cmd.SysProcAttr = &syscall.SysProcAttr{CmdLine: line}
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	// The command as registered, not the line: the link holds a sign-in code.
	fmt.Fprintf(os.Stderr, "winshell: starting %s\n", command)
	return cmd.Run()
}

// registeredCommand reads <scheme>\shell\open\command under the user's
// classes, then the machine's: the order in which Windows merges them.
func registeredCommand(scheme string) (string, error) {
	path := `Software\Classes\` + scheme + `\shell\open\command`
	for _, root := range []syscall.Handle{syscall.HKEY_CURRENT_USER, syscall.HKEY_LOCAL_MACHINE} {
		if v, err := defaultValue(root, path); err == nil {
			return v, nil
		}
	}
	return "", fmt.Errorf("no command is registered for %s: links (no %s)", scheme, path)
}

// defaultValue reads the (Default) string value of a key.
func defaultValue(root syscall.Handle, path string) (string, error) {
	name, err := syscall.UTF16PtrFromString(path)
	if err != nil {
		return "", err
	}
	var key syscall.Handle
	if err := syscall.RegOpenKeyEx(root, name, 0, syscall.KEY_READ, &key); err != nil {
		return "", err
	}
	defer syscall.RegCloseKey(key)
	buf := make([]uint16, 4096)
	n := uint32(len(buf) * 2)
	var typ uint32
	if err := syscall.RegQueryValueEx(key, nil, nil, &typ, (*byte)(unsafe.Pointer(&buf[0])), &n); err != nil {
		return "", err
	}
	if typ != syscall.REG_SZ && typ != syscall.REG_EXPAND_SZ {
		return "", fmt.Errorf("%s is not a string (type %d)", path, typ)
	}
	return syscall.UTF16ToString(buf[:n/2]), nil
}

// program is the executable a command line starts: its first token,
// quoted or not.
func program(line string) (string, error) {
	line = strings.TrimSpace(line)
	if rest, ok := strings.CutPrefix(line, `"`); ok {
		exe, _, found := strings.Cut(rest, `"`)
		if !found {
			return "", fmt.Errorf("unbalanced quote in %s", line)
		}
		return exe, nil
	}
	exe, _, _ := strings.Cut(line, " ")
	return exe, nil
}

// credential is CREDENTIALW (wincred.h).
type credential struct {
	Flags              uint32
	Type               uint32
	TargetName         *uint16
	Comment            *uint16
	LastWritten        syscall.Filetime
	CredentialBlobSize uint32
	CredentialBlob     *byte
	Persist            uint32
	AttributeCount     uint32
	Attributes         uintptr
	TargetAlias        *uint16
	UserName           *uint16
}

// CRED_TYPE_GENERIC and CRED_PERSIST_LOCAL_MACHINE (wincred.h).
const (
	credTypeGeneric         = 1
	credPersistLocalMachine = 2
)

var (
	advapi32       = syscall.NewLazyDLL("advapi32.dll")
	credEnumerateW = advapi32.NewProc("CredEnumerateW")
	credFree       = advapi32.NewProc("CredFree")
	credWriteW     = advapi32.NewProc("CredWriteW")
)

// errNotFound is ERROR_NOT_FOUND: CredEnumerateW's answer when none match.
const errNotFound = syscall.Errno(1168)

// creds prints the names of the credentials that start with prefix.
func creds(prefix string) error {
	var count uint32
	var list **credential
	filter, err := syscall.UTF16PtrFromString(prefix + "*")
	if err != nil {
		return err
	}
	ok, _, err := credEnumerateW.Call(uintptr(unsafe.Pointer(filter)), 0, uintptr(unsafe.Pointer(&count)), uintptr(unsafe.Pointer(&list)))
	if ok == 0 {
		if errors.Is(err, errNotFound) {
			return nil
		}
		return fmt.Errorf("CredEnumerateW: %w", err)
	}
	defer credFree.Call(uintptr(unsafe.Pointer(list)))
	for _, c := range unsafe.Slice(list, count) {
		fmt.Println(utf16z(c.TargetName))
	}
	return nil
}

// utf16z reads a NUL-terminated UTF-16 string.
func utf16z(p *uint16) string {
	var s []uint16
	for ; *p != 0; p = (*uint16)(unsafe.Add(unsafe.Pointer(p), 2)) {
		s = append(s, *p)
	}
	return syscall.UTF16ToString(s)
}

// addCred stores a generic credential with a throwaway secret.
func addCred(name string) error {
	blob := []byte("not a secret")
	target, err := syscall.UTF16PtrFromString(name)
	if err != nil {
		return err
	}
	c := credential{
		Type:               credTypeGeneric,
		TargetName:         target,
		CredentialBlobSize: uint32(len(blob)),
		CredentialBlob:     &blob[0],
		Persist:            credPersistLocalMachine,
		UserName:           &utf16.Encode([]rune("test\x00"))[0],
	}
	if ok, _, err := credWriteW.Call(uintptr(unsafe.Pointer(&c)), 0); ok == 0 {
		return fmt.Errorf("CredWriteW: %w", err)
	}
	return nil
}
