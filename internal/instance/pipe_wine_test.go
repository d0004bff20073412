//go:build linux

package instance

import (
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/winetest"
)

// TestWindowsPipeUnderWine builds this package's tests for Windows (the
// named pipe of pipe_windows.go, and the messages and checks shared with
// Unix) and runs them under Wine, so that make test on Linux proves the
// Windows channel: the pipe's owner and DACL, a peer of another SID
// refused at both ends, messages both ways, a wrong state refused.
// Without wine64 or MinGW it skips, or fails under CEZANNE_E2E=1 (make
// test), which installs them.
func TestWindowsPipeUnderWine(t *testing.T) {
	out := winetest.Run(t, "wineprefix-instance", "CEZANNE_INSTANCE_WINEPREFIX")
	winetest.CheckPassed(t, out, mustRun)
}

// mustRun are the Windows tests that Wine 8 can run whole: if one is
// missing or skipped, the channel under test is not the one Windows gets.
var mustRun = []string{
	"TestDir", "TestListener", "TestForwardRefused", "TestForwardOddReplies", "FuzzListenerAnswer",
	"TestPipeName", "TestPipeSecurity", "TestPipeWrongState", "TestPipeAcrossProcesses",
	"TestPipeRefusesOtherUsers/the_server_runs_as_another_user",
	"TestPipeRefusesOtherUsers/the_sender_runs_as_another_user",
}
