package instance

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestListener(t *testing.T) {
	dir := filepath.Join(testDir(t), "run")
	got := make(chan string, 4)
	in, err := Listen(dir, func(kind, u string) error {
		if u == "x-cez://refuse" {
			return errors.New("refused by the app")
		}
		got <- kind + " " + u
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checkModes(t, dir)
	if err := Forward(dir, MessageURL, "x-cez://oauth-callback/?code=a&state=b"); err != nil {
		t.Fatal(err)
	}
	if err := Forward(dir, MessageShow, ""); err != nil {
		t.Fatal(err)
	}
	if a, b := <-got, <-got; a != "url x-cez://oauth-callback/?code=a&state=b" || b != "show " {
		t.Fatalf("received %q, %q", a, b)
	}
	if err := Forward(dir, MessageURL, "x-cez://refuse"); err == nil || err.Error() != "refused by the app" {
		t.Fatalf("the app's refusal came back as %v", err)
	}
	if _, err := Listen(dir, func(string, string) error { return nil }); err == nil {
		t.Fatal("a second instance could listen")
	}
	in.Close()
	if err := Forward(dir, MessageShow, ""); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("after close: %v", err)
	}
	for _, name := range []string{keyName, socketName} {
		if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
			t.Errorf("%s left behind after Close: %v", name, err)
		}
	}
}

// checkModes: the directory and the secret are the user's alone. Windows
// keeps who may read them in ACLs, not in these bits.
func checkModes(t *testing.T, dir string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		return
	}
	if info, _ := os.Stat(dir); info.Mode().Perm() != 0o700 {
		t.Fatalf("instance dir mode %v", info.Mode().Perm())
	}
	if info, _ := os.Stat(filepath.Join(dir, keyName)); info.Mode().Perm() != 0o600 {
		t.Fatalf("secret mode %v", info.Mode().Perm())
	}
}
