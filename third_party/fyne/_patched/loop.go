package glfw

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/internal/app"
	"fyne.io/fyne/v2/internal/async"
	"fyne.io/fyne/v2/internal/cache"
	"fyne.io/fyne/v2/internal/driver/common"
	"fyne.io/fyne/v2/internal/painter"
	"fyne.io/fyne/v2/internal/scale"
)

type funcData struct {
	f    func()
	done chan struct{} // Zero allocation signalling channel
}

// channel for queuing functions on the main thread
var (
	funcQueue        = async.NewUnboundedChan[funcData]()
	running, drained atomic.Bool
	queueing         sync.RWMutex // Cezanne HR Desktop patch: see shutDownQueue
)

// Arrange that main.main runs on main thread.
func init() {
	runtime.LockOSThread()
	async.SetMainGoroutine()
}

// force a function f to run on the main thread
func runOnMain(f func()) {
	runOnMainWithWait(f, true)
}

// force a function f to run on the main thread and specify if we should wait for it to return
func runOnMainWithWait(f func(), wait bool) {
	// If we are on main before app run just execute - otherwise add it to the main queue and wait.
	// We also need to run it as-is if the app is in the process of shutting down as the queue will be stopped.
	if !running.Load() && async.IsMainGoroutine() {
		f()
		return
	}
	// Cezanne HR Desktop patch: the check and the hand-over as one against
	// the shutdown (shutDownQueue), which otherwise could come between them.
	queueing.RLock()
	if drained.Load() {
		queueing.RUnlock()
		f()
		return
	}

	if wait {
		done := common.DonePool.Get()
		defer common.DonePool.Put(done)

		funcQueue.In() <- funcData{f: f, done: done}
		queueing.RUnlock()
		<-done
	} else {
		funcQueue.In() <- funcData{f: f}
		queueing.RUnlock()
	}
}

func (d *gLDriver) drawSingleFrame() {
	refreshed := false
	for _, win := range d.windowList() {
		w := win.(*window)
		if w.closing {
			continue
		}

		// CheckDirtyAndClear must be checked after visibility,
		// because when a window becomes visible, it could be
		// showing old content without a dirty flag set to true.
		// Do the clear if and only if the window is visible.
		if !w.visible || !w.canvas.CheckDirtyAndClear() {
			// Window hidden or not being redrawn, mark canvasForObject
			// cache alive if it hasn't been done recently
			// n.b. we need to make sure threshold is a bit *after*
			// time.Now() - CacheDuration()
			threshold := time.Now().Add(10*time.Second - cache.ValidDuration)
			if w.lastWalkedTime.Before(threshold) {
				w.canvas.WalkTrees(nil, func(node *common.RenderCacheNode, _ fyne.Position) {
					// marks canvas for object cache entry alive
					_ = cache.GetCanvasForObject(node.Obj())
					// marks renderer cache entry alive
					if wid, ok := node.Obj().(fyne.Widget); ok {
						_, _ = cache.CachedRenderer(wid)
					}
				})
				w.lastWalkedTime = time.Now()
			}
			continue
		}

		w.RunWithContext(func() {
			if w.driver.repaintWindow(w) {
				refreshed = true
			}
		})
	}
	cache.Clean(refreshed)
}

func (d *gLDriver) runGL() {
	if !running.CompareAndSwap(false, true) {
		return // Run was called twice.
	}

	d.init()
	if d.trayStart != nil {
		d.trayStart()
	}

	fyne.CurrentApp().Settings().AddListener(func(set fyne.Settings) {
		painter.ClearFontCache()
		cache.ResetThemeCaches()
		app.ApplySettingsWithCallback(set, fyne.CurrentApp(), func(w fyne.Window) {
			c, ok := w.Canvas().(*glCanvas)
			if !ok {
				return
			}
			c.applyThemeOutOfTreeObjects()
			c.reloadScale()
		})
	})

	if f := fyne.CurrentApp().Lifecycle().(*app.Lifecycle).OnStarted(); f != nil {
		f()
	}

	eventTick := time.NewTicker(time.Second / 60)
	for {
		select {
		case <-d.done:
			eventTick.Stop()
			d.Terminate()
			l := fyne.CurrentApp().Lifecycle().(*app.Lifecycle)
			shutDownQueue(l) // Cezanne HR Desktop patch
			return
		case f := <-funcQueue.Out():
			f.f()
			if f.done != nil {
				f.done <- struct{}{}
			}
			runWaitingFuncs() // Cezanne HR Desktop patch
		case <-eventTick.C:
			d.pollEvents()
			for i := 0; i < len(d.windows); i++ {
				w := d.windows[i].(*window)
				if w.viewport == nil {
					continue
				}

				if w.viewport.ShouldClose() {
					d.destroyWindow(w, i)
					i-- // Trailing windows are moved forward one step.
					continue
				}

				expand := w.shouldExpand
				fullScreen := w.fullScreen

				if expand && !fullScreen {
					w.fitContent()
					shouldExpand := w.shouldExpand
					w.shouldExpand = false
					view := w.viewport

					if shouldExpand && runtime.GOOS != "js" {
						view.SetSize(w.shouldWidth, w.shouldHeight)
					}
				}
			}

			d.animation.TickAnimations()
			d.drawSingleFrame()
			runWaitingFuncs() // Cezanne HR Desktop patch
		}
	}
}

