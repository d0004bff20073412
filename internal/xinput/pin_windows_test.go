package xinput

import (
	"testing"

	"golang.org/x/sys/windows"
)

// TestPinOutlastsGLFW does to XInput what GLFW does (load it by name as it
// starts, free it in glfwTerminate), first without the pin, to show the
// library then goes, and then with it. Run under Wine by
// TestPinUnderWine; Windows itself behaves the same.
func TestPinOutlastsGLFW(t *testing.T) {
	if loaded() {
		t.Fatalf("%s is loaded before the test: nothing here could tell a pinned library from it", Library)
	}
	loadAndFreeAsGLFW(t)
	if loaded() {
		t.Fatalf("%s stayed loaded after GLFW's FreeLibrary without the pin: the test cannot fail", Library)
	}
	if err := Pin(); err != nil {
		t.Fatal(err)
	}
	loadAndFreeAsGLFW(t)
	if !loaded() {
		t.Fatalf("%s was unloaded by GLFW's FreeLibrary though pinned", Library)
	}
	if err := Pin(); err != nil { // a second pin is harmless
		t.Fatal(err)
	}
}

func loadAndFreeAsGLFW(t *testing.T) {
	t.Helper()
	h, err := windows.LoadLibrary(Library)
	if err != nil {
		t.Fatalf("loading %s as GLFW does: %v", Library, err)
	}
	if err := windows.FreeLibrary(h); err != nil {
		t.Fatal(err)
	}
}

func loaded() bool {
	name, _ := windows.UTF16PtrFromString(Library)
	var h windows.Handle
	return windows.GetModuleHandleEx(windows.GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT, name, &h) == nil
}
