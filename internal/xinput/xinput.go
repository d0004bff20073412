// Package xinput keeps Windows' game controller library, XInput, loaded
// until the process ends.
//
// GLFW (Fyne's window layer) loads xinput1_4.dll as it starts and frees it
// in glfwTerminate, as the app closes. Wine's XInput polls controllers on a
// thread of its own, and freeing the library while that thread is still on
// its way out ran it into unmapped code: "Unhandled page fault on execute
// access" at an address inside xinput1_4.dll (0x37EA past its base), in
// one of seven runs of the Windows test under Wine 8 on a busy machine,
// and Wine's debugger then outlived the process. Pinned, the library is
// never unmapped before the process ends, when Windows ends every thread
// first. Later Wine has its thread hold the library itself; on Windows the
// library stays loaded a few milliseconds longer; on other systems Pin does
// nothing.
package xinput

// Library is the XInput GLFW loads first, present from Windows 8 on.
const Library = "xinput1_4.dll"