// runWaitingFuncs runs the functions that were waiting for the main thread
// when the function or frame before it ended, before the next frame.
//
// Cezanne HR Desktop patch to Fyne v2.7.1 (third_party/fyne/README.md):
// the select above picks at random between a waiting function and the next
// tick. Where a frame takes longer than a tick (a software renderer draws a
// 1280x800 window in 13-18 ms), the tick is always ready when a frame or a
// long function ends, so a fyne.Do waited behind two, three, four frames in
// a row: signing in, 53-86 ms in six runs, 25-33 with this. Bounded so that
// the next frame still comes: at most the functions waiting when it starts
// (the queue's buffer holds 16), none queued by them, and no more once half
// a tick has gone by or the app is quitting (Fyne's own shutdown then
// releases what is left, as it did).
// Not inlined: e2e/fynepatch_test.go finds it in the binary by its name.
//
//go:noinline
func runWaitingFuncs() {
	deadline := time.Now().Add(time.Second / 120)
	for n := len(funcQueue.Out()); n > 0 && running.Load() && time.Now().Before(deadline); n-- {
		select {
		case f := <-funcQueue.Out():
			f.f()
			if f.done != nil {
				f.done <- struct{}{}
			}
		default:
			return
		}
	}
}

// shutDownQueue marks the queue of functions for the main thread drained
// (from then on fyne.Do runs its function on the caller's goroutine), then
// queues the app's stopped hook, then releases without running what the
// queue still holds, as Fyne did.
//
// Cezanne HR Desktop patch to Fyne v2.7.1 (third_party/fyne/README.md):
// Fyne queued the stopped hook first, then released what was in the queue
// at that moment, then marked it drained. But the hook reaches the queue
// through fyne.Do from the lifecycle's own goroutine, a moment later, and
// nothing ordered the two. Mostly it came after the mark, and ran. On a
// busy machine it could come before the release (released without running:
// the app's preferences not saved) or in between (never released: the app
// hung as it quit, waiting for its events to end); any function handed
// over in between was lost the same way, its goroutine waiting forever.
// Here the mark is made while no hand-over is under way (queueing) and
// before the hook is queued, so the hook always runs (on the lifecycle's
// goroutine, as it mostly did), and every function handed over is run or
// released. Nothing runs on the main thread once GLFW has been terminated.
func shutDownQueue(l *app.Lifecycle) {
	queueing.Lock()
	drained.Store(true)
	queueing.Unlock()
	if f := l.OnStopped(); f != nil {
		l.QueueEvent(f)
	}
	funcQueue.Close() // hands on what it still holds, then closes Out
	for f := range funcQueue.Out() {
		if f.done != nil {
			f.done <- struct{}{}
		}
	}
}

func (d *gLDriver) destroyWindow(w *window, index int) {
	w.visible = false
	w.viewport.Destroy()
	w.destroy(d)

	if index < len(d.windows)-1 {
		copy(d.windows[index:], d.windows[index+1:])
	}
	d.windows[len(d.windows)-1] = nil
	d.windows = d.windows[:len(d.windows)-1]

	if len(d.windows) == 0 {
		d.Quit()
	}
}

func (d *gLDriver) repaintWindow(w *window) bool {
	canvas := w.canvas
	freed := false
	if canvas.EnsureMinSize() {
		w.shouldExpand = true
	}
	freed = canvas.FreeDirtyTextures() > 0

	updateGLContext(w)
	canvas.paint(canvas.Size())

	view := w.viewport
	visible := w.visible

	if view != nil && visible {
		view.SwapBuffers()
	}

	// mark that we have walked the window and don't
	// need to walk it again to mark caches alive
	w.lastWalkedTime = time.Now()
	return freed
}

// refreshWindow requests that the specified window be redrawn
func refreshWindow(w *window) {
	w.canvas.SetDirty()
}

func updateGLContext(w *window) {
	canvas := w.canvas
	size := canvas.Size()

	// w.width and w.height are not correct if we are maximised, so figure from canvas
	winWidth := float32(scale.ToScreenCoordinate(canvas, size.Width)) * canvas.texScale
	winHeight := float32(scale.ToScreenCoordinate(canvas, size.Height)) * canvas.texScale

	canvas.Painter().SetFrameBufferScale(canvas.texScale)
	canvas.Painter().SetOutputSize(int(winWidth), int(winHeight))
}
