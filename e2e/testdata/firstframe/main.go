// Command firstframe launches a program and times, from the X server, when
// its window shows its first frame, so that make bench measures the app and
// the empty Fyne window the same way (the start figures in
// e2e/figures_start_test.go). It reads the screen the way a person sees it:
// a window counts once it is viewable and holds a drawn picture (more than
// one colour), not when the program says it drew.
//
//	firstframe [-region X,Y,W,H] [-shades] -- PROGRAM [ARGS...]
//
// On stdout, times in milliseconds since just before the program started:
//
//	start <unix ms>                when the program started, to line up with its log
//	pid <pid>
//	window <ms> <width> <height>   its window (_NET_WM_PID) is viewable
//	frame <ms>                     the window first holds a drawn picture
//	region <ms> <hash> <colours>   the region's pixels changed (from the frame on);
//	                               colours is 1, 2 or 3 (3 or more)
//	shade <ms> light|dark          with -shades: the window's shade once painted
//	                               (even in one colour), and at each change
//	watch-end                      after "stop" on stdin
//	exit <code>                    the program ended
//
// The program's stdout and stderr go to firstframe's stderr. A line "stop"
// on stdin ends the region watch (so an idle measurement is not disturbed
// by polling); closing stdin interrupts the program (SIGINT, then SIGKILL
// after 5 s) and firstframe exits.
package main

/*
#cgo LDFLAGS: -lX11 -lXdamage
#include <stdlib.h>
#include <X11/Xlib.h>
#include <X11/Xatom.h>
#include <X11/Xutil.h>
#include <X11/extensions/Xdamage.h>

// A window can vanish between finding it and reading it; Xlib's default
// handler would end the process for that.
static int ignoreErrors(Display *d, XErrorEvent *e) { return 0; }
static void quietErrors(void) { XSetErrorHandler(ignoreErrors); }

static unsigned long pixelAt(XImage *img, int x, int y) { return XGetPixel(img, x, y); }
static void destroyImage(XImage *img) { XDestroyImage(img); }

// damaged drains the event queue and reports whether any of it was the
// DAMAGE extension saying the window's pixels changed.
static int damaged(Display *d, int damageEvent, Damage damage) {
	int any = 0;
	XEvent ev;
	while (XPending(d) > 0) {
		XNextEvent(d, &ev);
		if (ev.type == damageEvent + XDamageNotify) any = 1;
	}
	if (any) XDamageSubtract(d, damage, None, None);
	return any;
}
*/
import "C"

