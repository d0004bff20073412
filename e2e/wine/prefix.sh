#!/bin/sh
# prefix.sh DIR: makes DIR a 64-bit Wine prefix in which a Go 1.26 Windows
# program runs, for the tests only (make test's Windows test, and the named
# pipe tests built with GOOS=windows go test -c). Then run programs in it with
#   WINEPREFIX=DIR WINEDEBUG=-all wine64 prog.exe
# (Debian's wine64 package puts wine64 in /usr/lib/wine, not on PATH; $WINE
# overrides it). Safe to run again on the same DIR: it only redoes what is
# missing or out of date.
#
# The bridges for Wine 8.0's gaps, each for the tests only (the product ships
# none of them):
#   - bcryptprimitives.dll: Wine 8 lacks it; the Go 1.26 runtime loads it at
#     start for ProcessPrng and dies without it. bcryptprimitives.c here is
#     built with MinGW and copied into the prefix's system32.
# And two settings: Wine 8 says it is Windows 7 unless told otherwise, and the
# app (Go 1.26) and its installer need Windows 10, so the prefix is set to
# Windows 10 (winecfg /v win10), as a real test machine would be; and a
# program that crashes gets no crash dialog (WineDbg's ShowCrashDialog 0):
# Wine's debugger then writes the crash and its backtrace to the program's
# stderr (the test's log of it) and ends it, instead of waiting on the test
# display for a click and holding up every test after it. (A crash in a
# thread while the process exits is different: the process ends with status
# 0 and the debugger outlives it; the Windows test looks for Wine's report
# in the app's log and ends the debugger.)
set -eu

dir=${1:?usage: prefix.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
wine=${WINE:-$(command -v wine64 || echo /usr/lib/wine/wine64)}
[ -x "$wine" ] || { echo "prefix.sh: no wine64 (Debian: apt-get install wine64)" >&2; exit 1; }
command -v x86_64-w64-mingw32-gcc >/dev/null ||
	{ echo "prefix.sh: no x86_64-w64-mingw32-gcc (Debian: apt-get install gcc-mingw-w64-x86-64)" >&2; exit 1; }

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
export WINEPREFIX="$dir" WINEDEBUG=-all
# Mono and Gecko are not needed, and their install prompts would wait for
# someone to click on a test display.
export WINEDLLOVERRIDES="mscoree,mshtml="
if [ ! -f "$dir/system.reg" ]; then
	"$wine" wineboot --init >/dev/null 2>&1 || { echo "prefix.sh: wineboot --init failed in $dir" >&2; exit 1; }
	"$wine" winecfg /v win10 >/dev/null 2>&1 || { echo "prefix.sh: winecfg /v win10 failed in $dir" >&2; exit 1; }
fi
sys32="$dir/drive_c/windows/system32"
[ -d "$sys32" ] || { echo "prefix.sh: $sys32 missing after wineboot" >&2; exit 1; }

dll="$sys32/bcryptprimitives.dll"
if [ ! -f "$dll" ] || [ "$here/bcryptprimitives.c" -nt "$dll" ]; then
	x86_64-w64-mingw32-gcc -O2 -shared -s -Wl,--kill-at -o "$dll.tmp" "$here/bcryptprimitives.c" -ladvapi32
	mv "$dll.tmp" "$dll"
fi

if ! grep -q '"ShowCrashDialog"=dword:00000000' "$dir/user.reg" 2>/dev/null; then
	"$wine" reg add 'HKCU\Software\Wine\WineDbg' /v ShowCrashDialog /t REG_DWORD /d 0 /f >/dev/null 2>&1 ||
		{ echo "prefix.sh: reg add ShowCrashDialog failed in $dir" >&2; exit 1; }
fi
