/*
 * Wine bridge, for the test harness only: Wine 8.0 has no
 * bcryptprimitives.dll, which Windows 10 and later ship and which the Go
 * 1.26 runtime loads at start for ProcessPrng (runtime.loadOptionalSyscalls:
 * "fatal error: bcryptprimitives.dll not found"). This DLL, copied into the
 * test prefix's C:\windows\system32 by prefix.sh, exports ProcessPrng and
 * fills the buffer from RtlGenRandom (advapi32!SystemFunction036), which
 * Wine implements from the host's random source. Nothing the product ships
 * uses it; Wine 9 and later have their own bcryptprimitives.dll.
 */
#include <windows.h>

/* RtlGenRandom, exported by advapi32 under this name. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/*
 * ProcessPrng(pbData, cbData) always returns TRUE on Windows; it never
 * fails. RtlGenRandom takes a ULONG, so a larger request goes in slices,
 * and a failure (which Wine does not have) returns FALSE, which the Go
 * runtime turns into a fatal error rather than using unfilled bytes.
 */
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
	while (size > 0) {
		ULONG n = size > 0x10000000 ? 0x10000000 : (ULONG)size;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		size -= n;
	}
	return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
	(void)instance;
	(void)reason;
	(void)reserved;
	return TRUE;
}