import (
	"bufio"
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

// poll is how often the screen is read: fine enough for launch times of
// hundreds of milliseconds, light enough not to slow what is measured.
const poll = 5 * time.Millisecond

type display struct {
	dpy         *C.Display
	pidAtm      C.Atom
	damageEvent C.int
}

func openDisplay() (*display, error) {
	dpy := C.XOpenDisplay(nil)
	if dpy == nil {
		return nil, fmt.Errorf("cannot open the X display %q", os.Getenv("DISPLAY"))
	}
	C.quietErrors()
	var event, errBase C.int
	if C.XDamageQueryExtension(dpy, &event, &errBase) == 0 {
		return nil, fmt.Errorf("the X server has no DAMAGE extension")
	}
	name := C.CString("_NET_WM_PID")
	defer C.free(unsafe.Pointer(name))
	return &display{dpy: dpy, pidAtm: C.XInternAtom(dpy, name, C.False), damageEvent: event}, nil
}

// windowOf finds a viewable window of pid among the root's children and
// their children (a window manager would reparent it once).
func (d *display) windowOf(pid int) (C.Window, int, int, bool) {
	root := C.XDefaultRootWindow(d.dpy)
	var found C.Window
	var w, h int
	d.walk(root, 2, func(win C.Window) bool {
		if d.pidOf(win) != pid {
			return false
		}
		var attr C.XWindowAttributes
		if C.XGetWindowAttributes(d.dpy, win, &attr) == 0 || attr.map_state != C.IsViewable || attr.width < 100 || attr.height < 100 {
			return false
		}
		found, w, h = win, int(attr.width), int(attr.height)
		return true
	})
	return found, w, h, found != 0
}

func (d *display) walk(win C.Window, depth int, visit func(C.Window) bool) bool {
	var root, parent C.Window
	var children *C.Window
	var n C.uint
	if C.XQueryTree(d.dpy, win, &root, &parent, &children, &n) == 0 {
		return false
	}
	defer func() {
		if children != nil {
			C.XFree(unsafe.Pointer(children))
		}
	}()
	for _, c := range unsafe.Slice(children, int(n)) {
		if visit(c) || depth > 1 && d.walk(c, depth-1, visit) {
			return true
		}
	}
	return false
}

func (d *display) pidOf(win C.Window) int {
	var typ C.Atom
	var format C.int
	var n, after C.ulong
	var data *C.uchar
	if C.XGetWindowProperty(d.dpy, win, d.pidAtm, 0, 1, C.False, C.XA_CARDINAL, &typ, &format, &n, &after, &data) != C.Success || data == nil {
		return 0
	}
	defer C.XFree(unsafe.Pointer(data))
	if n != 1 || format != 32 {
		return 0
	}
	return int(*(*C.ulong)(unsafe.Pointer(data)))
}

// look reads a rectangle of the window: the number of colours in it (up
// to 3, enough to tell a picture from a blank window) and a hash of its
// pixels. ok is false when the window could not be read.
func (d *display) look(win C.Window, x, y, w, h int) (colours int, hash uint64, ok bool) {
	img := C.XGetImage(d.dpy, win, C.int(x), C.int(y), C.uint(w), C.uint(h), C.AllPlanes, C.ZPixmap)
	if img == nil {
		return 0, 0, false
	}
	defer C.destroyImage(img)
	hsh := fnv.New64a()
	seen := map[uint32]bool{}
	// A 24-bit screen keeps 32 bits a pixel: read the rows as they are.
	// Anything else goes pixel by pixel through Xlib (slower, same result).
	stride := int(img.bytes_per_line)
	direct := img.bits_per_pixel == 32 && img.data != nil
	var data []byte
	if direct {
		data = unsafe.Slice((*byte)(unsafe.Pointer(img.data)), stride*h)
	}
	var buf [4]byte
	for j := 0; j < h; j++ {
		if direct {
			row := data[j*stride : j*stride+4*w]
			hsh.Write(row)
			for i := 0; i < len(row) && len(seen) < 3; i += 4 {
				seen[uint32(row[i])|uint32(row[i+1])<<8|uint32(row[i+2])<<16] = true
			}
			continue
		}
		for i := 0; i < w; i++ {
			p := uint32(C.pixelAt(img, C.int(i), C.int(j)))
			if len(seen) < 3 {
				seen[p&0xffffff] = true
			}
			buf = [4]byte{byte(p), byte(p >> 8), byte(p >> 16), byte(p >> 24)}
			hsh.Write(buf[:])
		}
	}
	return len(seen), hsh.Sum64(), true
}

// shadeOf says whether the window looks light or dark: the mean brightness
// of a grid of its pixels, every 8th each way (a theme's background covers
// most of a window). ok is false when the window could not be read, or is
// all black: not painted yet (no theme's background is black).
func (d *display) shadeOf(win C.Window, w, h int) (shade string, ok bool) {
	img := C.XGetImage(d.dpy, win, 0, 0, C.uint(w), C.uint(h), C.AllPlanes, C.ZPixmap)
	if img == nil {
		return "", false
	}
	defer C.destroyImage(img)
	var sum, n float64
	painted := false
	for j := 0; j < h; j += 8 {
		for i := 0; i < w; i += 8 {
			p := uint32(C.pixelAt(img, C.int(i), C.int(j)))
			painted = painted || p&0xffffff != 0
			r, g, b := float64(p>>16&0xff), float64(p>>8&0xff), float64(p&0xff)
			sum += (0.2126*r + 0.7152*g + 0.0722*b) / 255
			n++
		}
	}
	if !painted {
		return "", false
	}
	if sum/n >= 0.5 {
		return "light", true
	}
	return "dark", true
}

type region struct{ x, y, w, h int }

func main() {
	var reg region
	flag.Func("region", "X,Y,W,H of the window to watch after the first frame", func(s string) error {
		_, err := fmt.Sscanf(strings.ReplaceAll(s, ",", " "), "%d %d %d %d", &reg.x, &reg.y, &reg.w, &reg.h)
		return err
	})
	shades := flag.Bool("shades", false, "say the window's shade (light or dark) at the first frame and at each change")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: firstframe [-region X,Y,W,H] [-shades] -- PROGRAM [ARGS...]")
		os.Exit(2)
	}
	d, err := openDisplay()
	if err != nil {
		fmt.Fprintln(os.Stderr, "firstframe:", err)
		os.Exit(1)
	}
	cmd := exec.Command(flag.Arg(0), flag.Args()[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "firstframe:", err)
		os.Exit(1)
	}
	out := &events{start: start}
	out.say("start %d", start.UnixMilli())
	out.say("pid %d", cmd.Process.Pid)
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		out.say("exit %d", cmd.ProcessState.ExitCode())
		close(exited)
	}()
	stopWatch := make(chan struct{})
	go readStdin(cmd, stopWatch, exited)
	watch(&watchState{d: d, pid: cmd.Process.Pid, reg: reg, shades: *shades, out: out}, stopWatch, exited)
	<-exited
}

