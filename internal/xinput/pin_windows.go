package xinput

import (
	"fmt"

	"golang.org/x/sys/windows"
)

// Pin loads Library from System32 and keeps it loaded until the process
// ends, whatever frees it. Call it before the window layer starts. An
// error means it is not there to pin (GLFW then loads an older XInput, or
// none): nothing to act on but logging.
func Pin() error {
	loaded, err := windows.LoadLibraryEx(Library, 0, windows.LOAD_LIBRARY_SEARCH_SYSTEM32)
	if err != nil {
		return fmt.Errorf("loading %s: %w", Library, err)
	}
	// The load's own reference goes once pinned: the pin alone keeps the
	// library, so TestPinOutlastsGLFW tests the pin and not a leak.
	defer windows.FreeLibrary(loaded)
	name, err := windows.UTF16PtrFromString(Library)
	if err != nil {
		return err
	}
	var pinned windows.Handle
	if err := windows.GetModuleHandleEx(windows.GET_MODULE_HANDLE_EX_FLAG_PIN, name, &pinned); err != nil {
		return fmt.Errorf("pinning %s: %w", Library, err)
	}
	return nil
}
