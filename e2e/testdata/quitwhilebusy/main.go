// Command quitwhilebusy quits a Fyne app while goroutines keep handing its
// UI goroutine functions to run (fyne.DoAndWait), as the app's own network
// and keyring work does, and says whether the app ended well: it exits 0
// once the app's stopped hook (Lifecycle.SetOnStopped: the app's last save
// of its preferences) has run, 3 when the app ended without running it.
// A shutdown that loses a queued function never exits at all.
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	quitAfter := flag.Duration("quit-after", 300*time.Millisecond, "how long the app runs before it quits")
	workers := flag.Int("workers", 4, "goroutines handing the UI goroutine functions")
	flag.Parse()

	a := app.NewWithID("com.cezannehr.desktop.quitwhilebusy")
	w := a.NewWindow("Quit while busy")
	label := widget.NewLabel("0")
	w.SetContent(label)
	var stopped atomic.Bool
	a.Lifecycle().SetOnStopped(func() { stopped.Store(true) })
	// Once the app has quit, Fyne runs a function on the goroutine that
	// hands it over: the lock keeps those from running at once.
	var mu sync.Mutex
	a.Lifecycle().SetOnStarted(func() {
		for range *workers {
			go func() {
				for i := 0; ; i++ {
					fyne.DoAndWait(func() {
						mu.Lock()
						label.SetText(strconv.Itoa(i))
						mu.Unlock()
					})
				}
			}()
		}
		go func() {
			time.Sleep(*quitAfter)
			fyne.Do(a.Quit)
		}()
	})
	w.ShowAndRun()
	if !stopped.Load() {
		fmt.Fprintln(os.Stderr, "quitwhilebusy: the app ended without running its stopped hook")
		os.Exit(3)
	}
}