// events prints timed lines; the goroutines share stdout.
type events struct {
	mu    sync.Mutex
	start time.Time
}

func (e *events) say(format string, args ...any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	fmt.Printf(format+"\n", args...)
}

func (e *events) ms() string {
	return fmt.Sprintf("%.1f", float64(time.Since(e.start).Microseconds())/1000)
}

func readStdin(cmd *exec.Cmd, stopWatch chan struct{}, exited chan struct{}) {
	sc := bufio.NewScanner(os.Stdin)
	stopped := false
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "stop" && !stopped {
			stopped = true
			close(stopWatch)
		}
	}
	_ = cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
	}
}

// watch polls for the window, then reads its pixels each time the X
// server says they changed (DAMAGE), so nothing is read while nothing is
// drawn: the first frame, then the region's changes until told to stop.
func watch(s *watchState, stopWatch, exited chan struct{}) {
	out := s.out
	tick := time.NewTicker(poll)
	defer tick.Stop()
	for {
		select {
		case <-exited:
			return
		case <-stopWatch:
			out.say("watch-end")
			return
		case <-tick.C:
			s.step()
		}
	}
}

// watchState is what watch has found so far.
type watchState struct {
	d      *display
	pid    int
	reg    region
	shades bool
	out    *events
	win    C.Window
	damage C.Damage
	w, h   int
	framed bool
	last   uint64
	shade  string
}

// step is one poll: find the window, or read it if it changed.
func (s *watchState) step() {
	if s.win == 0 {
		var ok bool
		if s.win, s.w, s.h, ok = s.d.windowOf(s.pid); !ok {
			return
		}
		s.out.say("window %s %d %d", s.out.ms(), s.w, s.h)
		s.damage = C.XDamageCreate(s.d.dpy, C.Drawable(s.win), C.XDamageReportNonEmpty)
		C.XSync(s.d.dpy, C.False)
		// It may have drawn already: look once without waiting.
	} else if C.damaged(s.d.dpy, s.d.damageEvent, s.damage) == 0 {
		return
	}
	// Before the first frame too: a window cleared to the theme's
	// background, one colour, is a shade a person sees.
	if s.shades {
		if shade, ok := s.d.shadeOf(s.win, s.w, s.h); ok && shade != s.shade {
			s.shade = shade
			s.out.say("shade %s %s", s.out.ms(), shade)
		}
	}
	if !s.framed {
		if s.framed = s.d.framed(s.win, s.w, s.h, s.out); !s.framed {
			return
		}
	}
	r := s.reg
	if r.w <= 0 || r.h <= 0 || r.x+r.w > s.w || r.y+r.h > s.h {
		return
	}
	if colours, hash, ok := s.d.look(s.win, r.x, r.y, r.w, r.h); ok && hash != s.last {
		s.last = hash
		s.out.say("region %s %016x %d", s.out.ms(), hash, colours)
	}
}

// framed reports, and says, whether the window holds a drawn picture.
func (d *display) framed(win C.Window, w, h int, out *events) bool {
	if colours, _, ok := d.look(win, 0, 0, w, h); ok && colours > 1 {
		out.say("frame %s", out.ms())
		return true
	}
	return false
}
